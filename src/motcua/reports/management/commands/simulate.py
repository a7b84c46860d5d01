import time

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.models import Dossier
from motcua.reports.services import facts_rebuild
from motcua.reports.simulate import dossiers_simulate


class Command(BaseCommand):
    help = ("Write a realistic history of N dossiers (same events and hash chain as the "
            "services, in bulk), then compute the statistics. Deterministic for a seed.")

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--no-facts", action="store_true",
                            help="leave the statistics alone (run `motcua reports rebuild`)")

    def handle(self, *args, dossiers, seed, batch, no_facts, **options):
        if dossiers < 1:
            raise CommandError("--dossiers must be at least 1")
        if Dossier.objects.filter(code__contains="-").exclude(created_by=None).filter(
                created_by__username__startswith="sim.").exists():
            self.stderr.write("note: this database already holds a simulated history; "
                              "adding another one")
        start = time.perf_counter()
        made = dossiers_simulate(
            dossiers=dossiers, seed=seed, batch=batch,
            progress=lambda n: self.stdout.write(f"  {n} dossiers", ending="\r"))
        seconds = time.perf_counter() - start
        self.stdout.write(f"simulated {made['dossiers']} dossiers and {made['events']} events "
                          f"in {seconds:.1f} s ({made['dossiers'] / seconds:.0f} dossiers/s)")
        if not no_facts:
            start = time.perf_counter()
            totals = facts_rebuild()
            self.stdout.write(f"statistics rebuilt from {totals['events']} events in "
                              f"{time.perf_counter() - start:.1f} s")
