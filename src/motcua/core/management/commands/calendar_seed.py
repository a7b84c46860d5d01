from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.services import calendar_seed


class Command(BaseCommand):
    help = "Fill the public holidays of some years from the holidays package (last, this and " \
           "next year by default), keeping days imported or edited by hand. " \
           "Usage: motcua calendar seed [--years 2025 2026 2027]"

    def add_arguments(self, parser):
        parser.add_argument("--years", nargs="+", type=int)

    def handle(self, *args, years, **options):
        if not years:
            this_year = timezone.localdate().year
            years = [this_year - 1, this_year, this_year + 1]
        wrong = [year for year in years if not 1995 <= year <= 2100]
        if wrong:
            raise CommandError(_("Give years from 1995 to 2100, not %(years)s")
                               % {"years": ", ".join(str(y) for y in wrong)})
        summary = calendar_seed(years=years)
        self.stdout.write(_("holidays of %(years)s: %(created)s created, %(updated)s updated, "
                            "%(unchanged)s unchanged, %(kept)s kept as imported or edited, "
                            "%(removed)s removed")
                          % {"years": ", ".join(str(y) for y in sorted(set(years))),
                             "created": summary.created, "updated": summary.updated,
                             "unchanged": summary.unchanged, "kept": summary.kept,
                             "removed": summary.removed})
