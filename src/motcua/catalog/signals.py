"""Any change to the catalogue bumps CatalogState.generation once per transaction, after
commit, so search indexes in every process rebuild on their next query."""

from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import models

WATCHED = (
    models.Procedure,
    models.ProcedureVersion,
    models.RequiredDocument,
    models.Fee,
    models.Field,
    models.LifeEvent,
    models.SearchSynonym,
)


def catalog_generation_bump():
    updated = models.CatalogState.objects.filter(pk=1).update(generation=F("generation") + 1)
    if not updated:
        models.CatalogState.objects.get_or_create(pk=1, defaults={"generation": 1})


def catalog_changed(**kwargs):
    # One bump per transaction: skip if this transaction already has one queued (a rollback
    # empties the queue, so nothing is left pending).
    if any(item[1] is catalog_generation_bump for item in connection.run_on_commit):
        return
    transaction.on_commit(catalog_generation_bump)


for model in WATCHED:
    post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-save-{model.__name__}")
    post_delete.connect(
        catalog_changed, sender=model, dispatch_uid=f"catalog-delete-{model.__name__}"
    )


@receiver(m2m_changed, sender=models.ProcedureVersion.life_events.through)
def _life_events_changed(**kwargs):
    catalog_changed()
