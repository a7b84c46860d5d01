"""Other parts of the system react to a dossier's events without the lifecycle knowing them
(reports, payments, results). ``dossier_event_written`` is sent inside the transaction that
wrote the event: a receiver that writes joins that transaction (and rolls back with it); one
that must act only after commit uses ``transaction.on_commit``."""

from django.dispatch import Signal

# kwargs: event (DossierEvent), dossier (Dossier)
dossier_event_written = Signal()
