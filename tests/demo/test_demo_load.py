import pytest
from django.core import serializers
from django.core.management import call_command

from motcua.catalog.models import ProcedureVersion

pytestmark = pytest.mark.django_db


def snapshot():
    from django.apps import apps

    apps_checked = {"geo", "catalog", "core", "accounts", "dossiers", "notifications"}
    models = [m for m in apps.get_models() if m._meta.app_label in apps_checked]
    return {m.__name__: serializers.serialize("json", m.objects.order_by("pk")) for m in models}


def test_loading_the_demo_twice_changes_nothing():
    quiet = open("/dev/null", "w")  # noqa: SIM115
    call_command("demo_load", dossiers=12, stdout=quiet)
    first = snapshot()
    assert '"model": "dossiers.dossier"' in first["Dossier"]
    call_command("demo_load", dossiers=12, stdout=quiet)
    assert snapshot() == first


def test_demo_catalogue_covers_province_and_commune_level():
    levels = [v.levels for v in ProcedureVersion.objects.all()]
    assert len(levels) >= 60
    assert sum("province" in level for level in levels) >= 10
    assert sum("commune" in level for level in levels) >= 40


def test_demo_values_are_marked_as_demonstration():
    version = ProcedureVersion.objects.get(procedure__code="2.001263")
    assert "processing_time" in version.demo_fields
