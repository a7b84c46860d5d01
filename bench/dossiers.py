"""Dossier benchmarks (run in a prepared database by bench/__main__.py):

- submissions per second, without files, through the real services;
- a queue of N dossiers for one agency, made in bulk, for the officials' queue page.
"""

import datetime as dt
import random
import time

from django.db import transaction
from django.utils import timezone

BENCH_CODE = "9.900001"


def bench_procedure():
    """A procedure whose documents are all optional, so a submission needs no file."""
    from motcua.catalog.exchange import parse_records
    from motcua.catalog.models import Procedure
    from motcua.catalog.services import catalog_import_records

    if not Procedure.objects.filter(code=BENCH_CODE).exists():
        records, errors = parse_records([{
            "code": BENCH_CODE, "name": "Thủ tục dùng cho đo hiệu năng", "field": "Hộ tịch",
            "levels": ["Cấp xã"], "agency": "Ủy ban nhân dân cấp xã", "agency_kind": "ubnd_xa",
            "processing_time": {"value": 3, "unit": "ngày làm việc"}, "online_mode": "full",
            "documents": [{"name": "Tờ khai", "mandatory": False}],
        }])
        assert not errors, errors
        catalog_import_records(records=records)
    return Procedure.objects.get(code=BENCH_CODE).current_version()


def submissions(n: int) -> float:
    """Submissions per second: draft, form, submit, each in its own transactions."""
    from motcua.accounts.models import User
    from motcua.demo.dossiers import demo_form_data
    from motcua.dossiers import services
    from motcua.eforms.schema import effective_schema

    version = bench_procedure()
    citizen = User.objects.get(username="025080001234")
    form = demo_form_data(effective_schema(version), citizen)
    start = time.perf_counter()
    for _ in range(n):
        dossier = services.dossier_draft_create(version=version, actor=citizen)
        services.dossier_form_save(dossier=dossier, actor=citizen, data=form)
        services.dossier_submit(dossier=dossier, actor=citizen)
    return n / (time.perf_counter() - start)


def queue_fill(n: int, *, seed: int = 11) -> str:
    """N open dossiers at Phường Việt Trì's justice specialist step, made in bulk (the
    services would take hours): realistic rows, due dates around today. Returns the user
    name of the official whose queue it is."""
    from motcua.dossiers.models import Dossier, DossierStep, Status
    from motcua.geo.models import Agency

    rng = random.Random(seed)
    version = bench_procedure()
    agency = Agency.objects.get(kind__slug="ubnd_xa", unit__code="07900")
    now = timezone.now()
    batch = 5000
    made = 0
    while made < n:
        size = min(batch, n - made)
        with transaction.atomic():
            dossiers = []
            for i in range(size):
                number = made + i
                received = now - dt.timedelta(hours=rng.randint(1, 24 * 60))
                dossiers.append(Dossier(
                    code=f"{agency.code}-B{number:07d}", procedure_version=version,
                    status=rng.choice([Status.RECEIVED, Status.PROCESSING]),
                    applicant_name=f"Người nộp {number}", applicant_unit_id=agency.unit_id,
                    receiving_agency=agency, competent_agency=agency, channel="online",
                    submitted_at=received, received_at=received,
                    due_at=received + dt.timedelta(days=rng.randint(1, 10)),
                ))
            Dossier.objects.bulk_create(dossiers, batch_size=1000)
            created = list(Dossier.objects.filter(code__in=[d.code for d in dossiers]))
            steps = [DossierStep(dossier=d, position=0, name="Thẩm định hồ sơ",
                                 role="specialist", agency=agency, started_at=d.received_at,
                                 due_at=d.due_at - dt.timedelta(hours=8)) for d in created]
            DossierStep.objects.bulk_create(steps, batch_size=1000)
            for dossier, step in zip(created, steps, strict=True):
                dossier.current_step = step
            Dossier.objects.bulk_update(created, ["current_step"], batch_size=1000)
        made += size
    return "vietri.tuphap"
