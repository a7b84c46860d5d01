import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.core.formats import LOCAL_TZ
from motcua.dossiers import services
from motcua.eforms.schema import effective_schema


def pdf_bytes(text: str = "Giấy tờ") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text.encode("ascii", "ignore").decode() or "document")
    page.showPage()
    page.save()
    return buffer.getvalue()


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)


@pytest.fixture
def citizen(db):
    return User.objects.get(username="025080001234")  # Nguyễn Văn An, Phường Việt Trì


@pytest.fixture
def other_citizen(db):
    return User.objects.get(username="025185004321")  # Trần Thị Bình, Xã Thanh Sơn


@pytest.fixture
def officials(db):
    names = ["vietri.motcua", "vietri.tuphap", "vietri.chutich", "vietri.congan.cv",
             "thanhson.motcua", "thanhson.tuphap", "thanhson.chutich", "tinh.motcua",
             "sotuphap.cv", "sotuphap.ld", "congantinh.cv"]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def valid_form(version, user) -> dict:
    from motcua.demo.dossiers import demo_form_data

    return demo_form_data(effective_schema(version), user)


def attach_all(dossier, actor):
    for document in services.required_documents(dossier):
        if document.mandatory:
            services.attachment_add(
                dossier=dossier, actor=actor, document_key=document.key,
                fileobj=SimpleUploadedFile("giay-to.pdf", pdf_bytes(), "application/pdf"),
                original_name="giay-to.pdf")


@pytest.fixture
def make_submitted(citizen):
    """A complete online dossier submitted by ``user`` (default: the Việt Trì citizen)."""

    def make(code="1.004873", user=None, at=None):
        user = user or citizen
        version = Procedure.objects.get(code=code).current_version()
        dossier = services.dossier_draft_create(version=version, actor=user)
        services.dossier_form_save(dossier=dossier, actor=user, data=valid_form(version, user))
        attach_all(dossier, user)
        return services.dossier_submit(dossier=dossier, actor=user, at=at)

    return make
