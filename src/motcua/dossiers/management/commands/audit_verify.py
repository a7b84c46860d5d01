from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.audit import chains_verify


class Command(BaseCommand):
    help = "Check every dossier's event chain; lists each edited, deleted or inserted event."

    def handle(self, *args, **options):
        breaks = 0
        checked = 0
        for item in chains_verify():
            if isinstance(item, int):
                checked = item
                continue
            breaks += 1
            self.stdout.write(str(item))
        if breaks:
            raise CommandError(f"{breaks} break(s) in the event chains of {checked} dossiers")
        self.stdout.write(f"{checked} dossiers checked: every event chain is whole")
