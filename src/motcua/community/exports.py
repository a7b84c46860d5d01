"""The monthly allowance statement as a spreadsheet (openpyxl) and as a PDF (reportlab with
the bundled Vietnamese font). Like the notices, the wording is Vietnamese written here: it is
a document of the commune, the same whatever language the official reads the site in."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from motcua.core.formats import format_date, format_money
from motcua.core.pdf import FONT, FONT_BOLD, FRAME_WIDTH, fonts_register, pdf_build, text
from motcua.dossiers.notices import place_and_date

from .selectors import Statement

TITLE = "BẢNG KÊ CHI HỖ TRỢ THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"
HEADERS = ["STT", "Họ và tên", "Tổ", "Số buổi trực", "Mức hỗ trợ/buổi", "Thành tiền",
           "Ký nhận"]
MONEY_FORMAT = '#,##0 "đ"'


def _subtitle(statement: Statement) -> str:
    status = (f"Đã chốt ngày {format_date(statement.issued.issued_at)}"
              if statement.issued else "Bản xem trước, chưa chốt")
    return (f"Tháng {statement.month:%m/%Y} · {statement.commune.name} · "
            f"Mức hỗ trợ {format_money(statement.rate)}/buổi trực có xác nhận · {status}")


def statement_xlsx(statement: Statement) -> bytes:
    """Amounts are numbers (they add up in the sheet) shown as 30.000 đ in a Vietnamese
    Excel or LibreOffice; the day is a date cell shown dd/mm/yyyy."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"{statement.month:%m-%Y}"
    bold = Font(bold=True)
    sheet.append([f"ỦY BAN NHÂN DÂN {statement.commune.name.upper()}"])
    sheet.append([TITLE])
    sheet.append([_subtitle(statement)])
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[5]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    first = 6
    for index, line in enumerate(statement.lines, start=1):
        sheet.append([index, line.full_name, line.team_name, line.sessions, statement.rate,
                      line.amount, ""])
    last = first + len(statement.lines) - 1
    total_row = last + 1
    sheet.append(["", "Tổng cộng", "", statement.sessions, "", statement.total, ""])
    for cell in sheet[total_row]:
        cell.font = bold
    for row in sheet.iter_rows(min_row=first, max_row=total_row):
        row[4].number_format = MONEY_FORMAT
        row[5].number_format = MONEY_FORMAT
    thin = Side(style="thin")
    for row in sheet.iter_rows(min_row=5, max_row=total_row, max_col=len(HEADERS)):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([])
    sheet.append(["", "Ngày lập", statement.issued.issued_at.date() if statement.issued
                  else None])
    sheet.cell(row=sheet.max_row, column=3).number_format = "dd/mm/yyyy"
    for column, width in zip("ABCDEFG", (6, 28, 34, 12, 16, 16, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet["A1"].font = bold
    sheet["A2"].font = Font(bold=True, size=13)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _styles():
    fonts_register()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    return {
        "body": body,
        "head": ParagraphStyle("head", parent=body, fontName=FONT_BOLD, alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=12.5, leading=16,
                                alignment=TA_CENTER, spaceBefore=6, spaceAfter=4),
        "sub": ParagraphStyle("sub", parent=body, alignment=TA_CENTER, spaceAfter=8),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
        "num": ParagraphStyle("num", parent=body, fontSize=9, leading=11.5, alignment=TA_RIGHT),
        "sign": ParagraphStyle("sign", parent=body, fontName=FONT_BOLD, alignment=TA_CENTER),
    }


def statement_pdf(statement: Statement) -> bytes:
    s = _styles()
    commune = statement.commune
    story = [
        Table([[Paragraph(f"ỦY BAN NHÂN DÂN<br/>{text(commune.name.upper())}", s["head"]),
                Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br/>Độc lập - Tự do - Hạnh phúc",
                          s["head"])]], colWidths=[FRAME_WIDTH * 0.42, FRAME_WIDTH * 0.58]),
        Spacer(0, 3 * mm),
        Paragraph(text(place_and_date(commune, statement.issued.issued_at if statement.issued
                                      else statement.month)), s["sub"]),
        Paragraph(text(TITLE), s["title"]),
        Paragraph(text(_subtitle(statement)), s["sub"]),
    ]
    rows = [[Paragraph(text(h), s["head"]) for h in HEADERS]]
    for index, line in enumerate(statement.lines, start=1):
        rows.append([Paragraph(str(index), s["num"]), Paragraph(text(line.full_name), s["cell"]),
                     Paragraph(text(line.team_name), s["cell"]),
                     Paragraph(str(line.sessions), s["num"]),
                     Paragraph(text(format_money(statement.rate)), s["num"]),
                     Paragraph(text(format_money(line.amount)), s["num"]), ""])
    rows.append(["", Paragraph("Tổng cộng", s["head"]), "",
                 Paragraph(str(statement.sessions), s["num"]), "",
                 Paragraph(text(format_money(statement.total)), s["num"]), ""])
    widths = [9 * mm, 36 * mm, 40 * mm, 15 * mm, 22 * mm, 22 * mm]
    widths.append(FRAME_WIDTH - sum(widths))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]))
    story += [table, Spacer(0, 8 * mm), Table(
        [[Paragraph("NGƯỜI LẬP BẢNG", s["sign"]), Paragraph("CHỦ TỊCH", s["sign"])]],
        colWidths=[FRAME_WIDTH / 2] * 2)]
    return pdf_build(story, title=f"{TITLE} tháng {statement.month:%m/%Y}",
                     author=f"Ủy ban nhân dân {commune.name}")


def statement_file(statement: Statement, fmt: str) -> tuple[bytes, str, str]:
    name = f"bang-ke-ho-tro-{commune_slug(statement)}-{statement.month:%Y-%m}"
    if fmt == "xlsx":
        return (statement_xlsx(statement),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                f"{name}.xlsx")
    return statement_pdf(statement), "application/pdf", f"{name}.pdf"


def commune_slug(statement: Statement) -> str:
    return statement.commune.codename or statement.commune.code
