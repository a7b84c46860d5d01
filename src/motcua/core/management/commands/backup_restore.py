from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `motcua backup create` (stop the site and workers " \
           "first), then check counts, files and event chains: motcua backup restore DIR"

    def add_arguments(self, parser):
        parser.add_argument("source")

    def handle(self, *args, source, **options):
        try:
            result = backup_restore(source=Path(source))
        except BackupError as exc:
            raise CommandError(f"restore incomplete: {exc}") from exc
        self.stdout.write(f"restored {result['counts']}, {result['files']} files; "
                          "every event chain is whole")
