"""The dossier's life through the services: stories about named people of Phú Thọ."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.models import CodeSequence, Dossier, DossierEvent, DossierStep, Status

from .conftest import attach_all, local, pdf_bytes, valid_form

pytestmark = pytest.mark.django_db
CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}$")


def actions(dossier):
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("pk")
                .values_list("action", flat=True))


def test_online_submission_gets_a_national_code_and_goes_to_the_competent_agency(
        make_submitted, citizen):
    dossier = make_submitted(at=local(2026, 11, 24, 9, 30))
    assert dossier.status == Status.NEW
    assert CODE_RE.match(dossier.code)
    assert dossier.code.endswith("-261124-0001")
    assert dossier.competent_agency.name == "Ủy ban nhân dân Phường Việt Trì"
    assert dossier.receiving_agency == dossier.competent_agency
    assert dossier.procedure_version.is_locked
    documents = [d for d in services.required_documents(dossier) if d.mandatory]
    assert actions(dossier) == ["draft_created", "form_saved",
                                *["attachment_added"] * len(documents), "submit"]


def test_codes_are_consecutive_per_agency_and_day(make_submitted, other_citizen):
    first = make_submitted(at=local(2026, 11, 24, 9, 0))
    second = make_submitted(at=local(2026, 11, 24, 10, 0))
    next_day = make_submitted(at=local(2026, 11, 25, 8, 0))
    elsewhere = make_submitted(user=other_citizen, at=local(2026, 11, 24, 9, 0))
    assert [first.code[-4:], second.code[-4:], next_day.code[-4:]] == ["0001", "0002", "0001"]
    assert elsewhere.code.split("-")[0] != first.code.split("-")[0]
    assert elsewhere.code.endswith("0001")


def test_a_submission_without_a_mandatory_document_is_refused_and_changes_nothing(citizen):
    version = Procedure.objects.get(code="1.004873").current_version()
    dossier = services.dossier_draft_create(version=version, actor=citizen)
    services.dossier_form_save(dossier=dossier, actor=citizen, data=valid_form(version, citizen))
    with pytest.raises(services.DossierError) as caught:
        services.dossier_submit(dossier=dossier, actor=citizen)
    assert caught.value.code == "incomplete"
    assert "_documents" in caught.value.fields
    dossier.refresh_from_db()
    assert (dossier.status, dossier.code) == (Status.DRAFT, None)
    assert not CodeSequence.objects.exists()


def test_submitting_twice_is_refused_with_the_code_already_given(make_submitted, citizen):
    dossier = make_submitted()
    with pytest.raises(services.DossierError) as caught:
        services.dossier_submit(dossier=dossier, actor=citizen)
    assert caught.value.code == "already_submitted"
    assert dossier.code in caught.value.message
    assert actions(dossier).count("submit") == 1


def test_the_whole_way_to_the_result_and_the_rating(make_submitted, citizen, officials):
    dossier = make_submitted(at=local(2026, 11, 24, 9, 0))
    services.dossier_accept(dossier=dossier, actor=officials["vietri.motcua"],
                            at=local(2026, 11, 24, 10, 0))
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.received_at == local(2026, 11, 24, 10, 0)
    assert dossier.due_at > dossier.received_at
    assert dossier.current_step.role == "specialist"
    services.dossier_start(dossier=dossier, actor=officials["vietri.tuphap"],
                           at=local(2026, 11, 24, 14, 0))
    services.dossier_forward(dossier=dossier, actor=officials["vietri.tuphap"],
                             at=local(2026, 11, 25, 8, 0))
    dossier.refresh_from_db()
    assert dossier.current_step.role == "leader"
    services.dossier_approve(dossier=dossier, actor=officials["vietri.chutich"],
                             at=local(2026, 11, 25, 9, 0))
    services.dossier_return_result(dossier=dossier, actor=officials["vietri.motcua"],
                                   at=local(2026, 11, 25, 10, 0))
    services.dossier_rate(dossier=dossier, actor=citizen, level=1, comment="Nhanh, chu đáo")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert actions(dossier)[-6:] == ["accept", "start", "forward", "approve", "return_result",
                                     "rate"]
    steps = list(DossierStep.objects.filter(dossier=dossier).order_by("started_at", "pk"))
    assert [s.role for s in steps] == ["specialist", "leader", "receiver"]
    assert all(s.finished_at for s in steps)
    assert {s.timeliness for s in steps} <= {"early", "on_time"}
    assert dossier.rating.level == 1


def test_every_status_change_is_exactly_one_event(make_submitted, officials):
    dossier = make_submitted()
    services.dossier_accept(dossier=dossier, actor=officials["vietri.motcua"])
    services.dossier_start(dossier=dossier, actor=officials["vietri.tuphap"])
    changes = DossierEvent.objects.filter(dossier=dossier).exclude(
        from_status=None).exclude(to_status=None)
    statuses = [(e.from_status, e.to_status) for e in changes.order_by("at", "pk")
                if e.from_status != e.to_status]
    assert statuses == [(Status.DRAFT, Status.NEW), (Status.NEW, Status.RECEIVED),
                        (Status.RECEIVED, Status.PROCESSING)]


def test_a_supplement_request_stops_the_clock_and_the_answer_restarts_it(
        make_submitted, citizen, officials):
    dossier = make_submitted(at=local(2026, 11, 23, 8, 0))
    services.dossier_accept(dossier=dossier, actor=officials["vietri.motcua"],
                            at=local(2026, 11, 23, 8, 30))
    services.dossier_start(dossier=dossier, actor=officials["vietri.tuphap"],
                           at=local(2026, 11, 23, 9, 0))
    dossier.refresh_from_db()
    first_due = dossier.due_at
    services.dossier_request_supplement(
        dossier=dossier, actor=officials["vietri.tuphap"],
        reason="Ảnh chụp tờ khai bị mờ", items=["Tờ khai chụp lại rõ nét"],
        at=local(2026, 11, 23, 10, 0))
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT
    with pytest.raises(services.DossierError) as caught:
        services.dossier_supplement(dossier=dossier, actor=citizen, at=local(2026, 11, 26, 9, 0))
    assert caught.value.code == "nothing_supplied"
    key = services.required_documents(dossier)[0].key
    services.attachment_add(dossier=dossier, actor=citizen, document_key=key,
                            fileobj=SimpleUploadedFile("to-khai.pdf", pdf_bytes("ro net")),
                            original_name="to-khai.pdf", at=local(2026, 11, 26, 8, 50))
    services.dossier_supplement(dossier=dossier, actor=citizen, at=local(2026, 11, 26, 9, 0))
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    # restart (the default): the whole processing time again from the complete dossier
    assert dossier.due_at > first_due
    event = DossierEvent.objects.filter(dossier=dossier, action="supplement").get()
    assert event.data["previous_due_at"] == first_due.isoformat()


def test_refusal_needs_a_reason_and_closes_the_dossier(make_submitted, officials):
    dossier = make_submitted()
    with pytest.raises(services.DossierError) as caught:
        services.dossier_refuse(dossier=dossier, actor=officials["vietri.motcua"], reason="  ")
    assert caught.value.code == "reason_required"
    dossier.refresh_from_db()
    assert dossier.status == Status.NEW
    services.dossier_refuse(dossier=dossier, actor=officials["vietri.motcua"],
                            reason="Không thuộc thẩm quyền giải quyết của phường")
    dossier.refresh_from_db()
    assert dossier.status == Status.REJECTED
    assert DossierEvent.objects.get(dossier=dossier, action="refuse").reason.startswith("Không")


def test_an_illegal_action_is_refused_and_changes_nothing(make_submitted, officials):
    dossier = make_submitted()
    before = actions(dossier)
    with pytest.raises(services.DossierError) as caught:
        services.dossier_approve(dossier=dossier, actor=officials["vietri.chutich"])
    assert caught.value.code == "illegal_transition"
    dossier.refresh_from_db()
    assert dossier.status == Status.NEW and actions(dossier) == before


def test_an_apology_moves_the_appointment_once_but_the_dossier_stays_late(
        make_submitted, officials):
    dossier = make_submitted(at=local(2026, 11, 2, 9, 0))
    services.dossier_accept(dossier=dossier, actor=officials["vietri.motcua"],
                            at=local(2026, 11, 2, 9, 30))
    services.dossier_start(dossier=dossier, actor=officials["vietri.tuphap"],
                           at=local(2026, 11, 2, 10, 0))
    dossier.refresh_from_db()
    original = dossier.due_at
    services.dossier_apologize(dossier=dossier, actor=officials["vietri.tuphap"],
                               reason="Cần xác minh thông tin tại nơi đăng ký thường trú trước",
                               new_due_at=local(2026, 11, 20, 17, 0),
                               at=local(2026, 11, 3, 9, 0))
    with pytest.raises(services.DossierError) as caught:
        services.dossier_apologize(dossier=dossier, actor=officials["vietri.tuphap"],
                                   reason="Lần nữa", new_due_at=local(2026, 11, 27, 17, 0))
    assert caught.value.code == "apology_limit"
    services.dossier_forward(dossier=dossier, actor=officials["vietri.tuphap"],
                             at=local(2026, 11, 18, 9, 0))
    services.dossier_approve(dossier=dossier, actor=officials["vietri.chutich"],
                             at=local(2026, 11, 19, 9, 0))
    dossier.refresh_from_db()
    assert dossier.original_due_at == original
    event = DossierEvent.objects.get(dossier=dossier, action="approve")
    assert event.data["timeliness"] == "late"


def test_withdrawal_by_the_applicant(make_submitted, citizen):
    dossier = make_submitted()
    services.dossier_withdraw(dossier=dossier, actor=citizen, reason="Tôi nộp nhầm thủ tục")
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN and dossier.closed_at


def test_forwarding_to_another_agency_and_back_to_the_process(make_submitted, officials):
    from motcua.geo.models import Agency

    dossier = make_submitted()
    services.dossier_accept(dossier=dossier, actor=officials["vietri.motcua"])
    services.dossier_start(dossier=dossier, actor=officials["vietri.tuphap"])
    police = Agency.objects.get(kind__slug="cong_an_xa", unit__code="07900")
    services.dossier_forward(dossier=dossier, actor=officials["vietri.tuphap"], to_agency=police,
                             note="Đề nghị xác minh nơi cư trú")
    dossier.refresh_from_db()
    assert dossier.current_step.agency == police
    # the police specialist answers and hands it on: back to the next step of the process
    services.dossier_forward(dossier=dossier, actor=officials["vietri.congan.cv"])
    dossier.refresh_from_db()
    assert dossier.current_step.role == "leader"
    assert dossier.current_step.agency == dossier.competent_agency


def test_in_person_intake_by_the_desk(officials, citizen):
    from motcua.dossiers.models import Channel

    officer = officials["vietri.motcua"]
    desk = officer.roles.get().desk
    version = Procedure.objects.get(code="1.004873").current_version()
    dossier = services.dossier_draft_create(version=version, actor=officer,
                                            channel=Channel.IN_PERSON, desk=desk)
    services.dossier_form_save(dossier=dossier, actor=officer, data=valid_form(version, citizen))
    attach_all(dossier, officer)
    dossier = services.dossier_receive(dossier=dossier, actor=officer,
                                       at=local(2026, 11, 24, 16, 0))
    assert dossier.status == Status.RECEIVED
    assert dossier.applicant is None and dossier.applicant_name == citizen.full_name
    assert dossier.due_at and dossier.current_step.role == "specialist"


def test_online_only_day_refuses_in_person_intake_of_a_fully_online_procedure(
        officials, citizen):
    from motcua.dossiers.models import Channel

    officer = officials["vietri.motcua"]
    desk = officer.roles.get().desk
    desk.online_only_weekdays = [3]  # Wednesdays
    desk.save()
    version = Procedure.objects.get(code="1.004873").current_version()
    assert version.online_mode == "full"
    dossier = services.dossier_draft_create(version=version, actor=officer,
                                            channel=Channel.IN_PERSON, desk=desk)
    services.dossier_form_save(dossier=dossier, actor=officer, data=valid_form(version, citizen))
    attach_all(dossier, officer)
    with pytest.raises(services.DossierError) as caught:
        services.dossier_receive(dossier=dossier, actor=officer,
                                 at=local(2026, 11, 25, 9, 0))  # a Wednesday
    assert caught.value.code == "online_only_day"
    assert "Cổng Dịch vụ công" in caught.value.message
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT


def test_linked_birth_bundle_makes_one_dossier_per_agency(citizen):
    version = Procedure.objects.get(code="2.000986").current_version()
    dossier = services.dossier_draft_create(version=version, actor=citizen)
    services.dossier_form_save(dossier=dossier, actor=citizen, data=valid_form(version, citizen))
    attach_all(dossier, citizen)
    bundle = services.bundle_submit(dossier=dossier, actor=citizen)
    parts = list(Dossier.objects.filter(bundle=bundle).exclude(status=Status.DRAFT))
    assert len(parts) == 3
    assert len({p.competent_agency_id for p in parts}) == 3
    assert len({p.code for p in parts}) == 3
    assert all(p.status == Status.NEW for p in parts)
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.bundle == bundle


def test_events_are_append_only(make_submitted):
    dossier = make_submitted()
    event = DossierEvent.objects.filter(dossier=dossier).first()
    event.reason = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_a_supplement_asked_before_the_clock_started_costs_no_time(make_submitted, citizen,
                                                                     officials):
    """Accepted on a Saturday evening, the dossier is received on Monday at 07:30; a
    supplement asked on Sunday and sent on Monday morning restarts from Monday."""
    dossier = make_submitted(at=local(2026, 11, 28, 21, 0))
    services.dossier_accept(dossier=dossier, actor=officials["vietri.motcua"],
                            at=local(2026, 11, 28, 21, 10))
    services.dossier_start(dossier=dossier, actor=officials["vietri.tuphap"],
                           at=local(2026, 11, 29, 9, 0))
    services.dossier_request_supplement(dossier=dossier, actor=officials["vietri.tuphap"],
                                        reason="Thiếu chữ ký", at=local(2026, 11, 29, 9, 5))
    key = services.required_documents(dossier)[0].key
    services.attachment_add(dossier=dossier, actor=citizen, document_key=key,
                            fileobj=SimpleUploadedFile("to-khai.pdf", pdf_bytes()),
                            original_name="to-khai.pdf", at=local(2026, 11, 30, 7, 50))
    services.dossier_supplement(dossier=dossier, actor=citizen, at=local(2026, 11, 30, 8, 0))
    dossier.refresh_from_db()
    assert dossier.received_at == local(2026, 11, 30, 7, 30)
    assert dossier.status == Status.PROCESSING and dossier.due_at > local(2026, 11, 30, 8, 0)
