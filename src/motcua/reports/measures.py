"""What the statistics count. Every figure of every report is one of these measures summed
over days and slices, so two reports built from the same facts cannot disagree.

Three kinds:
- a **flow** counts dossiers once, on the day something happened to them (received, resolved
  late, paid online…); the dossiers behind it can be listed;
- a **value** sums a quantity on a day (seconds of processing, documents attached): never
  listed, it divides into averages and rates;
- a **stock** is a state a dossier is in at the end of a day (open, paused, overdue): stored as
  +1 on the day it enters and -1 on the day it leaves, so the stock at the end of a day is the
  sum of every change up to that day.
"""

from __future__ import annotations

FLOWS = (
    "received",            # submitted online or received at a desk (new in the period)
    "assisted",            # …of them submitted with a community team member's help
    "digitised",           # …of them with their documents as electronic files at receipt
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "declined",            # resolved with a refusal of the request (also counted as resolved)
    "withdrawn",
    "refused",             # refused at intake
    "stopped",
    "late_apologised",     # resolved late after an apology sent before the deadline
    "e_results",           # result issued as an electronic document
    "paid",                # a fee or charge was paid (first payment)
    "paid_online",         # …and that payment was made online
    "rated",
    "rated_unsatisfied",
    "supplemented",        # asked for a supplement (once per dossier)
)
VALUES = (
    "components",          # documents attached (at receipt and in supplements)
    "components_reused",   # …taken from the citizen's wallet instead of uploaded again
    "supplement_requests",
    "apologies",
    "resolved_seconds",    # received → resolved, elapsed, summed over resolved dossiers
    "allowed_seconds",     # received → first appointment, summed over resolved dossiers
)
STOCKS = (
    "open",                # received and not yet resolved, withdrawn, refused or stopped
    "paused",              # …waiting for the applicant (supplement or payment)
    "overdue",             # …not paused and past its appointment
)
# Columns of the fact tables: flows and values as they are, stocks as their daily change.
COLUMNS = FLOWS + VALUES + tuple(f"{s}_delta" for s in STOCKS)
COLUMN_INDEX = {name: i for i, name in enumerate(COLUMNS)}
# What a dossier list can show: the flows and the stocks, each a set of dossiers.
LISTABLE = FLOWS + STOCKS
# Small integers in the span table (stable: stored).
MEASURE_CODES = {name: i for i, name in enumerate(LISTABLE, start=1)}
MEASURE_NAMES = {code: name for name, code in MEASURE_CODES.items()}

RESOLVED = ("resolved_early", "resolved_on_time", "resolved_late")
CLOSED_OTHERWISE = ("withdrawn", "refused", "stopped")
