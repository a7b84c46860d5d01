"""Every string of the statistics is translated into Vietnamese, and the compiled catalogue
is the one in the sources."""

from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "src/motcua/reports/locale/vi/LC_MESSAGES/django.po"


def test_every_msgid_has_a_translation():
    entries = PO.read_text(encoding="utf-8").split("\n\n")[1:]
    empty = [e for e in entries if e.rstrip().endswith('msgstr ""')
             or e.rstrip().endswith('msgstr[0] ""')]
    assert empty == []


def test_the_dashboard_words_are_vietnamese():
    from motcua.reports.views import FIGURE_LABELS, INDEX_LABELS

    with translation.override("vi"):
        assert str(FIGURE_LABELS["resolved_late"]) == "Giải quyết quá hạn"
        assert str(INDEX_LABELS["digitisation"]) == "Số hóa hồ sơ"
        assert translation.pgettext("menu", "Statistics") == "Thống kê"
