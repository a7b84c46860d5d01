"""A member logs a visit in one screen; the same form sent twice (a double click, a draft sent
again after the connection dropped) logs it once."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from motcua.community import services
from motcua.community.models import Household, Visit


def key():
    return uuid.uuid4().hex


def test_a_visit_is_logged_with_what_was_done(leader):
    household = Household.objects.filter(village__code="07900.003").first()
    visit, created = services.visit_log(
        actor=leader, idempotency_key=key(), household=household, people_helped=2,
        skills=["public_services", "safety"], vneid_installed=True, vneid_level2=True)
    assert created and visit.team.village.code == "07900.003"
    assert (visit.vneid_installed, visit.vneid_level2, visit.cashless) == (True, True, False)
    assert visit.skills == ["public_services", "safety"] and visit.people_helped == 2


def test_the_same_form_twice_logs_one_visit(leader):
    form_key = key()
    first, created = services.visit_log(actor=leader, idempotency_key=form_key, cashless=True)
    again, created_again = services.visit_log(actor=leader, idempotency_key=form_key,
                                              cashless=True)
    assert created and not created_again and first.pk == again.pk
    assert Visit.objects.filter(idempotency_key=form_key).count() == 1


def test_a_new_household_is_added_from_the_visit(leader):
    visit, _created = services.visit_log(
        actor=leader, idempotency_key=key(),
        new_household={"head_name": "Triệu Thị Xuân", "address": "Số 9, ngõ 4"})
    assert visit.household.head_name == "Triệu Thị Xuân"
    assert visit.household.village.code == "07900.003"


def test_a_draft_sent_days_later_keeps_its_day_but_not_a_future_or_ancient_one(leader):
    now = timezone.now()
    two_days, _c = services.visit_log(actor=leader, idempotency_key=key(),
                                      at=now - dt.timedelta(days=2))
    assert two_days.at == now - dt.timedelta(days=2)
    for at in (now + dt.timedelta(days=1), now - dt.timedelta(days=30)):
        visit, _c = services.visit_log(actor=leader, idempotency_key=key(), at=at)
        assert abs((visit.at - timezone.now()).total_seconds()) < 60


@pytest.mark.parametrize(("changes", "field"), [
    ({"people_helped": 0}, "people_helped"),
    ({"people_helped": 51}, "people_helped"),
    ({"skills": ["astrology"]}, "skills"),
])
def test_bad_input_is_refused_beside_its_field(leader, changes, field):
    with pytest.raises(services.CommunityError) as refused:
        services.visit_log(actor=leader, idempotency_key=key(), **changes)
    assert field in refused.value.fields
    assert not Visit.objects.filter(member__user=leader, created_at__gte=timezone.now()
                                    - dt.timedelta(seconds=5)).exists()


def test_only_a_member_logs_visits(citizen, chairman):
    for user in (citizen, chairman):
        with pytest.raises(services.CommunityError) as refused:
            services.visit_log(actor=user, idempotency_key=key())
        assert refused.value.code == "not_member"


def test_the_visit_page_posts_without_javascript_and_a_double_post_logs_once(client, leader):
    client.force_login(leader)
    page = client.get("/to-cong-nghe-so/ghi-nhan/").content.decode()
    assert 'name="key"' in page and "visit-draft.js" in page
    household = Household.objects.filter(village__code="07900.003").first()
    form = {"key": key(), "at": "", "household": str(household.pk), "people_helped": "3",
            "vneid_installed": "on", "service_account": "on",
            "skills": ["payment", "shopping"]}
    first = client.post("/to-cong-nghe-so/ghi-nhan/", form, follow=True).content.decode()
    second = client.post("/to-cong-nghe-so/ghi-nhan/", form, follow=True).content.decode()
    assert "Đã ghi nhận lượt hỗ trợ. Cảm ơn bạn!" in first
    assert "không ghi hai lần" in second
    visit = Visit.objects.get(idempotency_key=form["key"])
    assert (visit.people_helped, visit.vneid_installed, visit.service_account,
            visit.dossier_online) == (3, True, True, False)
    assert sorted(visit.skills) == ["payment", "shopping"]
    assert f'data-saved="{form["key"]}"' in second


def test_the_visit_page_shows_errors_beside_the_field(client, leader):
    client.force_login(leader)
    page = client.post("/to-cong-nghe-so/ghi-nhan/", {"key": key(), "people_helped": "0"})
    assert page.status_code == 200
    assert "error-summary" in page.content.decode()


def test_the_database_refuses_a_second_visit_for_one_form(leader):
    """Two requests racing past the first look-up cannot both write: the second insert fails
    on the constraint, and visit_log then answers with the first visit."""
    from django.db import IntegrityError, transaction

    visit, _created = services.visit_log(actor=leader, idempotency_key=key())
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(member=visit.member, team=visit.team, at=visit.at,
                             idempotency_key=visit.idempotency_key)
