"""Building blocks for the PDFs the system issues (notices, receipts, results): the bundled
Vietnamese font, A4 pages with the margins of Nghị định 30/2020 on administrative documents,
text made safe for reportlab's paragraph markup, and QR codes drawn as vector squares."""

from __future__ import annotations

import hashlib
import io
import threading
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

# Nghị định 30/2020/NĐ-CP, Phụ lục I: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
# The narrow end of each range leaves the most room for tables on A4.
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

_fonts_lock = threading.Lock()
_fonts_registered = False


def fonts_register() -> None:
    """Register DejaVu Sans (regular and bold) with reportlab, once per process. reportlab's
    font registry is global, and parsing a TrueType file costs tens of milliseconds."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:
        if _fonts_registered:
            return
        pdfmetrics.registerFont(TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
        # No italic face is bundled: <i> falls back to the upright letters rather than to a
        # built-in font without Vietnamese.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                      boldItalic=FONT_BOLD)
        _fonts_registered = True


def text(value) -> str:
    """Any value as paragraph text: composed Unicode (a name typed with combining marks
    prints and searches like one typed with precomposed letters) and markup characters
    escaped, so "<" or "&" in a name cannot break or inject into the layout."""
    if value is None:
        return ""
    return escape(unicodedata.normalize("NFC", str(value)))


class QrCode(Flowable):
    """A QR code drawn as filled squares, one unit per module, inside a form XObject scaled
    into place: sharp at any zoom and on any printer, no image library needed, and readable
    back from the PDF (the form's content stream is the matrix)."""

    def __init__(self, data: str, *, size: float = 30 * mm, error: str = "m", border: int = 4):
        super().__init__()
        self.data = data
        self.qr = segno.make_qr(data, error=error)
        self.border = border
        self.width = self.height = size

    @property
    def form_name(self) -> str:
        return "qr" + hashlib.sha256(self.data.encode()).hexdigest()[:12]

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        matrix = [bytes(row) for row in self.qr.matrix]
        count = len(matrix)
        if not canvas.hasForm(self.form_name):
            canvas.beginForm(self.form_name, 0, 0, count, count)
            path = canvas.beginPath()
            for y, row in enumerate(matrix):
                x = 0
                while x < count:
                    if not row[x]:
                        x += 1
                        continue
                    start = x
                    while x < count and row[x]:
                        x += 1
                    # Row 0 is the top of the symbol; PDF y grows upwards.
                    path.rect(start, count - 1 - y, x - start, 1)
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawPath(path, stroke=0, fill=1)
            canvas.endForm()
        module = self.width / (count + 2 * self.border)
        canvas.saveState()
        canvas.translate(self.border * module, self.border * module)
        canvas.scale(module, module)
        canvas.doForm(self.form_name)
        canvas.restoreState()


def page_number(canvas, document) -> None:
    """Nghị định 30: pages are numbered from the second one, in the middle of the top margin."""
    if document.page < 2:
        return
    canvas.saveState()
    canvas.setFont(FONT, 10)
    canvas.drawCentredString(MARGIN_LEFT + FRAME_WIDTH / 2, PAGE_HEIGHT - MARGIN_TOP / 2,
                             str(document.page))
    canvas.restoreState()


def pdf_build(story: list, *, title: str, author: str = "", subject: str = "") -> bytes:
    """An A4 PDF of ``story`` with the Nghị định 30 margins and page numbers, in Vietnamese,
    as bytes."""
    fonts_register()
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, author=author,
        subject=subject, creator="Một Cửa Số", lang="vi",
        # The canvas starts in our font: no Helvetica (which has no Vietnamese) in the file.
        initialFontName=FONT,
    )
    # reportlab's frames pad their content by 6 pt by default: none, so the margins are
    # exactly the decree's.
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_WIDTH, PAGE_HEIGHT - MARGIN_TOP
                  - MARGIN_BOTTOM, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="body")
    document.addPageTemplates([PageTemplate(id="a4", frames=[frame], onPage=page_number)])
    document.build(story)
    return buffer.getvalue()
