from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.services import catalog_export


class Command(BaseCommand):
    help = "Export the catalogue to a .json or .xlsx file. Usage: motcua catalog export FILE"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--in-force", action="store_true",
                            help="only the versions in force today")

    def handle(self, *args, file, in_force, **options):
        try:
            count = catalog_export(path=file, all_versions=not in_force)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"exported {count} procedure version(s) to {file}")
