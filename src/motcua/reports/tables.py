"""The figures tables, written as HTML by a plain function: a province's table has hundreds
of rows of seventeen linked numbers, and the template engine would take most of the page's
time for it."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def _percent(value) -> str:
    return "—" if value is None else f"{value}%"


def _row(row, cell_tag="td") -> str:
    name = escape(row["name"])
    if row.get("href"):
        name = f'<a href="{escape(row["href"])}">{name}</a>'
    cells = "".join(
        f'<td><a href="{escape(href)}">{value}</a></td>' if value else "<td>0</td>"
        for value, href in row["cells"])
    return (f'<tr><th scope="row">{name}</th><td>{row["to_process"]}</td>{cells}'
            f'<td>{_percent(row["on_time"])}</td><td>{_percent(row["online"])}</td></tr>')


def figures_table(*, caption: str, columns, rows, total=None) -> str:
    groups: list[tuple[str, int]] = []
    for _key, _label, group in columns:
        if groups and groups[-1][0] == str(group):
            groups[-1] = (groups[-1][0], groups[-1][1] + 1)
        else:
            groups.append((str(group), 1))
    # "Received" spans the carried-over column and the three channels.
    head_groups = "".join(f'<th scope="colgroup" colspan="{n}">{escape(g)}</th>'
                          for g, n in groups)
    head = (f'<thead><tr><th scope="col" rowspan="2">{escape(_("Name"))}</th>'
            f'<th scope="col" rowspan="2">{escape(_("To process"))}</th>{head_groups}'
            f'<th scope="col" rowspan="2">{escape(_("On time"))}</th>'
            f'<th scope="col" rowspan="2">{escape(_("Online"))}</th></tr><tr>'
            + "".join(f'<th scope="col">{escape(label)}</th>' for _k, label, _g in columns)
            + "</tr></thead>")
    body = "".join(_row(r) for r in rows or []) or (
        f'<tr><td colspan="{len(columns) + 4}">{escape(_("No dossiers in this period."))}'
        f"</td></tr>")
    foot = f"<tfoot>{_row(total)}</tfoot>" if total else ""
    # Every text above went through escape(); the numbers are integers.
    return mark_safe(f'<div class="table-scroll"><table class="stats"><caption>'
                     f'{escape(caption)}</caption>{head}<tbody>{body}</tbody>{foot}</table>'
                     f"</div>")
