"""The same task code on the production queues: several database workers at once, and Redis
with RQ workers. Each notification is sent exactly once."""

import subprocess

import pytest
import redis

from tests.scratch import last_json, motcua, run_script, scratch_env

SUBMIT = """
import django, io, json
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas
from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.demo.dossiers import demo_form_data
from motcua.dossiers import services
from motcua.eforms.schema import effective_schema
from motcua.notifications.models import Notification

def pdf():
    b = io.BytesIO(); c = canvas.Canvas(b); c.drawString(72, 720, "x"); c.showPage(); c.save()
    return b.getvalue()

user = User.objects.get(username="025080001234")
version = Procedure.objects.get(code="1.004873").current_version()
for _ in range(int(__import__("os").environ["COUNT"])):
    d = services.dossier_draft_create(version=version, actor=user)
    services.dossier_form_save(dossier=d, actor=user,
                               data=demo_form_data(effective_schema(version), user))
    for doc in services.required_documents(d):
        if doc.mandatory:
            services.attachment_add(dossier=d, actor=user, document_key=doc.key,
                                    fileobj=SimpleUploadedFile("a.pdf", pdf()),
                                    original_name="a.pdf")
    services.dossier_submit(dossier=d, actor=user)
print(json.dumps({"queued": Notification.objects.count(),
                  "pending": Notification.objects.filter(status="pending").count()}))
"""

STATE = """
import django, json
django.setup()
from django.db.models import Count
from motcua.notifications.models import Notification
print(json.dumps({
    "statuses": dict(Notification.objects.values_list("status").annotate(n=Count("id"))),
    "attempts": sorted(set(Notification.objects.values_list("attempts", flat=True))),
}))
"""


def test_two_database_workers_send_every_notification_once(tmp_path_factory):
    env = scratch_env(tmp_path_factory.mktemp("db-tasks"), "_dbtasks")
    env["MOTCUA_TASKS_BACKEND"] = "database"
    queued = last_json(run_script(dict(env, COUNT="15"), SUBMIT))
    assert queued["pending"] == queued["queued"] == 30  # an email and an SMS each
    workers = [subprocess.Popen([motcua(), "db_worker", "--batch", "--interval", "0.1",
                                 "--no-startup-delay", "--worker-id", f"w{n}"],
                                env=env, cwd=env["MOTCUA_VAR_DIR"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for n in (1, 2)]
    for worker in workers:
        assert worker.wait(timeout=300) == 0, worker.stderr.read()
    state = last_json(run_script(env, STATE))
    assert state["statuses"] == {"sent": 30}
    assert state["attempts"] == [1]


@pytest.fixture
def redis_url():
    url = "redis://127.0.0.1:6379/9"
    client = redis.Redis.from_url(url)
    client.ping()
    client.flushdb()
    yield url
    client.flushdb()


def test_redis_queue_and_an_rq_worker_send_every_notification_once(tmp_path_factory,
                                                                    redis_url):
    env = scratch_env(tmp_path_factory.mktemp("rq-tasks"), "_rqtasks")
    env.update(MOTCUA_TASKS_BACKEND="redis", MOTCUA_REDIS_URL=redis_url)
    queued = last_json(run_script(dict(env, COUNT="5"), SUBMIT))
    assert queued["pending"] == 10
    # An email and an SMS each, and the statistics' update of each dossier.
    assert redis.Redis.from_url(redis_url).llen("rq:queue:default") == 10 + 5
    worker = subprocess.run([motcua(), "rqworker", "--burst", "--job-class",
                             "django_tasks_rq.Job", "default"], env=env,
                            cwd=env["MOTCUA_VAR_DIR"], capture_output=True, text=True,
                            timeout=300)
    assert worker.returncode == 0, worker.stderr
    state = last_json(run_script(env, STATE))
    assert state["statuses"] == {"sent": 10}
