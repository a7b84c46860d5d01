"""Vietnamese text folding: the one normalisation every search and comparison goes through.

A citizen types "giay khai sinh", "GIẤY KHAI SINH" or "giấy khai sinh" on an old phone keyboard;
all three must meet "Giấy khai sinh" in the catalogue. Folding removes case and diacritics and
maps đ/Đ to d (Unicode does not decompose đ, so NFD alone leaves it).
"""

import re
import unicodedata

_D_MAP = {ord("đ"): "d", ord("Đ"): "d", ord("ð"): "d", ord("Ð"): "d"}
# Every combining mark of the Unicode blocks that hold them; Vietnamese tone and vowel marks
# (U+0300–U+036F after NFD) are among them. A translate table keeps folding in C.
_COMBINING_RANGES = ((0x0300, 0x0370), (0x1AB0, 0x1B00), (0x1DC0, 0x1E00), (0x20D0, 0x2100),
                     (0xFE20, 0xFE30))
_FOLD_TABLE = {
    **{cp: None for start, stop in _COMBINING_RANGES for cp in range(start, stop)
       if unicodedata.combining(chr(cp))},
    **_D_MAP,
}
_WORD_RE = re.compile(r"[a-z0-9]+")


def fold_vi(text: str) -> str:
    """Lower-case, strip diacritics, map đ→d; keep everything else (spaces, digits, punctuation)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    return decomposed.translate(_FOLD_TABLE).casefold().translate(_FOLD_TABLE)


def fold_words(text: str) -> list[str]:
    """Folded words (runs of ASCII letters and digits) in order."""
    return _WORD_RE.findall(fold_vi(text))
