from django.core.management.base import BaseCommand

from motcua.reports.services import facts_catch_up


class Command(BaseCommand):
    help = ("Apply the dossier events not yet in the statistics (a lost task, a stopped "
            "worker); safe to run at any time.")

    def handle(self, *args, **options):
        self.stdout.write(f"dossiers brought up to date: {facts_catch_up()}")
