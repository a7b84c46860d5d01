"""Any change to a calendar day bumps CalendarState.generation once per transaction, after
commit, so the calendar cached in every process is rebuilt on its next use."""

from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from .models import CalendarDay, CalendarState


def calendar_generation_bump():
    updated = CalendarState.objects.filter(pk=1).update(generation=F("generation") + 1)
    if not updated:
        CalendarState.objects.get_or_create(pk=1, defaults={"generation": 1})


def calendar_changed(**kwargs):
    # One bump per transaction: skip if this transaction already has one queued.
    if any(item[1] is calendar_generation_bump for item in connection.run_on_commit):
        return
    transaction.on_commit(calendar_generation_bump)


post_save.connect(calendar_changed, sender=CalendarDay, dispatch_uid="calendar-day-save")
post_delete.connect(calendar_changed, sender=CalendarDay, dispatch_uid="calendar-day-delete")
