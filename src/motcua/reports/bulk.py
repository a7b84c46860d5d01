"""Writing many rows fast: COPY on PostgreSQL, one prepared INSERT run over every row
elsewhere. The ORM's per-field work is most of the time of a bulk_create of millions of
rows; these rows are plain numbers, dates and short texts that need none of it."""

from __future__ import annotations

import datetime as dt

from django.db import connection


def rows_insert(table: str, columns: list[str] | tuple[str, ...], rows, *,
                chunk: int = 10_000) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table``; returns how
    many."""
    q = connection.ops.quote_name
    count = 0
    if connection.vendor == "postgresql":
        sql = f"COPY {q(table)} ({', '.join(q(c) for c in columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    sql = (f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    adapt_date = connection.ops.adapt_datefield_value
    adapt_datetime = connection.ops.adapt_datetimefield_value

    def adapt(value):
        if isinstance(value, dt.datetime):
            return adapt_datetime(value)
        if isinstance(value, dt.date):
            return adapt_date(value)
        return value

    batch = []
    dated: list[int] | None = None
    with connection.cursor() as cursor:
        for row in rows:
            if dated is None:
                # Dates are in the same columns in every row (or empty in the first):
                # convert only those.
                dated = [i for i, v in enumerate(row) if v is None or isinstance(v, dt.date)]
            if dated:
                row = list(row)
                for i in dated:
                    row[i] = adapt(row[i])
            batch.append(row)
            if len(batch) >= chunk:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
