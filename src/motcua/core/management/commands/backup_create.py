from pathlib import Path

from django.core.management.base import BaseCommand

from motcua.core.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder: motcua backup " \
           "create DIR"

    def add_arguments(self, parser):
        parser.add_argument("target")

    def handle(self, *args, target, **options):
        manifest = backup_create(target=Path(target))
        self.stdout.write(f"backup in {target}: {manifest['counts']}, "
                          f"{len(manifest['files'])} files")
