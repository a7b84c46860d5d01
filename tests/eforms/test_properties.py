"""Properties that hold for any input: nothing typed is lost, checking is stable, and a valid
form survives the trip through the page and back."""

import copy
import datetime as dt
import unicodedata

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.eforms.render import display_text, form_render
from motcua.eforms.schema import (
    commune_choices,
    form_fields,
    form_steps,
    schema_check,
    standard_applicant_schema,
)
from motcua.eforms.validation import form_clean, form_validate

from .html import FormPage

pytestmark = pytest.mark.django_db
EXAMPLES = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

STANDARD = standard_applicant_schema()
# Every kind of field at once: the standard form plus numbers, boxes and a list of boxes.
MIXED = schema_check({
    "type": "object",
    "properties": {
        **STANDARD["properties"],
        "copies": {"type": "integer", "title": "Số bản sao", "x-step": "Thêm"},
        "area": {"type": "number", "title": "Diện tích", "x-step": "Thêm"},
        "agree": {"type": "boolean", "title": "Đồng ý", "x-step": "Thêm"},
        "results": {"type": "array", "title": "Nhận kết quả", "x-step": "Thêm",
                    "items": {"type": "string", "enum": ["post", "desk"]}},
    },
    "required": STANDARD["required"],
})
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợ" \
             "úùủũụứừửữựýỳỷỹỵAĂÂĐÊÔƠƯÁÀẢÃẠÉÈÓÒÚÙÍÌ"
# What people really type, and what an old keyboard or a careless paste adds.
TYPED = st.text(alphabet=st.sampled_from(list(VIETNAMESE + "0123456789 /.-,+()@<>&\"'\n\r\t")),
                max_size=40)
POSTED_VALUE = st.one_of(TYPED, st.lists(TYPED, min_size=1, max_size=3))


def normalised(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").strip()


@EXAMPLES
@given(post=st.dictionaries(st.sampled_from([*form_fields(MIXED), "csrfmiddlewaretoken"]),
                            POSTED_VALUE))
def test_cleaning_never_loses_a_posted_value(post):
    cleaned = form_clean(MIXED, post)
    assert set(cleaned) == set(post) - {"csrfmiddlewaretoken"}
    for name, cleaned_value in cleaned.items():
        posted = post[name] if isinstance(post[name], list) else [post[name]]
        if MIXED["properties"][name]["type"] == "array":
            assert cleaned_value == [normalised(p) for p in posted if normalised(p)]
            continue
        typed = normalised(posted[-1])
        if MIXED["properties"][name]["type"] == "boolean":
            assert cleaned_value in (True, False) or cleaned_value == typed
            continue
        # Something typed never becomes nothing…
        assert (cleaned_value == "") == (typed == "")
        # …and shown again on the page and posted back, it reads the same.
        shown = display_text(MIXED, name, cleaned_value) if cleaned_value != "" else ""
        if name not in ("sex", "commune"):  # choices show their label, post their value
            assert form_clean(MIXED, {name: shown})[name] == cleaned_value


@EXAMPLES
@given(post=st.dictionaries(st.sampled_from(form_fields(MIXED)), POSTED_VALUE))
def test_cleaning_twice_changes_nothing(post):
    once = form_clean(MIXED, post)
    assert form_clean(MIXED, once) == once


ANY_VALUE = st.one_of(TYPED, st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                      st.lists(TYPED, max_size=3))


@EXAMPLES
@given(data=st.dictionaries(st.sampled_from([*form_fields(MIXED), "extra"]), ANY_VALUE),
       step=st.one_of(st.none(), st.integers(min_value=1, max_value=len(form_steps(MIXED)))))
def test_validating_twice_gives_the_same_result_and_touches_nothing(data, step):
    before = copy.deepcopy(data)
    first = form_validate(MIXED, data, step=step)
    assert form_validate(MIXED, data, step=step) == first
    assert data == before
    assert all(isinstance(messages, list) and messages and all(messages)
               for messages in first.values())
    if step is not None:
        assert set(first) <= set(MIXED["properties"])


NAME = st.text(alphabet=st.sampled_from(list(VIETNAMESE + " <>&\"'")), min_size=1,
               max_size=60).map(str.strip).filter(bool)


@st.composite
def valid_standard_data(draw, communes):
    data = {
        "full_name": draw(NAME),
        "national_id": draw(st.from_regex(r"0(0[1-9]|[1-8][0-9]|9[0-6])[0-9]{9}",
                                          fullmatch=True)),
        "birth_date": draw(st.dates(dt.date(1900, 1, 1), dt.date.today())).isoformat(),
        "sex": draw(st.sampled_from(["male", "female"])),
        "phone": draw(st.from_regex(r"0[0-9]{9}", fullmatch=True)),
        "commune": draw(st.sampled_from(communes)),
        "address": draw(NAME),
        "request": draw(st.lists(NAME, min_size=1, max_size=3).map("\n".join)),
    }
    if draw(st.booleans()):
        data["email"] = draw(st.from_regex(
            r"[a-z0-9]{1,12}(\.[a-z0-9]{1,8})?@[a-z0-9]{1,10}\.(vn|com|com\.vn)",
            fullmatch=True))
    return data


@EXAMPLES
@given(st.data())
def test_any_valid_standard_form_survives_render_post_and_clean(data):
    communes = [code for code, _name in commune_choices()]
    original = data.draw(valid_standard_data(communes))
    assert form_validate(STANDARD, original) == {}
    draft: dict = {}
    for step in range(1, len(form_steps(STANDARD)) + 1):
        page = FormPage(form_render(STANDARD, original, {}, step=step))
        posted: QueryDict = page.post()
        draft.update(form_clean(STANDARD, posted, step=step))
    assert {k: v for k, v in draft.items() if v != ""} == original
    assert form_validate(STANDARD, draft) == {}
