"""The periodic report and the index as .xlsx (openpyxl) and CSV, from the same figures as
the pages and the API.

The periodic report follows the layout of the provincial People's Committee's report on the
receipt and resolution of administrative procedure dossiers: received (total, carried over,
online, in person or by post), resolved (total, early, on time, late), in progress (total,
within the deadline, overdue), with a row per field, agency or unit and the total; two
columns follow the official ones so the balance can be checked on paper (dossiers paused,
which are within the deadline, and those withdrawn, refused or stopped).
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone

from motcua.core.formats import format_date

from . import index, indicators
from .selectors import report_figures

HEADINGS = [
    ("STT", None), ("Lĩnh vực, cơ quan, đơn vị", None),
    ("Số hồ sơ nhận giải quyết", ["Tổng số", "Kỳ trước chuyển qua", "Trực tuyến",
                                  "Trực tiếp, dịch vụ bưu chính"]),
    ("Số hồ sơ đã giải quyết", ["Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn"]),
    ("Số hồ sơ đang giải quyết", ["Tổng số", "Trong hạn", "Quá hạn"]),
    ("Ghi chú", ["Trong đó tạm dừng, chờ bổ sung", "Rút, từ chối, dừng giải quyết"]),
    ("Tỉ lệ giải quyết đúng hạn (%)", None),
]
GROUP_TITLES = {"unit": "Theo đơn vị", "agency": "Theo cơ quan", "field": "Theo lĩnh vực"}


def report_row(figures) -> list:
    d = figures.as_dict()
    rate = indicators.rates(figures)["on_time_rate"]
    return [d["to_process"], d["carried"], d["received_online"],
            d["received_in_person"] + d["received_post"],
            d["resolved"], d["resolved_early"], d["resolved_on_time"], d["resolved_late"],
            d["open"], d["within_deadline"] + d["paused"], d["overdue"],
            d["paused"], d["withdrawn"] + d["refused"] + d["stopped"],
            None if rate is None else round(100 * rate, 1)]


def _flat_headings() -> list[str]:
    out = []
    for top, subs in HEADINGS:
        out += [f"{top}: {s}" for s in subs] if subs else [top]
    return out


def _title(query) -> list[str]:
    where = query.unit.name
    if query.agency:
        where = query.agency.name
    return ["BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
            f"Kỳ báo cáo: từ ngày {format_date(query.start)} đến ngày {format_date(query.end)}",
            f"Đơn vị báo cáo: {where}",
            f"Số liệu lập ngày {format_date(timezone.localdate())} từ nhật ký sự kiện hồ sơ."]


def periodic_rows(query, group_by: str):
    report = report_figures(start=query.start, end=query.end, slice=query.slice,
                            group_by=group_by)
    rows = [[n, row.name, *report_row(row.figures)]
            for n, row in enumerate(report.rows, start=1)]
    rows.append(["", "Tổng cộng", *report_row(report.total)])
    return rows


def periodic_report(*, query, fmt: str, group_by: str = "unit") -> tuple[bytes, str]:
    if group_by not in GROUP_TITLES:
        group_by = "unit"
    stem = f"bao-cao-tthc-{query.unit.code}-{query.start:%Y%m%d}-{query.end:%Y%m%d}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(_flat_headings())
        writer.writerows(periodic_rows(query, group_by))
        return ("\ufeff" + out.getvalue()).encode("utf-8"), f"{stem}-{group_by}.csv"
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for group, title in GROUP_TITLES.items():
        sheet = book.create_sheet(title)
        _sheet_write(sheet, _title(query), periodic_rows(query, group))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), f"{stem}.xlsx"


def _sheet_write(sheet, title_lines, rows) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="666666")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    width = sum(len(subs) if subs else 1 for _t, subs in HEADINGS)
    for i, line in enumerate(title_lines, start=1):
        sheet.cell(row=i, column=1, value=line).font = Font(bold=i == 1, size=13 if i == 1
                                                            else 11)
        sheet.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
        sheet.cell(row=i, column=1).alignment = Alignment(horizontal="center")
    top = len(title_lines) + 2
    column = 1
    for heading, subs in HEADINGS:
        cell = sheet.cell(row=top, column=column, value=heading)
        if subs:
            sheet.merge_cells(start_row=top, start_column=column, end_row=top,
                              end_column=column + len(subs) - 1)
            for j, sub in enumerate(subs):
                sheet.cell(row=top + 1, column=column + j, value=sub)
            column += len(subs)
        else:
            sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1,
                              end_column=column)
            column += 1
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in (top, top + 1):
        for c in range(1, width + 1):
            cell = sheet.cell(row=r, column=c)
            cell.font = Font(bold=True)
            cell.border = border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    # The official forms number their columns (1), (2)… under the headings.
    for c in range(1, width + 1):
        numbered = sheet.cell(row=top + 2, column=c, value=f"({c})")
        numbered.alignment = Alignment(horizontal="center")
        numbered.border = border
    for r, row in enumerate(rows, start=top + 3):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.border = border
            if r == top + 2 + len(rows):
                cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 42
    for c in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 12
    sheet.freeze_panes = sheet.cell(row=top + 3, column=3)


def index_report(*, query, rows, fmt: str, labels) -> tuple[bytes, str]:
    headings = ["Loại", "Mã", "Tên", "Tổng điểm (100)"]
    headings += [f"{labels[g]} ({p})" for g, p, _s in index.GROUPS]
    headings += [f"{labels[s]} (%)" for s in index.SUB_NAMES]
    table = []
    for row in rows:
        score = row["score"]
        table.append([
            "Đơn vị" if row["kind"] == "unit" else "Cơ quan", row["code"], row["name"],
            None if score.total is None else round(score.total, 2),
            *[None if score.groups[g] is None else round(score.groups[g], 2)
              for g in index.GROUP_NAMES],
            *[None if score.subs[s] is None else round(100 * score.subs[s], 1)
              for s in index.SUB_NAMES]])
    stem = f"chi-so-766-{query.unit.code}-{query.start:%Y%m%d}-{query.end:%Y%m%d}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([str(h) for h in headings])
        writer.writerows(table)
        return ("\ufeff" + out.getvalue()).encode("utf-8"), f"{stem}.csv"
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Chỉ số 766"
    sheet.append(["BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QĐ 766/QĐ-TTg)"])
    sheet.append([f"Kỳ: từ ngày {format_date(query.start)} đến ngày {format_date(query.end)}"
                  f" · {query.unit.name}"])
    sheet.append([])
    sheet.append([str(h) for h in headings])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in table:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=13)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), f"{stem}.xlsx"
