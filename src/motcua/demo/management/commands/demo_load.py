from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.demo.catalogue import demo_catalogue_load
from motcua.demo.dossiers import demo_dossiers_load
from motcua.demo.geo import demo_geo_load
from motcua.demo.people import demo_people_load
from motcua.geo.services import units_import


class Command(BaseCommand):
    help = "Load the demonstration data (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=300,
                            help="how many demo dossiers to make on the first run")

    def handle(self, *args, dossiers, **options):
        units = units_import()
        self.stdout.write(f"units: created {units.created}, updated {units.updated}, "
                          f"unchanged {units.unchanged}")
        demo_geo_load()
        self.stdout.write(f"agencies and desks of province {settings.PROVINCE_CODE}: ok")
        summary = demo_catalogue_load()
        self.stdout.write(
            f"procedures: created {len(summary.created)}, updated {len(summary.updated)}, "
            f"unchanged {len(summary.unchanged)}"
        )
        people = demo_people_load()
        self.stdout.write(f"accounts: {people['citizens']} citizens, "
                          f"{people['officials']} officials")
        made = demo_dossiers_load(count=dossiers)
        self.stdout.write(f"dossiers: {made} made" if made else "dossiers: already there")
