"""Charts as inline SVG, drawn on the server: no script, no library, a few hundred bytes
each. Every chart has a title and a description for screen readers, and the page shows the
same numbers in a table under it; colours are a second signal (the legend names them)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 200, 44, 28, 10
# Dark enough against white for a graphical object (WCAG 1.4.11, ≥ 3:1).
COLOURS = ["#0b4f9c", "#b85c00", "#2f7d32", "#8a0000", "#5b3f8c"]


def _num(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def stacked_bars(*, uid: str, title: str, description: str, labels: list[str],
                 series: list[tuple[str, list[float]]], percent: bool = False) -> str:
    """Vertical bars, one per label, stacked by series."""
    n = max(1, len(labels))
    totals = [sum(values[i] for _name, values in series) for i in range(len(labels))]
    top = 100.0 if percent else max([*totals, 1])
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    slot = plot_w / n
    bar = max(2.0, slot * 0.7)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="{uid}-t {uid}-d" preserveAspectRatio="xMidYMid meet">',
             f'<title id="{uid}-t">{escape(title)}</title>',
             f'<desc id="{uid}-d">{escape(description)}</desc>']
    for fraction in (0, 0.5, 1):
        y = TOP + plot_h * (1 - fraction)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#bbb" stroke-width="1"/>')
        text = f"{fraction * 100:.0f}%" if percent else _num(top * fraction)
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="15" fill="#333">{text}</text>')
    every = max(1, -(-n // 6))
    for i, label in enumerate(labels):
        x = LEFT + slot * i + (slot - bar) / 2
        y = TOP + plot_h
        for s, (_name, values) in enumerate(series):
            value = values[i]
            if value <= 0:
                continue
            h = plot_h * min(value, top) / top
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{COLOURS[s % len(COLOURS)]}"/>')
        if i % every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle" '
                         f'font-size="15" fill="#333">{escape(label)}</text>')
    parts.append("</svg>")
    legend = "".join(
        f'<li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" '
        f'fill="{COLOURS[s % len(COLOURS)]}"/></svg> {escape(name)}</li>'
        for s, (name, _v) in enumerate(series))
    # Every text in it was escaped above; the rest is our own markup.
    return mark_safe(f'{"".join(parts)}<ul class="legend">{legend}</ul>')
