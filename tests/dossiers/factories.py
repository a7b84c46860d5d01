"""Small factories for dossiers built straight with the ORM. Places and agencies are the demo
province's (loaded once per test session): a dossier is received at the one-stop desk of
Phường Việt Trì and decided by the ward's People's Committee."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from motcua.accounts.models import Kind, User
from motcua.catalog.models import Field, Procedure, ProcedureVersion, RequiredDocument
from motcua.core.formats import LOCAL_TZ
from motcua.dossiers.models import (
    Attachment,
    Channel,
    Dossier,
    DossierEvent,
    DossierStep,
    Status,
)
from motcua.geo.models import Agency, AgencyKind, ServiceDesk, Unit

WARD = "Phường Việt Trì"


def local(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


def ward_agency() -> Agency:
    return Agency.objects.get(name=f"Ủy ban nhân dân {WARD}")


def ward_desk() -> ServiceDesk:
    return ServiceDesk.objects.get(name=f"Trung tâm Phục vụ hành chính công {WARD}")


class OfficialFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    kind = Kind.OFFICIAL
    full_name = "Lê Thu Trang"
    phone = "0912000111"


class ProcedureFactory(DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"9.{n:06d}")


class ProcedureVersionFactory(DjangoModelFactory):
    class Meta:
        model = ProcedureVersion

    procedure = factory.SubFactory(ProcedureFactory)
    effective_from = dt.date(2025, 7, 1)
    name = "Đăng ký khai sinh"
    field = factory.LazyFunction(
        lambda: Field.objects.get_or_create(name="Hộ tịch", defaults={"slug": "ho_tich"})[0])
    agency_name = "Ủy ban nhân dân cấp xã"
    agency_kind = factory.LazyFunction(lambda: AgencyKind.objects.get(slug="ubnd_xa"))
    online_mode = "full"
    processing_time = 3


class RequiredDocumentFactory(DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    version = factory.SubFactory(ProcedureVersionFactory)
    key = factory.Sequence(lambda n: f"giay-to-{n}")
    name = "Tờ khai đăng ký khai sinh theo mẫu"
    form = "Bản chính"
    copies = 1
    position = factory.Sequence(lambda n: n)


class DossierFactory(DjangoModelFactory):
    """A dossier received at the ward's desk on Tuesday 24/11/2026 at 08:30, due on Friday
    27/11/2026 at 17:00."""

    class Meta:
        model = Dossier

    procedure_version = factory.SubFactory(ProcedureVersionFactory)
    status = Status.RECEIVED
    channel = Channel.IN_PERSON
    applicant_name = "Nguyễn Thị Hường"
    applicant_national_id = "025190001234"
    applicant_phone = "0987654321"
    applicant_email = "huong.nguyen@example.vn"
    applicant_address = "Số 12, Tổ dân phố 3"
    applicant_unit = factory.LazyFunction(lambda: Unit.objects.get(name=WARD))
    receiving_desk = factory.LazyFunction(ward_desk)
    receiving_agency = factory.LazyFunction(ward_agency)
    competent_agency = factory.LazyFunction(ward_agency)
    code = factory.LazyAttributeSequence(
        lambda o, n: f"{o.receiving_agency.code}-261124-{n % 10000:04d}")
    submitted_at = local(2026, 11, 24, 8, 30)
    received_at = local(2026, 11, 24, 8, 30)
    due_at = local(2026, 11, 27, 17, 0)
    original_due_at = local(2026, 11, 27, 17, 0)


class DossierStepFactory(DjangoModelFactory):
    class Meta:
        model = DossierStep

    dossier = factory.SubFactory(DossierFactory)
    position = 0
    name = "Thẩm định hồ sơ"
    role = "specialist"
    agency = factory.LazyAttribute(lambda o: o.dossier.competent_agency)
    started_at = local(2026, 11, 24, 8, 30)
    due_at = local(2026, 11, 26, 10, 0)


class DossierEventFactory(DjangoModelFactory):
    class Meta:
        model = DossierEvent

    dossier = factory.SubFactory(DossierFactory)
    at = local(2026, 11, 24, 8, 30)
    actor = factory.SubFactory(OfficialFactory)
    actor_role = "receiver"
    agency = factory.LazyAttribute(lambda o: o.dossier.receiving_agency)
    action = "receive"
    from_status = Status.DRAFT
    to_status = Status.RECEIVED


class AttachmentFactory(DjangoModelFactory):
    class Meta:
        model = Attachment

    dossier = factory.SubFactory(DossierFactory)
    document_key = "giay-to"
    file = "dossiers/scan.pdf"
    original_name = "scan.pdf"
    content_type = "application/pdf"
    size = 120_000
    sha256 = "0" * 64
