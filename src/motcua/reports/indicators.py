"""Rates from the figures: plain formulas, none of them stored, each documented in
docs/statistics.md. A rate without a denominator is None ("no data"), never 0 or 100 %."""

from __future__ import annotations

from .selectors import Figures


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def rates(f: Figures) -> dict[str, float | None]:
    d = f.as_dict()
    granted = d["resolved"] - d["declined"]
    return {
        # (early + on time) ÷ resolved; dossiers still open are not in it.
        "on_time_rate": ratio(d["resolved_early"] + d["resolved_on_time"], d["resolved"]),
        "online_rate": ratio(d["received_online"], d["received"]),
        "online_payment_rate": ratio(d["paid_online"], d["paid"]),
        "digitisation_rate": ratio(d["digitised"], d["received"]),
        "e_result_rate": ratio(d["e_results"], granted),
        "reuse_rate": ratio(d["components_reused"], d["components"]),
        "satisfaction_rate": ratio(d["rated"] - d["rated_unsatisfied"], d["rated"]),
        "assisted_rate": ratio(d["assisted"], d["received_online"]),
        "average_days": ratio(d["resolved_seconds"], d["resolved"] * 86400),
    }
