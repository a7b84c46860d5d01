from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.geo.services import UNITS_FILE, UnitImportError, units_import


class Command(BaseCommand):
    help = "Import administrative units from a CSV (code,name,division_type,parent_code," \
           "codename). Without FILE: the shipped national list of 2025."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(UNITS_FILE))
        parser.add_argument("--province", help="keep only this province and its subtree")

    def handle(self, *args, file, province, **options):
        if not Path(file).exists():
            raise CommandError(f"No such file: {file}")
        try:
            summary = units_import(path=Path(file), only_province=province)
        except UnitImportError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError("nothing was imported") from exc
        self.stdout.write(f"created {summary.created}, updated {summary.updated}, "
                          f"unchanged {summary.unchanged}")
