from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.core.calendar_sources import SWAPS_FILE
from motcua.core.services import calendar_import, calendar_seed
from motcua.demo.catalogue import demo_catalogue_load
from motcua.demo.community import demo_community_load
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
        # The package's holidays first, then the announced swaps over them: the seed keeps
        # imported days, so a second run changes nothing.
        year = timezone.localdate().year
        seeded = calendar_seed(years=[year - 1, year, year + 1])
        imported = calendar_import(path=SWAPS_FILE)
        self.stdout.write(
            f"calendar {year - 1}-{year + 1}: holidays created {seeded.created}, "
            f"unchanged {seeded.unchanged}, kept {seeded.kept}; announced days created "
            f"{imported.created}, updated {imported.updated}, unchanged {imported.unchanged}"
        )
        people = demo_people_load()
        self.stdout.write(f"accounts: {people['citizens']} citizens, "
                          f"{people['officials']} officials")
        made = demo_dossiers_load(count=dossiers)
        self.stdout.write(f"dossiers: {made} made" if made else "dossiers: already there")
        teams = demo_community_load(dossiers=dossiers > 0)
        self.stdout.write(f"community teams: {teams}" if teams
                          else "community teams: already there")
        from motcua.reports.demo import demo_reports_load

        self.stdout.write(f"statistics: {demo_reports_load()['updated']} dossiers brought up "
                          f"to date")
