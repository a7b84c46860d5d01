"""Dossier codes in the national form: <agency electronic ID>-<yymmdd>-<4-digit number>
(TT 01/2018 Art. 19), e.g. 000.00.20.H36-261124-0007. Numbers are consecutive and gap-free
per agency and day: the counter row is incremented by one atomic statement inside the
dossier's own transaction, so a rolled-back submission gives its number back, and concurrent
submissions queue on the row lock (PostgreSQL) or the write lock (SQLite)."""

import datetime as dt

from django.db import connection

from .models import CodeSequence


def code_format(agency_code: str, day: dt.date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def dossier_number_next(*, agency_id: int, day: dt.date) -> int:
    """Must run inside the transaction that saves the dossier."""
    table = connection.ops.quote_name(CodeSequence._meta.db_table)
    # The table name comes from the model, the values are parameters.
    sql = (
        f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 "
        "RETURNING last"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency_id, day])
        return cursor.fetchone()[0]


def dossier_code_next(*, agency, day: dt.date) -> str:
    return code_format(agency.code, day, dossier_number_next(agency_id=agency.pk, day=day))
