from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.services import CatalogImportError, catalog_import


class Command(BaseCommand):
    help = "Import procedures from a .json or .xlsx file (all rows or none). " \
           "Usage: motcua catalog import FILE"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            summary = catalog_import(path=file)
        except CatalogImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} problem(s); nothing was imported.") from exc
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {file}") from exc
        self.stdout.write(
            f"created {len(summary.created)}, updated {len(summary.updated)}, "
            f"new versions {len(summary.new_versions)}, unchanged {len(summary.unchanged)}"
        )
