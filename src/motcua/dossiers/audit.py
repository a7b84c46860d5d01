"""A hash chain over each dossier's events, so an edited, deleted or inserted row is found.

Every event's hash is the SHA-256 of its content in a canonical form and of the previous
event's hash; the dossier keeps the hash of its last event. `motcua audit verify` recomputes
every chain. The services write events while holding the dossier's row lock, so a chain never
forks. This proves integrity against changes made behind the application's back (a database
console, a restored backup mixed with newer rows); it does not stop an attacker who can also
rewrite the chain — for that, export the chain ends (`motcua audit anchor`) to where they
cannot reach."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

GENESIS = ""


def event_content(event) -> dict:
    at = event.at
    if isinstance(at, dt.datetime):
        at = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return {
        "dossier": event.dossier_id, "at": at, "actor": event.actor_id,
        "role": event.actor_role or "", "agency": event.agency_id, "action": event.action,
        "from": event.from_status, "to": event.to_status, "reason": event.reason or "",
        "data": event.data or {},
    }


def event_hash(event, prev_hash: str) -> str:
    payload = json.dumps({"prev": prev_hash, **event_content(event)}, sort_keys=True,
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Break:
    dossier_id: int
    code: str
    event_id: int | None
    problem: str

    def __str__(self):
        where = f"event {self.event_id}" if self.event_id else "chain end"
        return f"dossier {self.code or self.dossier_id}, {where}: {self.problem}"


def dossier_chain_check(dossier, events) -> list[Break]:
    """The breaks in one dossier's chain, given its events in the order they were written."""
    breaks: list[Break] = []
    prev = GENESIS
    for event in events:
        if event.prev_hash != prev:
            breaks.append(Break(dossier.pk, dossier.code or "", event.pk,
                                "does not follow the event before it (one was deleted, "
                                "inserted or reordered)"))
        if event.hash != event_hash(event, event.prev_hash):
            breaks.append(Break(dossier.pk, dossier.code or "", event.pk,
                                "its content was changed after it was written"))
        prev = event.hash
    if prev != dossier.last_event_hash:
        breaks.append(Break(dossier.pk, dossier.code or "", None,
                            "the dossier's last event is missing or was replaced"))
    return breaks


def chains_verify(*, batch: int = 500) -> Iterator[Break | int]:
    """Every break in every dossier's chain; yields the number of dossiers checked at the
    end."""
    from .models import Dossier, DossierEvent

    checked = 0
    last_pk = 0
    while True:
        dossiers = list(Dossier.objects.filter(pk__gt=last_pk).order_by("pk")
                        .only("pk", "code", "last_event_hash")[:batch])
        if not dossiers:
            break
        last_pk = dossiers[-1].pk
        by_dossier: dict[int, list] = {d.pk: [] for d in dossiers}
        for event in DossierEvent.objects.filter(dossier_id__in=by_dossier).order_by("pk"):
            by_dossier[event.dossier_id].append(event)
        for dossier in dossiers:
            yield from dossier_chain_check(dossier, by_dossier[dossier.pk])
        checked += len(dossiers)
    yield checked
