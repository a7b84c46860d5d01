"""The demo catalogue: the essential-services file, its gaps filled with plausible values.

Everything filled here is listed in the record's ``demo_fields``; the source file stays
verbatim beside this module.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from motcua.catalog.services import ImportSummary, catalog_import
from motcua.core.text import fold_vi

DATA_DIR = Path(__file__).resolve().parent / "data"
ESSENTIAL_FILE = DATA_DIR / "procedures-essential.json"
# E-forms of the key procedures, one file per national code (docs/eforms.md).
FORM_SCHEMA_DIR = Path(__file__).resolve().parent.parent / "eforms" / "data"

DEMO_EFFECTIVE_FROM = "2025-07-01"

AGENCY_KINDS = {
    "ubnd_xa": "Ủy ban nhân dân cấp xã",
    "cong_an_xa": "Công an cấp xã",
    "cong_an_tinh": "Công an tỉnh",
    "bhxh_tinh": "Bảo hiểm xã hội tỉnh",
    "vpdk_dat_dai": "Văn phòng đăng ký đất đai",
    "so_tai_chinh": "Sở Tài chính (Phòng Đăng ký kinh doanh)",
    "so_tu_phap": "Sở Tư pháp",
    "so_noi_vu": "Sở Nội vụ",
    "thue": "Cơ quan thuế",
}

# Competent kind of agency per procedure, read from the published agency text.
KIND_BY_CODE = {
    **dict.fromkeys([
        "1.000689", "1.001193", "2.000986", "1.000894", "1.004873", "2.000806", "1.000656",
        "1.001731", "1.011537", "2.002307", "1.001022", "1.004837", "2.001263", "1.004859",
        "1.004884", "2.000815", "2.000884", "2.001035", "1.014027", "1.001612", "2.000620",
        "2.000720", "1.012812", "1.013978", "1.013225",
    ], "ubnd_xa"),
    **dict.fromkeys([
        "1.003197", "1.003677", "1.004194", "1.004222", "1.010041", "2.001159", "1.012566",
        "1.014061", "1.014062", "1.014063", "1.014064", "3.000228", "1.012575", "1.013067",
        "1.013076",
    ], "cong_an_xa"),
    **dict.fromkeys(["1.001456", "3.000347", "3.000348", "3.000333"], "cong_an_tinh"),
    **dict.fromkeys(["2.000693", "1.014177", "2.000821", "1.001613", "1.001939", "1.002759"],
                    "bhxh_tinh"),
    **dict.fromkeys(["1.012783", "1.012784", "1.012786", "1.013831", "1.013833"],
                    "vpdk_dat_dai"),
    **dict.fromkeys(["2.001583", "2.001610"], "so_tai_chinh"),
    **dict.fromkeys(["2.000635"], "so_tu_phap"),
    **dict.fromkeys(["1.014748", "1.014199", "1.010821"], "so_noi_vu"),
    **dict.fromkeys(["1.008498", "1.007277", "1.007695"], "thue"),
}

FULL_ONLINE = {
    "1.001193", "2.000986", "1.000656", "1.011537", "1.004873", "2.000635", "3.000333",
    "3.000347", "3.000348", "1.004194", "1.003677", "2.001159", "1.010041", "1.008498",
    "1.001939", "1.002759", "2.001583", "2.001610", "1.001612", "2.000720", "1.014177",
}
IN_PERSON_ONLY = {"2.000815", "2.000884", "2.001035", "1.012812", "3.000228"}

# (value, unit) where the sources gave none.
TIMES = {
    "1.011537": 5, "2.001263": 30, "2.000635": 1, "2.000815": 1, "2.000884": 1,
    "2.001035": 2, "1.007695": 5,
}
ONLINE_TIMES = {"1.001612": 2, "1.004222": 5, "3.000347": 3, "1.004873": 2}
RESULTS = {
    "1.011537": "Trích lục khai tử; xác nhận xóa đăng ký thường trú; quyết định trợ cấp mai táng",
}
POPULARITY = {
    "1.001193": 100, "1.004873": 90, "1.004222": 85, "1.000656": 80, "1.000894": 75,
    "3.000333": 70, "3.000347": 65, "1.004194": 60, "2.000815": 55, "1.014063": 50,
    "1.001939": 45, "1.013225": 40,
}
# Amounts for fees the sources left open (per-copy extracts are 8.000 đ by TT 281/2016).
FEE_AMOUNTS = {
    ("1.004873", 0): 5000,
    ("3.000333", 0): 200000,
    ("1.014062", 0): 0,
    ("1.013225", 0): 75000,
}
LIFE_EVENT_ORDER = [
    "Sinh con", "Kết hôn", "Người thân qua đời", "Giấy tờ tùy thân", "Cư trú",
    "Đất đai – nhà ở", "Xây dựng nhà ở", "Khởi sự kinh doanh", "Phương tiện giao thông",
    "Mất việc – bảo hiểm xã hội", "Bảo hiểm y tế", "Chứng thực",
]
# Linked bundles (NĐ 63/2024): birth — registration, permanent residence, health insurance
# card for a child under 6; death — registration, removal of residence, funeral allowance
# (the applicant picks at least two).
BUNDLES = {
    "2.000986": [{"procedure": "1.001193"}, {"procedure": "1.004222"},
                 {"procedure": "1.001939"}],
    "1.011537": [{"procedure": "1.000656"}, {"procedure": "1.003197", "optional": True},
                 {"procedure": "1.014177", "optional": True}],
}
SUBJECT_RE = re.compile(r"Đối tượng thực hiện:\s*([^|]+)")
REUSABLE_WORDS = ("can cuoc", "giay to tuy than", "ho chieu", "thong tin ve cu tru",
                  "chung minh nhan dan")


def _steps(mode: str) -> list[str]:
    if mode == "full":
        return [
            "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công (hoặc tại Bộ phận Một cửa bất kỳ "
            "trong tỉnh).",
            "Cán bộ một cửa kiểm tra, tiếp nhận và gửi giấy tiếp nhận, hẹn trả kết quả.",
            "Cơ quan có thẩm quyền giải quyết; nếu thiếu giấy tờ sẽ yêu cầu bổ sung một lần.",
            "Nhận kết quả điện tử trên Cổng, qua bưu chính hoặc tại Bộ phận Một cửa.",
        ]
    if mode == "partial":
        return [
            "Nộp hồ sơ trực tuyến hoặc tại Bộ phận Một cửa bất kỳ trong tỉnh.",
            "Cán bộ một cửa kiểm tra, tiếp nhận và hẹn ngày trả kết quả.",
            "Đến cơ quan giải quyết khi được hẹn (xuất trình bản chính, ký hoặc lấy sinh "
            "trắc học nếu cần).",
            "Nhận kết quả tại Bộ phận Một cửa hoặc qua bưu chính.",
        ]
    return [
        "Mang hồ sơ đến Bộ phận Một cửa.",
        "Cán bộ kiểm tra, tiếp nhận và giải quyết hoặc hẹn ngày trả kết quả.",
        "Nhận kết quả tại Bộ phận Một cửa.",
    ]


def demo_record(source: dict) -> dict:
    """One record of the essential file with its gaps filled; filled fields are named."""
    record = json.loads(json.dumps(source))
    code = record["code"]
    filled: list[str] = []
    # The two-tier reform's start: the demo's dossiers may be that old.
    record["effective_from"] = DEMO_EFFECTIVE_FROM

    record["agency_kind"] = KIND_BY_CODE[code]
    record["agency_kind_name"] = AGENCY_KINDS[record["agency_kind"]]
    filled.append("agency_kind")

    time = record.get("processing_time") or {}
    if time.get("value") is None:
        record["processing_time"] = {"value": TIMES[code], "unit": "ngày làm việc"}
        filled.append("processing_time")
    if code in ONLINE_TIMES:
        record["online_processing_time"] = ONLINE_TIMES[code]
        filled.append("online_processing_time")

    if record.get("online_mode") is None:
        record["online_mode"] = (
            "full" if code in FULL_ONLINE else "none" if code in IN_PERSON_ONLY else "partial"
        )
        filled.append("online_mode")

    if not record.get("result"):
        record["result"] = RESULTS[code]
        filled.append("result")
    record["result_electronic"] = record["online_mode"] == "full"
    filled.append("result_electronic")

    subject = SUBJECT_RE.search(record.get("notes") or "")
    if subject:
        record["subjects"] = subject.group(1).strip()

    fees = []
    fee_filled = False
    for position, fee in enumerate(record.get("fees") or []):
        fee = dict(fee)
        amount = fee.get("amount_vnd")
        if (code, position) in FEE_AMOUNTS:
            fee["amount_vnd"] = amount = FEE_AMOUNTS[(code, position)]
            fee_filled = True
        folded_name = fold_vi(fee["name"])
        if amount == 0:
            fee["kind"] = "free"
        elif amount is None and "ban sao" in folded_name:
            fee["kind"] = "per_copy"
            fee["amount_vnd"] = 8000
            fee_filled = True
        elif amount is None:
            fee["kind"] = "rule"
            fee["rule"] = "Theo mức do Hội đồng nhân dân tỉnh hoặc Bộ Tài chính quy định"
        else:
            fee["kind"] = "fixed"
        fees.append(fee)
    record["fees"] = fees
    if fee_filled:
        filled.append("fees")

    documents = []
    for document in record.get("documents") or []:
        document = dict(document)
        folded = fold_vi(document["name"])
        document["mandatory"] = not (
            folded.startswith("truong hop") or "(neu co)" in folded or "neu co" in folded[:40]
        )
        document["reusable"] = any(word in folded for word in REUSABLE_WORDS)
        documents.append(document)
    record["documents"] = documents
    filled.append("documents.mandatory")
    filled.append("documents.reusable")

    record["steps"] = _steps(record["online_mode"])
    filled.append("steps")
    if code in BUNDLES:
        record["bundle"] = BUNDLES[code]
        filled.append("bundle")
    form_file = FORM_SCHEMA_DIR / f"{code}.json"
    if form_file.exists():
        record["form_schema"] = json.loads(form_file.read_text(encoding="utf-8"))
        filled.append("form_schema")
    if code in POPULARITY:
        record["popularity"] = POPULARITY[code]
        filled.append("popularity")
    record["demo_fields"] = filled
    return record


def demo_records() -> list[dict]:
    return [demo_record(r) for r in json.loads(ESSENTIAL_FILE.read_text(encoding="utf-8"))]


def demo_catalogue_load() -> ImportSummary:
    """Import the filled demo catalogue through the same code as `motcua catalog import`."""
    from motcua.catalog.models import LifeEvent

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo-catalogue.json"
        path.write_text(json.dumps(demo_records(), ensure_ascii=False), encoding="utf-8")
        summary = catalog_import(path=path)
    for position, name in enumerate(LIFE_EVENT_ORDER, start=1):
        LifeEvent.objects.filter(name=name).exclude(position=position).update(position=position)
    return summary
