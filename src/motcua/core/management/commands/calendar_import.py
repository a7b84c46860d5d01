from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.services import CalendarImportError, calendar_import


class Command(BaseCommand):
    help = "Import days off and make-up working days from a CSV file (date,kind,name; kind " \
           "holiday or workday; date YYYY-MM-DD or dd/mm/yyyy), all rows or none. " \
           "Usage: motcua calendar import FILE.csv"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        if not Path(file).is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        try:
            summary = calendar_import(path=Path(file))
        except CalendarImportError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(_("%(count)s problem(s); nothing was imported.")
                               % {"count": len(exc.errors)}) from exc
        self.stdout.write(_("calendar: %(created)s created, %(updated)s updated, "
                            "%(unchanged)s unchanged")
                          % {"created": summary.created, "updated": summary.updated,
                             "unchanged": summary.unchanged})
