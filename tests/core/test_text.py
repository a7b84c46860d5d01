import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.text import fold_vi, fold_words

VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvx"
    "yỳýỷỹỵ"
)
vietnamese_text = st.text(
    alphabet=VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " 0123456789,.-", max_size=80
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ KHAI SINH", "dang ky khai sinh"),
        ("Giấy xác nhận tình trạng hôn nhân", "giay xac nhan tinh trang hon nhan"),
        ("Cấp đổi bằng lái xe", "cap doi bang lai xe"),
        ("Thủ tục cấp Phiếu Lý lịch tư pháp", "thu tuc cap phieu ly lich tu phap"),
        ("Ủy ban nhân dân xã Đà Bắc", "uy ban nhan dan xa da bac"),
        ("Hưởng trợ cấp thất nghiệp", "huong tro cap that nghiep"),
        ("", ""),
        ("1.001193", "1.001193"),
    ],
)
def test_fold_vi_removes_case_and_diacritics(text, folded):
    assert fold_vi(text) == folded


def test_fold_vi_treats_precomposed_and_decomposed_input_alike():
    composed = "Nguyễn Thị Hường"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert fold_vi(composed) == fold_vi(decomposed) == "nguyen thi huong"


def test_fold_words_splits_on_punctuation():
    assert fold_words("Khai; miễn, giảm thuế/ Khai thuế") == [
        "khai", "mien", "giam", "thue", "khai", "thue"]


@given(vietnamese_text)
def test_folding_twice_changes_nothing(text):
    assert fold_vi(fold_vi(text)) == fold_vi(text)


@given(vietnamese_text)
def test_folded_vietnamese_is_plain_lowercase_ascii(text):
    folded = fold_vi(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert len(folded) == len(text)


@given(vietnamese_text)
def test_case_does_not_matter(text):
    assert fold_vi(text.upper()) == fold_vi(text.lower()) == fold_vi(text)


@given(vietnamese_text)
def test_text_without_marks_folds_to_the_same_words(text):
    """Typing without diacritics meets the same words as typing with them."""
    assert fold_words(fold_vi(text)) == fold_words(text)
