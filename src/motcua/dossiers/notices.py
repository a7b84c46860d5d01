"""The official notices of the one-stop mechanism as PDF bytes, generated from a dossier and its
events: the forms of Thông tư 03/2025/TT-VPCP (01 receipt and appointment, 02 supplement
request, 03 refusal, 04 apology and extension, 05 stop notice, 06 process control sheet),
with the fields of their 2018 versions (Thông tư 01/2018/TT-VPCP) and the layout of
administrative documents of Nghị định 30/2020/NĐ-CP. See docs/notices.md.

The wording of the forms is Vietnamese written here, not translated through gettext: these
are official documents handed to the applicant, the same whatever language the official who
prints them reads the site in (as the step names of services.py).

Nothing here writes: a notice is a view of the dossier and of the event that caused it, so it
can be printed again at any time and comes out the same.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    HRFlowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from motcua.core.formats import LOCAL_TZ, format_date
from motcua.core.pdf import FONT, FONT_BOLD, FRAME_WIDTH, QrCode, fonts_register, pdf_build, text
from motcua.core.text import fold_vi

from .models import Channel, Dossier, DossierEvent, Status, Timeliness


class NoticeUnavailable(Exception):
    """The notice asked for does not exist (yet) for this dossier or event."""

    def __init__(self, message, code="notice_unavailable"):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code


# --- words of the forms ----------------------------------------------------------------------

TIMELINESS_LABELS = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
}
IN_PROGRESS_LABEL = "Đang giải quyết"
TIME_UNIT_LABELS = {"day": "ngày làm việc", "half_day": "buổi làm việc",
                    "hour": "giờ làm việc"}
# Prefixes of administrative unit names, longest first; the place on a document is the unit's
# name without them (Nghị định 30, Phụ lục I: "Phú Thọ", "Việt Trì").
UNIT_PREFIXES = ("thành phố", "thị trấn", "đặc khu", "thị xã", "phường", "huyện", "quận",
                 "tỉnh", "xã")
# The daily sequence at the end of a dossier code is its line in the agency's register.
CODE_RE = re.compile(r"-(?P<day>\d{6})-(?P<number>\d{4})$")


# --- formatting ------------------------------------------------------------------------------

def _local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(LOCAL_TZ) if value.tzinfo else value


def hour_and_day(value: dt.datetime | None) -> str:
    """'08:30 ngày 24/11/2026', or '' when there is no time."""
    if value is None:
        return ""
    return f"{_local(value):%H:%M} ngày {format_date(value)}"


def _short(value: dt.datetime | None) -> str:
    """'08:30 24/11/2026', for narrow table cells."""
    return f"{_local(value):%H:%M} {format_date(value)}" if value else ""


def place_name(unit) -> str:
    """The place written on a document of an agency seated in ``unit``: its name without the
    kind of unit ("Tỉnh Phú Thọ" → "Phú Thọ"), except a unit named by a number, which keeps it
    ("Phường 2")."""
    if unit is None:
        return ""
    name = unicodedata.normalize("NFC", unit.name).strip()
    lowered = name.lower()
    for prefix in UNIT_PREFIXES:
        if lowered.startswith(prefix + " "):
            rest = name[len(prefix):].strip()
            return name if rest[:1].isdigit() else rest
    return name


def place_and_date(unit, day: dt.date | dt.datetime) -> str:
    """'Phú Thọ, ngày 24 tháng 11 năm 2026'. Nghị định 30: a day below 10 and the months 1
    and 2 take a leading zero ('ngày 05 tháng 02 năm 2026')."""
    if isinstance(day, dt.datetime):
        day = _local(day).date()
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    line = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    place = place_name(unit)
    return f"{place}, {line}" if place else line.capitalize()


def _sentence(value: str) -> str:
    """A reason typed by an official, ending with a full stop as a sentence in a letter."""
    value = (value or "").strip()
    return value if not value or value[-1] in ".!?…;:" else value + "."


def _person(user) -> str:
    if user is None:
        return ""
    return (getattr(user, "full_name", "") or user.get_username() or "").strip()


def tracking_url(code: str) -> str:
    """The public tracking page of a dossier, printed and encoded in the QR code."""
    return f"{settings.SITE_URL}/tra-cuu/?{urlencode({'ma': code})}"


def _safe_code(dossier: Dossier) -> str:
    code = re.sub(r"[^A-Za-z0-9.-]", "", dossier.code or "")
    return code or f"ho-so-{dossier.pk}"


# --- styles and blocks -----------------------------------------------------------------------

BODY_SIZE = 11
HEADER_LEFT = 70 * mm
HEADER_RIGHT = FRAME_WIDTH - HEADER_LEFT


@cache
def _styles() -> dict[str, ParagraphStyle]:
    fonts_register()
    body = ParagraphStyle("body", fontName=FONT, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.4,
                          alignment=TA_JUSTIFY, spaceAfter=3)
    return {
        "body": body,
        "indent": ParagraphStyle("indent", parent=body, leftIndent=6 * mm),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=12,
                                alignment=TA_LEFT),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=12,
                               alignment=TA_LEFT, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD,
                                    fontSize=9, leading=12, alignment=TA_CENTER,
                                    spaceAfter=0),
        "head": ParagraphStyle("head", fontName=FONT, fontSize=10.5, leading=13.5,
                               alignment=TA_CENTER),
        "head_bold": ParagraphStyle("head_bold", fontName=FONT_BOLD, fontSize=10.5,
                                    leading=13.5, alignment=TA_CENTER),
        "motto": ParagraphStyle("motto", fontName=FONT_BOLD, fontSize=11.5, leading=14.5,
                                alignment=TA_CENTER),
        "date": ParagraphStyle("date", fontName=FONT, fontSize=10.5, leading=13.5,
                               alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=13, leading=17,
                                alignment=TA_CENTER, spaceBefore=8, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", fontName=FONT, fontSize=BODY_SIZE,
                                   leading=BODY_SIZE * 1.4, alignment=TA_CENTER,
                                   spaceAfter=8),
        "code": ParagraphStyle("code", fontName=FONT_BOLD, fontSize=18, leading=23,
                               alignment=TA_LEFT),
        "sign": ParagraphStyle("sign", fontName=FONT_BOLD, fontSize=BODY_SIZE,
                               leading=BODY_SIZE * 1.4, alignment=TA_CENTER),
        "sign_hint": ParagraphStyle("sign_hint", fontName=FONT, fontSize=9.5, leading=12,
                                    alignment=TA_CENTER),
    }


def _table_style(commands: list) -> TableStyle:
    # Table cells holding plain strings are set in Helvetica unless told otherwise, and
    # Helvetica has no Vietnamese.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def _p(value: str, style: str = "body") -> Paragraph:
    """A paragraph of markup already made safe with text()."""
    return Paragraph(value, _styles()[style])


def _field(label: str, value, style: str = "body") -> Paragraph:
    return _p(f"{text(label)}: {text(value)}", style)


@dataclass(frozen=True)
class Issuer:
    """Who a notice comes from: the governing body (may be empty), the issuing body, and the
    unit it sits in (the place on the date line)."""

    governing: str
    name: str
    unit: object
    phone: str = ""
    address: str = ""


def _is_peoples_committee(name: str) -> bool:
    # People's Councils and Committees head their documents with their own name only
    # (Nghị định 30, Phụ lục I), though they have a parent in the agency tree.
    return fold_vi(name).startswith(("uy ban nhan dan", "hoi dong nhan dan"))


def _agency_issuer(agency) -> Issuer:
    parent = agency.parent
    governing = "" if parent is None or _is_peoples_committee(agency.name) else parent.name
    return Issuer(governing=governing, name=agency.name, unit=agency.unit)


def _desk_issuer(dossier: Dossier) -> Issuer:
    """The one-stop desk that received the dossier, under its agency (the "Bộ phận tiếp nhận
    và trả kết quả" of the forms)."""
    desk = dossier.receiving_desk
    if desk is None:
        agency = dossier.receiving_agency or dossier.competent_agency
        return _agency_issuer(agency)
    agency = desk.agency
    governing = agency.name
    if fold_vi(governing) == fold_vi(desk.name):
        # A centre that is itself the agency: its governing body is the agency's parent.
        governing = agency.parent.name if agency.parent else ""
    return Issuer(governing=governing, name=desk.name, unit=desk.unit, phone=desk.phone,
                  address=desk.address)


def _event_issuer(dossier: Dossier, event: DossierEvent) -> Issuer:
    """The one-stop desk when its officer acted (a refusal, a supplement asked at intake),
    else the agency whose step it was (a specialist's supplement request, an apology, a stop
    are the deciding agency's own documents)."""
    if event.actor_role == "receiver":
        return _desk_issuer(dossier)
    agency = event.agency or dossier.competent_agency or dossier.receiving_agency
    issuer = _agency_issuer(agency)
    desk = dossier.receiving_desk
    return Issuer(issuer.governing, issuer.name, issuer.unit,
                  phone=desk.phone if desk else "", address=desk.address if desk else "")


def _one_line(value: str, style: str) -> Paragraph:
    """An agency's name in the header on one line where a slightly smaller size allows it;
    a longer name wraps at the smallest size."""
    base = _styles()[style]
    width = HEADER_LEFT - 6
    size = next((size for size in (base.fontSize, 10, 9.5, 9)
                 if stringWidth(value, base.fontName, size) <= width), 9)
    return Paragraph(text(value), ParagraphStyle(f"{style}_{size}", parent=base,
                                                 fontSize=size, leading=size * 1.3))


def _header(issuer: Issuer, day, *, number: bool = False) -> list:
    """The two columns on top of every administrative document: the issuing body on the
    left, the national motto on the right, then the place and date."""
    left = []
    if issuer.governing:
        left.append(_one_line(issuer.governing.upper(), "head"))
    left.append(_one_line(issuer.name.upper(), "head_bold"))
    left.append(HRFlowable(width="35%", thickness=0.6, color=colors.black, spaceBefore=1,
                           spaceAfter=4, hAlign="CENTER"))
    if number:
        # The number is given by the office's clerk when the letter is registered and sent.
        left.append(_p("Số: ........../..........", "head"))
    right = [
        _p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "motto"),
        _p("Độc lập - Tự do - Hạnh phúc", "motto"),
        HRFlowable(width="62%", thickness=0.6, color=colors.black, spaceBefore=1,
                   spaceAfter=6, hAlign="CENTER"),
        _p(text(place_and_date(issuer.unit, day)), "date"),
    ]
    table = Table([[left, right]], colWidths=[HEADER_LEFT, HEADER_RIGHT])
    table.setStyle(_table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, 0), 6),
    ]))
    return [table, Spacer(0, 4 * mm)]


def _title(title: str, subtitle: str = "") -> list:
    out = [_p(text(title), "title")]
    if subtitle:
        out.append(_p(subtitle, "subtitle"))
    return out


def _signatures(*blocks: tuple[str, str, str]) -> KeepTogether:
    """Signature blocks side by side: (title, hint, name); an empty title leaves the column
    empty (a single block sits on the right, as Nghị định 30 places the signer)."""
    cells = []
    for title, hint, name in blocks:
        if not title:
            cells.append("")
            continue
        cells.append([
            _p(text(title.upper()), "sign"),
            _p(text(hint), "sign_hint"),
            Spacer(0, 20 * mm),
            _p(text(name), "sign"),
        ])
    width = FRAME_WIDTH / len(cells)
    table = Table([cells], colWidths=[width] * len(cells))
    table.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(0, 5 * mm), table])


def _grid(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_table_style([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _applicant_lines(dossier: Dossier, *, name_label: str) -> list:
    address = dossier.applicant_address
    unit = dossier.applicant_unit
    if unit is not None and fold_vi(unit.name) not in fold_vi(address):
        address = f"{address}, {unit.name}" if address else unit.name
    return [
        _field(name_label, dossier.applicant_name),
        _field("Địa chỉ", address),
        _p(f"Số điện thoại: {text(dossier.applicant_phone)}"
           f"{'&nbsp;' * 6}Email: {text(dossier.applicant_email)}"),
        _field("Nội dung yêu cầu giải quyết", dossier.procedure_version.name),
    ]


def _tracking_line(dossier: Dossier) -> Paragraph:
    return _p(f"Tra cứu tình trạng hồ sơ: {text(tracking_url(dossier.code))}", "small")


def _event_for(dossier: Dossier, event: DossierEvent, actions: tuple[str, ...]) -> None:
    if event.dossier_id != dossier.pk or event.action not in actions:
        raise NoticeUnavailable(_("This event does not call for this notice."), "wrong_event")


def _intake_event(dossier: Dossier) -> DossierEvent | None:
    return (dossier.events.filter(action__in=("accept", "receive"))
            .select_related("actor").order_by("-at", "-id").first())


def _require_received(dossier: Dossier) -> None:
    if not dossier.code or dossier.received_at is None:
        raise NoticeUnavailable(_("This dossier has not been received yet, so it has no "
                                  "receipt."), "not_received")


def _processing_time(dossier: Dossier) -> str:
    from .deadlines import duration_for

    value, unit = duration_for(dossier.procedure_version, dossier.channel)
    return f"{value} {TIME_UNIT_LABELS.get(unit, unit)}"


def _register_entry(dossier: Dossier) -> str:
    """Dossier codes number the dossiers of an agency consecutively each day: that number is
    the dossier's line in the electronic register of dossiers (form 07)."""
    match = CODE_RE.search(dossier.code or "")
    if not match:
        return f"Vào Sổ theo dõi hồ sơ, mã hồ sơ {dossier.code}"
    day = dt.datetime.strptime(match["day"], "%y%m%d").date()
    return (f"Vào Sổ theo dõi hồ sơ: số thứ tự {match['number']} ngày "
            f"{format_date(day)}")


def _documents_received(dossier: Dossier) -> list[tuple[str, str, int]]:
    """(name, original or copy, quantity) of each required document the dossier has files
    for, in the procedure's order; files for a document the procedure does not list (a
    procedure changed since) are counted as other papers."""
    counts: dict[str, int] = {}
    for key in dossier.attachments.values_list("document_key", flat=True):
        counts[key] = counts.get(key, 0) + 1
    rows = []
    for document in dossier.procedure_version.documents.order_by("position", "id"):
        if document.key in counts:
            rows.append((document.name, document.form, counts.pop(document.key)))
    if counts:
        rows.append(("Giấy tờ khác", "", sum(counts.values())))
    return rows


def _where_to_collect(dossier: Dossier) -> str:
    desk = dossier.receiving_desk
    place = (f"{desk.name}, {desk.address}" if desk and desk.address
             else desk.name if desk else (dossier.receiving_agency or
                                          dossier.competent_agency).name)
    if dossier.procedure_version.result_electronic and dossier.channel == Channel.ONLINE:
        return f"{place}; hoặc nhận kết quả điện tử trên {settings.SITE_NAME}"
    return place


# --- 01 receipt ------------------------------------------------------------------------------

def receipt_pdf(dossier: Dossier) -> bytes:
    """Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    _require_received(dossier)
    issuer = _desk_issuer(dossier)
    intake = _intake_event(dossier)
    receiver = _person(intake.actor) if intake else ""
    url = tracking_url(dossier.code)
    story = _header(issuer, dossier.received_at)
    story += _title("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")

    code_block = Table(
        [[[_p("Mã hồ sơ:", "body"), _p(text(dossier.code), "code"), Spacer(0, 2 * mm),
           _p("Tra cứu tình trạng hồ sơ: quét mã QR bên cạnh hoặc vào", "small"),
           _p(text(url), "small")],
          QrCode(url)]],
        colWidths=[FRAME_WIDTH - 34 * mm, 34 * mm],
    )
    code_block.setStyle(_table_style([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (1, 0), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    story += [
        code_block,
        Spacer(0, 3 * mm),
        _field("Bộ phận tiếp nhận và trả kết quả", issuer.name),
    ]
    story += _applicant_lines(dossier, name_label="Tiếp nhận hồ sơ của")

    story.append(_p("1. Thành phần hồ sơ nộp gồm:"))
    rows = [[_p("TT", "cell_head"), _p("Tên giấy tờ", "cell_head"),
             _p("Hình thức (bản chính, bản sao hoặc bản chụp)", "cell_head"),
             _p("Số lượng", "cell_head")]]
    documents = _documents_received(dossier)
    for index, (name, form, quantity) in enumerate(documents, start=1):
        rows.append([_p(str(index), "cell"), _p(text(name), "cell"), _p(text(form), "cell"),
                     _p(f"{quantity:02d}", "cell")])
    if not documents:
        rows.append(["", _p("Không có giấy tờ kèm theo", "cell"), "", ""])
    story.append(_grid(rows, [10 * mm, FRAME_WIDTH - 70 * mm, 42 * mm, 18 * mm]))
    story += [
        Spacer(0, 2 * mm),
        _p("2. Số lượng hồ sơ: 01 bộ"),
        _p(f"3. Thời gian giải quyết hồ sơ theo quy định là: {text(_processing_time(dossier))}"),
        _p(f"4. Thời gian nhận hồ sơ: {hour_and_day(dossier.received_at)}"),
        _p(f"5. Thời gian trả kết quả giải quyết hồ sơ: {hour_and_day(dossier.due_at)}"),
        _p(f"6. Đăng ký nhận kết quả tại: {text(_where_to_collect(dossier))}"),
        _p(text(_register_entry(dossier))),
        _signatures(("Người nộp hồ sơ", "(Ký và ghi rõ họ tên)", dossier.applicant_name),
                    ("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", receiver)),
    ]
    return pdf_build(story, title=f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả {dossier.code}",
                     author=issuer.name, subject=dossier.code)


# --- 02 supplement request -------------------------------------------------------------------

def supplement_request_pdf(dossier: Dossier, event: DossierEvent) -> bytes:
    """Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    _event_for(dossier, event, ("request_supplement",))
    issuer = _event_issuer(dossier, event)
    official = _person(event.actor)
    phone = (getattr(event.actor, "phone", "") if event.actor else "") or issuer.phone
    items = [str(i) for i in (event.data or {}).get("items") or [] if str(i).strip()]

    story = _header(issuer, event.at)
    story += _title("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                    f"Mã hồ sơ: <b>{text(dossier.code)}</b>")
    story += _applicant_lines(dossier, name_label="Hồ sơ của")
    received = dossier.received_at or dossier.submitted_at
    if received:
        story.append(_field("Ngày nộp hồ sơ", format_date(received)))
    story.append(_p("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"))
    for index, item in enumerate(items, start=1):
        story.append(_p(f"{index}. {text(item)}", "indent"))
    if not items:
        story.append(_p("Theo lý do nêu dưới đây.", "indent"))
    story.append(_field("Lý do", _sentence(event.reason)))
    if event.from_status == Status.PROCESSING:
        story.append(_p("Thời gian giải quyết hồ sơ tạm dừng từ ngày "
                        f"{format_date(event.at)} cho đến khi nhận được phần bổ sung."))
    contact = official or issuer.name
    story += [
        _p(f"Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với "
           f"{text(contact)}, {text(issuer.name)}"
           + (f", số điện thoại {text(phone)}" if phone else "")
           + " để được hướng dẫn."),
        _p("Xin trân trọng cảm ơn!"),
        _tracking_line(dossier),
        _signatures(("", "", ""), ("Người hướng dẫn", "(Ký và ghi rõ họ tên)", official)),
    ]
    return pdf_build(story, title=f"Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ {dossier.code}",
                     author=issuer.name, subject=dossier.code)


# --- 03 refusal ------------------------------------------------------------------------------

def refusal_pdf(dossier: Dossier, event: DossierEvent) -> bytes:
    """Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    _event_for(dossier, event, ("refuse",))
    issuer = _event_issuer(dossier, event)
    story = _header(issuer, event.at)
    story += _title("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                    f"Mã hồ sơ: <b>{text(dossier.code)}</b>")
    story.append(_field("Bộ phận tiếp nhận", issuer.name))
    story += _applicant_lines(dossier, name_label="Tiếp nhận hồ sơ của")
    if dossier.submitted_at:
        story.append(_field("Thời gian nộp hồ sơ", hour_and_day(dossier.submitted_at)))
    story += [
        _p(f"Sau khi xem xét, {text(issuer.name)} từ chối tiếp nhận, giải quyết hồ sơ này vì "
           "lý do sau:"),
        _p(text(_sentence(event.reason)), "indent"),
        _p("Xin thông báo để Ông/Bà được biết và thực hiện./."),
        _signatures(("", "", ""),
                    ("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", _person(event.actor))),
    ]
    return pdf_build(story, title=f"Phiếu từ chối tiếp nhận giải quyết hồ sơ {dossier.code}",
                     author=issuer.name, subject=dossier.code)


# --- 04 apology ------------------------------------------------------------------------------

def _iso(value) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _recipients() -> list:
    return [Spacer(0, 2 * mm), _p("<b>Nơi nhận:</b>", "small"),
            _p("- Như trên;", "small"), _p("- Lưu: VT.", "small")]


def _head_signature(event: DossierEvent) -> KeepTogether:
    # Letters of the agency are signed by its head; the name is printed when the head
    # (a leader) issued it, else left for the signer to write.
    name = _person(event.actor) if event.actor_role == "leader" else ""
    return _signatures(("", "", ""),
                       ("Thủ trưởng cơ quan", "(Ký, ghi rõ họ tên và đóng dấu)", name))


def apology_pdf(dossier: Dossier, event: DossierEvent) -> bytes:
    """Mẫu 04 — Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết."""
    _event_for(dossier, event, ("apologize",))
    issuer = _event_issuer(dossier, event)
    data = event.data or {}
    previous = _iso(data.get("previous_due_at")) or dossier.original_due_at
    new_due = _iso(data.get("due_at")) or dossier.due_at
    receiving = _desk_issuer(dossier).name
    received = dossier.received_at or dossier.submitted_at

    story = _header(issuer, event.at, number=True)
    story += _title("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT")
    story += [
        _p(f"Kính gửi: Ông/Bà <b>{text(dossier.applicant_name)}</b>", "subtitle"),
        _p(f"Ngày {format_date(received)}, {text(receiving)} tiếp nhận hồ sơ đề nghị "
           f"{text(dossier.procedure_version.name)} của Ông/Bà."),
        _p(f"Mã hồ sơ: <b>{text(dossier.code)}</b>."),
        _p(f"Thời hạn trả kết quả giải quyết hồ sơ: {hour_and_day(previous)}."),
        _p(f"Tuy nhiên, {text(issuer.name)} chưa thể trả kết quả giải quyết hồ sơ của Ông/Bà "
           f"đúng hạn vì lý do: {text(_sentence(event.reason))}"),
        _p(f"Sự chậm trễ này gây phiền hà cho Ông/Bà. {text(issuer.name)} xin lỗi Ông/Bà và "
           "đề nghị gia hạn thời gian giải quyết hồ sơ đến "
           f"<b>{hour_and_day(new_due)}</b>."),
        _p("Mong nhận được sự cảm thông của Ông/Bà vì sự chậm trễ này."),
        _tracking_line(dossier),
    ]
    story += [_head_signature(event), *_recipients()]
    return pdf_build(story, title=f"Văn bản xin lỗi và đề nghị gia hạn {dossier.code}",
                     author=issuer.name, subject=dossier.code)


# --- 05 stop notice --------------------------------------------------------------------------

def stop_notice_pdf(dossier: Dossier, event: DossierEvent) -> bytes:
    """Mẫu 05 — Thông báo dừng giải quyết hồ sơ."""
    _event_for(dossier, event, ("stop",))
    issuer = _event_issuer(dossier, event)
    desk = _desk_issuer(dossier)
    received = dossier.received_at or dossier.submitted_at
    story = _header(issuer, event.at, number=True)
    story += _title("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")
    story.append(_p(f"Kính gửi: Ông/Bà <b>{text(dossier.applicant_name)}</b>", "subtitle"))
    story.append(_p(f"{text(issuer.name)} thông báo dừng giải quyết hồ sơ sau:"))
    story += [
        _field("Mã hồ sơ", dossier.code, "indent"),
        _field("Hồ sơ của", dossier.applicant_name, "indent"),
        _field("Nội dung yêu cầu giải quyết", dossier.procedure_version.name, "indent"),
        _field("Ngày tiếp nhận", format_date(received), "indent"),
        _field("Lý do dừng giải quyết", _sentence(event.reason), "indent"),
        _field("Thời điểm dừng giải quyết", hour_and_day(event.at), "indent"),
    ]
    contact = f"{desk.name}, {desk.address}" if desk.address else desk.name
    if desk.phone:
        contact += f", số điện thoại {desk.phone}"
    story += [
        _p(f"Ông/Bà liên hệ {text(contact)} để nhận lại hồ sơ (nếu có) và được hướng dẫn."),
        _p("Xin thông báo để Ông/Bà được biết./."),
        _tracking_line(dossier),
        _head_signature(event), *_recipients(),
    ]
    return pdf_build(story, title=f"Thông báo dừng giải quyết hồ sơ {dossier.code}",
                     author=issuer.name, subject=dossier.code)


# --- 06 process control sheet ----------------------------------------------------------------

def step_result(step) -> str:
    """The control sheet's result column: early, on time or late, or still in hand."""
    if step.finished_at is None:
        return IN_PROGRESS_LABEL
    return TIMELINESS_LABELS.get(step.timeliness, "")


def control_sheet_pdf(dossier: Dossier) -> bytes:
    """Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per hand-over."""
    _require_received(dossier)
    issuer = _desk_issuer(dossier)
    steps = list(dossier.steps.select_related("agency", "assigned_to", "finished_by")
                 .order_by("started_at", "id"))
    intake = _intake_event(dossier)
    competent = dossier.competent_agency
    others = {s.agency_id: s.agency.name for s in steps
              if s.agency_id not in (dossier.competent_agency_id, dossier.receiving_agency_id)}

    story = _header(issuer, dossier.received_at)
    story += _title("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                    f"Mã hồ sơ: <b>{text(dossier.code)}</b>")
    story += [
        _p("(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)", "subtitle"),
        _field("Hồ sơ của", dossier.applicant_name),
        _field("Nội dung yêu cầu giải quyết", dossier.procedure_version.name),
        _field("Cơ quan giải quyết hồ sơ", competent.name if competent else ""),
        _field("Cơ quan phối hợp giải quyết hồ sơ", "; ".join(others.values()) or "Không"),
        _field("Thời gian nhận hồ sơ", hour_and_day(dossier.received_at)),
        _field("Thời gian hẹn trả kết quả", hour_and_day(dossier.due_at)),
    ]
    if dossier.original_due_at and dossier.due_at and dossier.original_due_at != dossier.due_at:
        story.append(_field("Thời gian hẹn trả kết quả ban đầu",
                            hour_and_day(dossier.original_due_at)))

    rows = [[_p(h, "cell_head") for h in (
        "TT", "Bước xử lý, cơ quan", "Thời gian nhận, giao hồ sơ", "Người giao, người nhận",
        "Kết quả giải quyết", "Ghi chú")]]
    giver = _person(intake.actor) if intake else ""
    for index, step in enumerate(steps, start=1):
        handled_by = _person(step.assigned_to) or _person(step.finished_by)
        rows.append([
            _p(str(index), "cell"),
            _p(f"<b>{text(step.name)}</b><br/>{text(step.agency.name)}", "cell"),
            _p(f"Nhận:<br/>{_short(step.started_at)}<br/>"
               f"Giao:<br/>{_short(step.finished_at) or '—'}", "cell"),
            _p(f"Người giao:<br/>{text(giver) or '—'}<br/>"
               f"Người nhận:<br/>{text(handled_by) or '—'}", "cell"),
            _p(f"<b>{text(step_result(step))}</b><br/>Hạn: {_short(step.due_at)}", "cell"),
            _p(text(step.note), "cell"),
        ])
        giver = _person(step.finished_by) or handled_by
    if not steps:
        rows.append(["", _p("Chưa có bước xử lý nào.", "cell"), "", "", "", ""])
    story += [
        CondPageBreak(40 * mm),
        _grid(rows, [8 * mm, 40 * mm, 31 * mm, 34 * mm, 31 * mm, FRAME_WIDTH - 144 * mm]),
        Spacer(0, 2 * mm),
        _p("Kết quả giải quyết của mỗi bước: trước hạn, đúng hạn hoặc quá hạn so với hạn của "
           "bước đó.", "small"),
    ]
    return pdf_build(story, title=f"Phiếu kiểm soát quá trình giải quyết hồ sơ {dossier.code}",
                     author=issuer.name, subject=dossier.code)


# --- registry --------------------------------------------------------------------------------

@dataclass(frozen=True)
class NoticeForm:
    key: str
    number: str  # the form's number in Thông tư 03/2025/TT-VPCP
    title: str
    file_prefix: str
    render: Callable[..., bytes]
    takes_event: bool

    def filename(self, dossier: Dossier) -> str:
        """The download name: the form and the dossier code, never a person's details."""
        return f"{self.file_prefix}-{_safe_code(dossier)}.pdf"


NOTICES: dict[str, NoticeForm] = {form.key: form for form in [
    NoticeForm("receipt", "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "giay-tiep-nhan",
               receipt_pdf, False),
    NoticeForm("supplement", "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
               "phieu-yeu-cau-bo-sung", supplement_request_pdf, True),
    NoticeForm("refusal", "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
               "phieu-tu-choi-tiep-nhan", refusal_pdf, True),
    NoticeForm("apology", "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
               "van-ban-xin-loi", apology_pdf, True),
    NoticeForm("stop", "05", "Thông báo dừng giải quyết hồ sơ", "thong-bao-dung-giai-quyet",
               stop_notice_pdf, True),
    NoticeForm("control_sheet", "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ",
               "phieu-kiem-soat", control_sheet_pdf, False),
]}

# The event actions that issue a notice, and which.
EVENT_NOTICES = {
    "accept": "receipt",
    "receive": "receipt",
    "request_supplement": "supplement",
    "refuse": "refusal",
    "apologize": "apology",
    "stop": "stop",
}


def notice_for_event(event: DossierEvent) -> tuple[str, bytes] | None:
    """The notice an event issued, as (file name, PDF bytes), or None when the event issues
    none (a forward, a saved form…)."""
    key = EVENT_NOTICES.get(event.action)
    if key is None:
        return None
    form = NOTICES[key]
    dossier = event.dossier
    content = form.render(dossier, event) if form.takes_event else form.render(dossier)
    return form.filename(dossier), content


def notice_name(event: DossierEvent) -> str | None:
    """The title of the notice an event issued, for a link; None when it issued none."""
    key = EVENT_NOTICES.get(event.action)
    return NOTICES[key].title if key else None


def notice_response(dossier: Dossier, event_id: int):
    """The PDF an event of ``dossier`` issued, as an inline download; 404 otherwise. The
    caller has checked that the person may see the dossier."""
    from django.http import Http404, HttpResponse

    event = DossierEvent.objects.filter(pk=event_id, dossier=dossier).first()
    result = notice_for_event(event) if event else None
    if result is None:
        raise Http404
    filename, content = result
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
