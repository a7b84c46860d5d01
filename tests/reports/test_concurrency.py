"""The facts update of one dossier run many times at once, on a real database of its own
(threads with their own connections): each event counts once."""

import pytest

from tests.scratch import last_json, run_script, scratch_env

SCRIPT = """
import django, json, threading
django.setup()
from django.db import connection
from motcua.demo.dossiers import demo_dossiers_load
from motcua.dossiers.models import Dossier
from motcua.reports import services
from motcua.reports.models import DossierTrack
from tests.reports.helpers import facts_snapshot

# The demo's tasks keep the facts as it goes; the rebuild gives the reference, then the
# facts are thrown away so that the threads start from none.
demo_dossiers_load(count=12)
services.facts_rebuild()
expected = facts_snapshot()
from motcua.reports.models import FACT_MODELS, DossierSpan, ReasonFact, StepFact
for model in (*FACT_MODELS, StepFact, ReasonFact, DossierSpan, DossierTrack):
    model.objects.all().delete()
ids = list(Dossier.objects.exclude(code=None).values_list("pk", flat=True))
barrier = threading.Barrier(8)
errors = []

def work():
    try:
        barrier.wait()
        for pk in ids:
            services.dossier_facts_update(dossier_id=pk)
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
got = facts_snapshot()
print(json.dumps({"errors": errors, "same": got == expected, "tracks": len(got["tracks"])}))
"""


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return scratch_env(tmp_path_factory.mktemp("scratch-reports"), "_reports_scratch")


def test_eight_updates_at_once_count_each_event_once(scratch):
    result = last_json(run_script(scratch, SCRIPT))
    assert result["errors"] == []
    assert result["tracks"] > 8
    assert result["same"] is True
