"""A few hundred demo dossiers in every state, made through the real services with times
spread over the last weeks, so every event, step and deadline is what the system itself would
have written."""

from __future__ import annotations

import datetime as dt
import io
import random
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.catalog.models import ProcedureVersion
from motcua.core.formats import LOCAL_TZ
from motcua.core.text import fold_vi
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier, Status
from motcua.eforms.schema import effective_schema
from motcua.eforms.validation import form_validate

from .people import CITIZENS

SEED = 2026
FIRST_NAMES = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hạnh", "Khánh", "Linh", "Minh",
               "Nga", "Phương", "Quang", "Sơn", "Thảo", "Trang", "Tuấn", "Vân", "Yến"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Hữu", "Thanh"]


def _pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 760, "Ban chup giay to (du lieu minh hoa)")
    page.drawString(72, 740, text[:90])
    page.showPage()
    page.save()
    return buffer.getvalue()


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(FIRST_NAMES)}"


def _value_for(name: str, spec: dict, user, rng: random.Random):
    """A plausible value for one field, from what the field says it is."""
    folded = fold_vi(f"{name} {spec.get('title', '')}")
    widget = spec.get("x-widget", "")
    if user is not None and name in ("full_name", "address") and getattr(user, name, ""):
        return getattr(user, name)  # the applicant's own details (the standard fields)
    if "enum" in spec:
        return spec["enum"][0] if "gioi" not in folded else rng.choice(spec["enum"])
    kind = spec.get("type")
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return max(spec.get("minimum", 1), 1)
    if widget == "national_id" or "dinh danh" in folded or "cccd" in folded:
        return user.national_id if user and user.national_id else \
            f"025{rng.randint(0, 3)}{rng.randint(50, 99):02d}{rng.randint(0, 999999):06d}"
    if widget == "tel" or "dien thoai" in folded:
        return user.phone if user and user.phone else f"09{rng.randint(10000000, 99999999)}"
    if widget == "email" or spec.get("format") == "email":
        return user.email if user and user.email else ""
    if widget == "unit" or "xa phuong" in folded or "xa, phuong" in folded:
        return user.unit.code if user and user.unit_id else ""
    if spec.get("format") == "date" or widget == "date":
        if user and user.date_of_birth and "sinh" in folded and "con" not in folded \
                and "tre" not in folded:
            return user.date_of_birth.isoformat()
        return (dt.date(2026, 10, 1) - dt.timedelta(days=rng.randint(0, 20000))).isoformat() \
            if "het han" not in folded else dt.date(2027, 6, 30).isoformat()
    pattern = spec.get("pattern", "")
    digits = re.search(r"(?:\[0-9\]|\\d)\{(\d+)\}", pattern)
    if digits and pattern.startswith("^") and pattern.endswith("$"):
        return "".join(str(rng.randint(0, 9)) for _ in range(int(digits.group(1))))
    if pattern and "gio" in folded:
        return f"{rng.randint(6, 20):02d}:{rng.choice(['00', '15', '30', '45'])}"
    if "ho va ten" in folded or "ho ten" in folded or "ho, chu dem" in folded:
        if user and "nguoi" in folded and "con" not in folded and "tre" not in folded:
            return user.full_name
        return _person_name(rng)
    if "dia chi" in folded or "noi cu tru" in folded or "thuong tru" in folded:
        return user.address if user and user.address else "Khu Dự Thượng, xã Thanh Sơn"
    if "dan toc" in folded:
        return "Kinh"
    if "quoc tich" in folded:
        return "Việt Nam"
    return "Thông tin minh họa"


def demo_form_data(schema: dict, user, rng: random.Random | None = None) -> dict:
    """A valid filled-in form for ``schema`` on behalf of ``user``."""
    rng = rng or random.Random(SEED)
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    data = {}
    for name, spec in properties.items():
        value = _value_for(name, spec, user, rng)
        if value == "" and name not in required:
            continue
        data[name] = value
    # Fields our guesses got wrong get the simplest valid value the schema allows.
    for name in form_validate(schema, data):
        spec = properties.get(name, {})
        if "enum" in spec:
            data[name] = spec["enum"][0]
        elif spec.get("maxLength"):
            data[name] = "Minh họa"[: spec["maxLength"]]
    return data


def _working_time(rng: random.Random, day: dt.date) -> dt.datetime:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    minute = rng.choice([rng.randint(7 * 60 + 30, 11 * 60 + 20), rng.randint(13 * 60 + 30,
                                                                             16 * 60 + 50)])
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=LOCAL_TZ)


def _after(at: dt.datetime, rng: random.Random, hours: tuple[int, int]) -> dt.datetime:
    return at + dt.timedelta(minutes=rng.randint(hours[0] * 60, hours[1] * 60))


def _official(agency, role) -> User | None:
    return User.objects.filter(roles__agency=agency, roles__role=role).first()


# The stage a dossier is left at, with weights: most are finished, some are still open.
STAGES = [("new", 6), ("refused", 3), ("supplement", 4), ("received", 6), ("processing", 12),
          ("withdrawn", 2), ("stopped", 1), ("resolved", 8), ("returned", 45),
          ("late", 8), ("apology", 5)]


def _files(dossier, actor, rng):
    for document in services.required_documents(dossier):
        if document.mandatory:
            services.attachment_add(
                dossier=dossier, actor=actor, document_key=document.key,
                fileobj=SimpleUploadedFile(f"{document.key}.pdf", _pdf(document.name),
                                           "application/pdf"),
                original_name=f"{document.key}.pdf")


def _make_one(rng: random.Random, version, citizen, stage: str, start: dt.datetime,
              now: dt.datetime) -> Dossier | None:
    in_person = version.online_mode == "none" or rng.random() < 0.35
    if in_person:
        desk_agency = None
        from motcua.dossiers.routing import competent_agency_find, intake_desk_find

        competent = competent_agency_find(version=version, unit=citizen.unit)
        desk = intake_desk_find(agency=competent)
        desk_agency = desk.agency if desk else None
        receiver = _official(desk_agency, Role.RECEIVER) if desk_agency else None
        if receiver is None:
            return None
        dossier = services.dossier_draft_create(version=version, actor=receiver,
                                                channel=Channel.IN_PERSON, desk=desk)
        services.dossier_applicant_update(
            dossier=dossier, actor=receiver, name=citizen.full_name,
            national_id=citizen.national_id, phone=citizen.phone, email=citizen.email,
            address=citizen.address, unit=citizen.unit)
        actor = receiver
    else:
        dossier = services.dossier_draft_create(version=version, actor=citizen)
        actor = citizen
    form = demo_form_data(effective_schema(version), citizen, rng)
    services.dossier_form_save(dossier=dossier, actor=actor, data=form)
    _files(dossier, actor, rng)
    at = start
    if in_person:
        dossier = services.dossier_receive(dossier=dossier, actor=actor, at=at)
    else:
        dossier = services.dossier_submit(dossier=dossier, actor=actor, at=at)
        receiver = _official(dossier.receiving_agency, Role.RECEIVER)
        if stage == "new" or receiver is None:
            return dossier
        at = _after(at, rng, (1, 20))
        if stage == "refused":
            services.dossier_refuse(dossier=dossier, actor=receiver, at=min(at, now),
                                    reason="Thủ tục không thuộc thẩm quyền tiếp nhận; đề nghị "
                                           "nộp tại cơ quan Công an cấp xã.")
            return dossier
        services.dossier_accept(dossier=dossier, actor=receiver, at=min(at, now))
    if stage in ("received", "refused", "new"):
        return dossier
    dossier.refresh_from_db()
    step = dossier.current_step
    specialist = _official(step.agency, Role.SPECIALIST)
    if specialist is None:
        return dossier
    at = min(_after(at, rng, (1, 8)), now)
    services.dossier_start(dossier=dossier, actor=specialist, at=at)
    if stage == "supplement":
        services.dossier_request_supplement(
            dossier=dossier, actor=specialist, at=min(_after(at, rng, (1, 6)), now),
            reason="Giấy tờ chụp chưa rõ, không đọc được số và ngày cấp.",
            items=["Ảnh chụp rõ nét bản chính giấy tờ tùy thân"])
        return dossier
    if stage == "withdrawn":
        services.dossier_withdraw(dossier=dossier, actor=citizen if not in_person else actor,
                                  reason="Tôi muốn nộp lại hồ sơ khác đầy đủ hơn.",
                                  at=min(_after(at, rng, (1, 6)), now))
        return dossier
    if stage == "processing":
        return dossier
    dossier.refresh_from_db()
    if stage == "apology":
        services.dossier_apologize(
            dossier=dossier, actor=specialist, at=min(_after(at, rng, (1, 4)), now),
            reason="Cần lấy ý kiến cơ quan liên quan nên chưa kịp trả kết quả đúng hẹn.",
            new_due_at=dossier.due_at + dt.timedelta(days=3))
        return dossier
    late = stage == "late"
    due = dossier.current_step.due_at
    at = due + dt.timedelta(hours=rng.randint(2, 30)) if late else min(
        _after(at, rng, (1, 10)), due)
    if at > now:
        return dossier
    services.dossier_forward(dossier=dossier, actor=specialist, at=at)
    dossier.refresh_from_db()
    leader = _official(dossier.current_step.agency, Role.LEADER)
    if leader is None:
        return dossier
    if stage == "stopped":
        services.dossier_stop(dossier=dossier, actor=leader, at=min(_after(at, rng, (1, 4)), now),
                              reason="Người nộp đề nghị tạm dừng để bổ sung hồ sơ đất đai.")
        return dossier
    dossier.refresh_from_db()
    at = dossier.due_at + dt.timedelta(hours=rng.randint(1, 20)) if late else min(
        _after(at, rng, (1, 6)), dossier.due_at)
    if at > now:
        return dossier
    services.dossier_approve(dossier=dossier, actor=leader, at=at)
    if stage == "resolved":
        return dossier
    dossier.refresh_from_db()
    at = _after(at, rng, (1, 30))
    if at > now:
        return dossier
    services.dossier_return_result(dossier=dossier,
                                   actor=_official(dossier.receiving_agency, Role.RECEIVER),
                                   at=at)
    if dossier.applicant_id and rng.random() < 0.6:
        services.dossier_rate(dossier=dossier, actor=dossier.applicant,
                              level=rng.choices([1, 2, 3], [5, 4, 1])[0], at=at)
    return dossier


def demo_dossiers_load(*, count: int = 300) -> int:
    """Create ``count`` dossiers once; a second run changes nothing."""
    if Dossier.objects.exclude(status=Status.DRAFT).exists():
        return 0
    rng = random.Random(SEED)
    citizens = list(User.objects.filter(username__in=[c.national_id for c in CITIZENS])
                    .select_related("unit"))
    versions = [
        v for v in ProcedureVersion.objects.filter(bundle_members__isnull=True)
        .select_related("procedure", "agency_kind").order_by("procedure__code")
        if v.procedure.current_version() == v
    ]
    now = timezone.now()
    names, weights = zip(*STAGES, strict=True)
    made = 0
    for index in range(count):
        version = rng.choice(versions)
        citizen = rng.choice(citizens)
        stage = rng.choices(names, weights)[0]
        days_back = rng.randint(1, 40) if stage not in ("new", "received") else rng.randint(0, 2)
        start = min(_working_time(rng, (now - dt.timedelta(days=days_back))
                                  .astimezone(LOCAL_TZ).date()), now - dt.timedelta(minutes=5))
        with transaction.atomic():
            if _make_one(random.Random(SEED + index), version, citizen, stage, start, now):
                made += 1
    return made
