"""Concurrent submissions and a process killed mid-submission, on a real database of their
own (the test database of pytest-django cannot be shared between processes)."""

import signal

import pytest

from tests.scratch import last_json, run_script, scratch_env

SETUP = """
import django, io, json
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas
from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.demo.dossiers import demo_form_data
from motcua.dossiers import services
from motcua.eforms.schema import effective_schema

def pdf():
    buffer = io.BytesIO(); page = canvas.Canvas(buffer); page.drawString(72, 720, "x")
    page.showPage(); page.save(); return buffer.getvalue()

def complete_draft(username="025080001234", code="1.004873"):
    user = User.objects.get(username=username)
    version = Procedure.objects.get(code=code).current_version()
    dossier = services.dossier_draft_create(version=version, actor=user)
    services.dossier_form_save(dossier=dossier, actor=user,
                               data=demo_form_data(effective_schema(version), user))
    for document in services.required_documents(dossier):
        if document.mandatory:
            services.attachment_add(dossier=dossier, actor=user, document_key=document.key,
                                    fileobj=SimpleUploadedFile("a.pdf", pdf()),
                                    original_name="a.pdf")
    return dossier, user
"""

CONCURRENT = SETUP + """
import threading
from django.db import connection
drafts = [complete_draft() for _ in range(50)]
barrier = threading.Barrier(50)
codes, errors = [], []

def submit(dossier, user):
    try:
        barrier.wait()
        codes.append(services.dossier_submit(dossier=dossier, actor=user).code)
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=submit, args=pair) for pair in drafts]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({"codes": codes, "errors": errors}))
"""


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return scratch_env(tmp_path_factory.mktemp("scratch-var"), "_scratch")


def test_fifty_concurrent_submissions_get_fifty_consecutive_codes(scratch):
    result = last_json(run_script(scratch, CONCURRENT))
    assert result["errors"] == []
    codes = result["codes"]
    assert len(codes) == len(set(codes)) == 50
    prefixes = {c.rsplit("-", 1)[0] for c in codes}
    assert len(prefixes) == 1
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, 51))


CRASH = SETUP + """
import os, signal
from django.db import transaction
from motcua.dossiers import codes
dossier, user = complete_draft(username="025192001111")
print(json.dumps({"id": dossier.pk}), flush=True)
point = os.environ["KILL_AT"]

def kill(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "after_code":
    original = codes.dossier_code_next
    def after(*a, **k):
        original(*a, **k); kill()
    services.codes.dossier_code_next = after
elif point == "before_event":
    services._lock_version = kill
elif point == "before_commit":
    original_notify = services._notify
    def notify(*a, **k):
        original_notify(*a, **k); kill()
    services._notify = notify
elif point == "after_commit":
    original_submit = services.dossier_submit
    def submit(**kwargs):
        result = original_submit(**kwargs); kill()
    services.dossier_submit = submit
services.dossier_submit(dossier=dossier, actor=user)
print("survived", flush=True)
"""

STATE = """
import django, json, os
django.setup()
from motcua.dossiers.models import CodeSequence, Dossier, DossierEvent
from motcua.notifications.models import Notification
d = Dossier.objects.get(pk=int(os.environ["DOSSIER"]))
print(json.dumps({
    "status": d.status, "code": d.code,
    "submit_events": DossierEvent.objects.filter(dossier=d, action="submit").count(),
    "numbers": sum(CodeSequence.objects.values_list("last", flat=True)),
    "submitted": Dossier.objects.exclude(code=None).count(),
    "notifications": Notification.objects.filter(dossier_code=d.code or "-").count(),
}))
"""


COUNTS = """
import django, json
django.setup()
from motcua.dossiers.models import CodeSequence, Dossier
print(json.dumps({"numbers": sum(CodeSequence.objects.values_list("last", flat=True)),
                  "submitted": Dossier.objects.exclude(code=None).count()}))
"""


@pytest.mark.parametrize(("point", "whole"), [
    ("after_code", False), ("before_event", False), ("before_commit", False),
    ("after_commit", True),
])
def test_a_killed_submission_leaves_the_whole_dossier_or_nothing(scratch, point, whole):
    before = last_json(run_script(scratch, COUNTS))
    process = run_script(dict(scratch, KILL_AT=point), CRASH, check=False)
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert "survived" not in process.stdout
    dossier_id = last_json(process)["id"]
    after = last_json(run_script(dict(scratch, DOSSIER=str(dossier_id)), STATE))
    if whole:
        assert after["status"] == 1 and after["code"]
        assert after["submit_events"] == 1
        assert after["numbers"] == before["numbers"] + 1
        assert after["notifications"] >= 1
    else:
        assert after["status"] == 0 and after["code"] is None
        assert after["submit_events"] == 0
        assert after["numbers"] == before["numbers"]
        assert after["submitted"] == before["submitted"]
