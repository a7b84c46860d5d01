"""A member helps a citizen submit a dossier: on the citizen's own account (the citizen types
the member's code on their phone), or on the citizen's behalf with the consent code the
citizen receives by SMS and reads back. The dossier goes through the dossier services; its
submit event says who helped (the contract the statistics count by), and it counts in the
team's figures."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.community import rules, selectors, services
from motcua.community.models import Assistance, AssistedSubmission, AssistStatus
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import DossierEvent, Status
from motcua.notifications.models import Notification
from tests.dossiers.conftest import attach_all, valid_form

from .conftest import team_member

PROCEDURE = "1.004873"  # certificate of marital status, online
CITIZEN = {"citizen_name": "Đoàn Thị Hợi", "national_id": "025160004242", "phone": "0987654321"}


def version():
    return Procedure.objects.get(code=PROCEDURE).current_version()


def ask_consent(member, viet_tri, **changes):
    return services.assistance_start_on_behalf(actor=member.user, version=version(),
                                               unit=viet_tri, **{**CITIZEN, **changes})


def sms_code(phone=CITIZEN["phone"]) -> str:
    sms = Notification.objects.filter(template="community_consent_code",
                                      recipient=phone).latest("pk")
    return re.search(r"\b(\d{6})\b", sms.body).group(1)


def fill_and_submit(dossier, actor, *, person=None):
    form = valid_form(dossier.procedure_version, person)
    if person is None:
        form |= {"full_name": CITIZEN["citizen_name"], "national_id": CITIZEN["national_id"],
                 "phone": CITIZEN["phone"], "commune": dossier.applicant_unit.code}
    dossier_services.dossier_form_save(dossier=dossier, actor=actor, data=form)
    attach_all(dossier, actor)
    return dossier_services.dossier_submit(dossier=dossier, actor=actor)


def this_month():
    return rules.month_of(timezone.localdate())


def test_the_consent_code_goes_by_sms_through_the_outbox_and_is_kept_only_hashed(
        new_team, viet_tri):
    assistance = ask_consent(team_member(new_team), viet_tri)
    sms = Notification.objects.get(template="community_consent_code")
    code = sms_code()
    print("SMS:", sms.body)
    assert sms.channel == "sms" and sms.recipient == CITIZEN["phone"]
    assert sms.body.startswith(f"Ma xac nhan {code}: Phan Van Luc (To cong nghe so cong dong)")
    assert len(sms.body) <= 160
    # Stored only as a hash keyed with the secret key: no field holds the code itself.
    assert assistance.code_hash == services._code_hash(salt=str(assistance.pk), code=code)
    assert code not in {str(v) for v in vars(assistance).values()}
    assert assistance.code_expires_at - timezone.now() <= dt.timedelta(minutes=10)


def test_a_wrong_code_is_refused_and_counted(new_team, viet_tri):
    member = team_member(new_team)
    assistance = ask_consent(member, viet_tri)
    wrong = "000000" if sms_code() != "000000" else "111111"
    with pytest.raises(services.CommunityError) as refused:
        services.assistance_confirm(actor=member.user, assistance=assistance, code=wrong)
    print("wrong code:", refused.value.message)
    assert refused.value.message == "Sai mã. Còn 4 lần thử."
    assistance.refresh_from_db()
    assert (assistance.attempts, assistance.status, assistance.dossier) == (1, "pending", None)


def test_an_expired_code_is_refused(new_team, viet_tri):
    member = team_member(new_team)
    assistance = ask_consent(member, viet_tri)
    Assistance.objects.filter(pk=assistance.pk).update(
        code_expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(services.CommunityError) as refused:
        services.assistance_confirm(actor=member.user, assistance=assistance, code=sms_code())
    print("expired code:", refused.value.message)
    assert refused.value.message == "Mã đã hết hạn: hãy gửi mã mới."
    assistance.refresh_from_db()
    assert assistance.dossier is None


def test_five_wrong_codes_lock_it_even_for_the_right_one(new_team, viet_tri):
    member = team_member(new_team)
    assistance = ask_consent(member, viet_tri)
    right = sms_code()
    wrong = "000000" if right != "000000" else "111111"
    for _try in range(5):
        with pytest.raises(services.CommunityError):
            services.assistance_confirm(actor=member.user, assistance=assistance, code=wrong)
    with pytest.raises(services.CommunityError, match="quá nhiều lần"):
        services.assistance_confirm(actor=member.user, assistance=assistance, code=right)
    assistance.refresh_from_db()
    assert assistance.status == AssistStatus.LOCKED and assistance.dossier is None


def test_a_new_code_replaces_the_old_one(new_team, viet_tri):
    member = team_member(new_team)
    assistance = ask_consent(member, viet_tri)
    old = sms_code()
    services.assistance_resend(actor=member.user, assistance=assistance)
    new = sms_code()
    if old != new:
        with pytest.raises(services.CommunityError):
            services.assistance_confirm(actor=member.user, assistance=assistance, code=old)
    assert services.assistance_confirm(actor=member.user, assistance=assistance, code=new)


def test_on_behalf_with_the_right_code_it_is_a_real_dossier_the_team_and_the_statistics_count(
        client, new_team, viet_tri, province_official):
    member = team_member(new_team)
    assistance = ask_consent(member, viet_tri)
    dossier = services.assistance_confirm(actor=member.user, assistance=assistance,
                                          code=sms_code())
    # A draft started for the citizen, without their account, by the member: as a walk-in's.
    assert (dossier.status, dossier.applicant, dossier.created_by) == (
        Status.DRAFT, None, member.user)
    assert (dossier.applicant_name, dossier.applicant_national_id) == (
        CITIZEN["citizen_name"], CITIZEN["national_id"])
    before = selectors.activity(period=this_month(), teams=[new_team]).dossiers_assisted

    dossier = fill_and_submit(dossier, member.user)

    submit = DossierEvent.objects.get(dossier=dossier, action="submit")
    print("submit event data:", submit.data)
    assert submit.data["assisted_by"] == member.user.pk
    assert submit.data["assisted_team"] == new_team.pk
    assert submit.data["assisted_mode"] == "on_behalf"
    assert submit.actor == member.user and dossier.status == Status.NEW and dossier.code
    # The team's figures …
    figures = selectors.activity(period=this_month(), teams=[new_team])
    print("team figures:", {"dossiers_assisted": figures.dossiers_assisted})
    assert (before, figures.dossiers_assisted) == (0, 1)
    client.force_login(province_official)
    page = client.get(f"/to-cong-nghe-so/to/{new_team.pk}/").content.decode()
    assert '<dd id="dossiers-assisted">1</dd>' in page
    api = client.get(f"/api/v1/community/teams/{new_team.pk}").json()
    assert api["activity"]["dossiers_assisted"] == 1
    # … and the dossier statistics, which count the submit events by these keys.
    assisted_submits = DossierEvent.objects.filter(action="submit",
                                                   data__assisted_team=new_team.pk)
    assert list(assisted_submits.values_list("dossier__code", flat=True)) == [dossier.code]
    assert AssistedSubmission.objects.get(dossier=dossier).event == submit
    # The citizen hears of it on the phone the consent came from.
    assert Notification.objects.filter(template="dossier_submitted", channel="sms",
                                       recipient=CITIZEN["phone"]).exists()


def test_a_dossier_changed_to_another_person_is_not_submitted_on_that_consent(
        new_team, viet_tri):
    member = team_member(new_team)
    dossier = services.assistance_confirm(actor=member.user,
                                          assistance=ask_consent(member, viet_tri),
                                          code=sms_code())
    form = valid_form(dossier.procedure_version, None) | {
        "full_name": "Người Khác", "national_id": "025170001313", "phone": "0911222333",
        "commune": viet_tri.code}
    dossier_services.dossier_form_save(dossier=dossier, actor=member.user, data=form)
    attach_all(dossier, member.user)
    with pytest.raises(dossier_services.DossierError) as refused:
        dossier_services.dossier_submit(dossier=dossier, actor=member.user)
    assert refused.value.code == "no_consent"
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.code is None
    assert not DossierEvent.objects.filter(dossier=dossier, action="submit").exists()


def test_on_the_citizen_s_own_account_the_citizen_types_the_member_s_code(new_team, citizen):
    member = team_member(new_team)
    assistance, code = services.assistance_start_own_account(actor=member.user,
                                                              version=version())
    assert code not in {str(v) for v in vars(assistance).values()}
    with pytest.raises(services.CommunityError, match="không đúng hoặc đã hết hạn"):
        services.assistance_accept(citizen=citizen, code="12345x")
    dossier = services.assistance_accept(citizen=citizen, code=code)
    assert (dossier.applicant, dossier.created_by) == (citizen, citizen)
    dossier = fill_and_submit(dossier, citizen, person=citizen)
    submit = DossierEvent.objects.get(dossier=dossier, action="submit")
    print("submit event data:", submit.data)
    assert {k: submit.data[k] for k in ("assisted_by", "assisted_team", "assisted_mode")} == {
        "assisted_by": member.user.pk, "assisted_team": new_team.pk,
        "assisted_mode": "own_account"}
    assert selectors.activity(period=this_month(), teams=[new_team]).dossiers_assisted == 1
    with pytest.raises(services.CommunityError):  # a code is used once
        services.assistance_accept(citizen=citizen, code=code)


def test_a_member_does_not_assist_themselves(new_team):
    member = team_member(new_team)
    _assistance, code = services.assistance_start_own_account(actor=member.user,
                                                               version=version())
    with pytest.raises(services.CommunityError, match="chính mình"):
        services.assistance_accept(citizen=member.user, code=code)


def test_a_dossier_without_help_says_nothing_of_it(make_submitted):
    dossier = make_submitted()
    submit = DossierEvent.objects.get(dossier=dossier, action="submit")
    assert "assisted_by" not in submit.data
    assert not AssistedSubmission.objects.filter(dossier=dossier).exists()


def test_only_members_ask_for_consent(citizen, chairman, viet_tri):
    for user in (citizen, chairman):
        with pytest.raises(services.CommunityError) as refused:
            services.assistance_start_on_behalf(actor=user, version=version(), unit=viet_tri,
                                                **CITIZEN)
        assert refused.value.code == "not_member"


def test_the_pages_of_help_on_behalf(client, new_team, viet_tri):
    member = team_member(new_team)
    client.force_login(member.user)
    response = client.post("/to-cong-nghe-so/ho-tro-nop/", {
        "mode": "on_behalf", "procedure": PROCEDURE, "unit": viet_tri.code, **CITIZEN})
    assistance = Assistance.objects.get(member=member)
    assert response["Location"] == f"/to-cong-nghe-so/ho-tro-nop/{assistance.pk}/"
    wrong = "000000" if sms_code() != "000000" else "111111"
    page = client.post(response["Location"], {"code": wrong}).content.decode()
    assert "Sai mã. Còn 4 lần thử." in page
    done = client.post(response["Location"], {"code": sms_code()})
    assistance.refresh_from_db()
    assert done["Location"] == f"/ho-so/{assistance.dossier_id}/buoc/1/"
    # The member goes on in the portal's own dossier pages.
    assert client.get(done["Location"]).status_code == 200


def test_the_pages_of_help_on_the_citizen_s_account(client, new_team, citizen):
    member = team_member(new_team)
    client.force_login(member.user)
    page = client.post("/to-cong-nghe-so/ho-tro-nop/", {
        "mode": "own_account", "own_procedure": PROCEDURE}).content.decode()
    code = re.search(r'class="code-big"[^>]*>(\d{6})<', page).group(1)
    client.force_login(citizen)
    response = client.post("/to-cong-nghe-so/duoc-ho-tro/", {"code": code})
    dossier = Assistance.objects.get(member=member).dossier
    assert response["Location"] == f"/ho-so/{dossier.pk}/buoc/1/"
    assert dossier.applicant == citizen


def test_each_part_of_linked_procedures_says_who_helped(new_team, citizen):
    from motcua.dossiers.models import Dossier

    member = team_member(new_team)
    birth = Procedure.objects.get(code="2.000986").current_version()
    _assistance, code = services.assistance_start_own_account(actor=member.user,
                                                               version=birth)
    draft = services.assistance_accept(citizen=citizen, code=code)
    dossier_services.dossier_form_save(dossier=draft, actor=citizen,
                                       data=valid_form(birth, citizen))
    attach_all(draft, citizen)
    bundle = dossier_services.bundle_submit(dossier=draft, actor=citizen)
    parts = Dossier.objects.filter(bundle=bundle).exclude(status=Status.DRAFT)
    submits = DossierEvent.objects.filter(dossier__in=parts, action="submit")
    assert submits.count() == 3
    assert {(e.data["assisted_by"], e.data["assisted_team"], e.data["assisted_mode"])
            for e in submits} == {(member.user.pk, new_team.pk, "own_account")}
    assert selectors.activity(period=this_month(), teams=[new_team]).dossiers_assisted == 3
