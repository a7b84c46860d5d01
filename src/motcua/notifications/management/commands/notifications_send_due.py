from django.core.management.base import BaseCommand

from motcua.notifications.services import notifications_send_due


class Command(BaseCommand):
    help = "Send every notification whose time has come and take back those left half-sent. " \
           "Run it every minute (docs/notifications.md). Usage: motcua notifications send-due"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000,
                            help="at most this many notifications in one run (default 1000)")

    def handle(self, *args, limit, **options):
        summary = notifications_send_due(limit=limit)
        if options["verbosity"] > 0:
            self.stdout.write(
                f"sent {summary.sent}, retrying {summary.retrying}, failed {summary.failed}, "
                f"skipped {summary.skipped}, taken back {summary.recovered}"
            )
