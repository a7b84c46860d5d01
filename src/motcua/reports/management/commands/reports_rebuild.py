import time

from django.core.management.base import BaseCommand

from motcua.reports.services import facts_rebuild


class Command(BaseCommand):
    help = ("Compute every statistic again from the dossier events (the same figures the "
            "incremental update keeps), in one transaction.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help="dossiers read at a time")

    def handle(self, *args, batch, **options):
        start = time.perf_counter()
        totals = facts_rebuild(batch=batch)
        seconds = time.perf_counter() - start
        self.stdout.write(f"rebuilt from {totals['events']} events of {totals['dossiers']} "
                          f"dossiers in {seconds:.1f} s")
