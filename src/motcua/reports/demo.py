"""The statistics of the demo: a provincial leader's account, and the facts of every demo
dossier (kept by the tasks as the demo's dossiers are made; this applies whatever a queued
task has not yet). Idempotent: a second run changes nothing."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction

from motcua.accounts.models import Kind, OfficialRole, Role, User
from motcua.geo.models import Agency

from .services import facts_catch_up

PROVINCE_LEADER = ("tinh.lanhdao", "Nguyễn Quốc Hưng", "000.00.00.H43")


def demo_reports_load() -> dict:
    from motcua.demo.people import OFFICIAL_PASSWORD

    username, full_name, agency_code = PROVINCE_LEADER
    with transaction.atomic():
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is not None and not User.objects.filter(username=username).exists():
            user = User.objects.create(username=username, full_name=full_name,
                                       kind=Kind.OFFICIAL,
                                       password=make_password(OFFICIAL_PASSWORD))
            OfficialRole.objects.get_or_create(user=user, agency=agency, role=Role.LEADER)
    return {"updated": facts_catch_up()}
