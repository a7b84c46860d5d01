from django.core.management.base import BaseCommand

from motcua.resumable.services import uploads_purge


class Command(BaseCommand):
    help = "Delete expired resumable uploads and their pieces (run hourly)."

    def handle(self, *args, **options):
        self.stdout.write(f"{uploads_purge()} expired upload(s) removed")
