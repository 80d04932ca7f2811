"""The candidate's appeal page, and the appeal panel's pages in the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from academy import services as people
from accreditation.models import Appeal, Decision

from .factories import AppealFactory, DecisionFactory, staff

pytestmark = pytest.mark.django_db

QUEUE = reverse("accreditation_appeal_queue")


def appeal_url(decision: Decision) -> str:
    return reverse(
        "accreditation:appeal",
        kwargs={
            "candidacy_pk": decision.submission.work.candidacy_id,
            "decision_pk": decision.pk,
        },
    )


@pytest.fixture
def decision():
    return DecisionFactory()


@pytest.fixture
def candidate_client(client, decision):
    client.force_login(decision.submission.work.candidacy.candidate)
    return client


# The candidate's page --------------------------------------------------------------------------


def test_the_candidate_appeals_from_the_page_and_then_sees_it_waiting(candidate_client, decision):
    url = appeal_url(decision)
    page = candidate_client.get(url).content.decode()
    assert '<html lang="en-GB">' in page and "<main" in page
    assert 'name="grounds"' in page and decision.feedback in page
    assert '<label class="nhsuk-label" for="id_grounds">Why you are appealing</label>' in page

    response = candidate_client.post(url, {"grounds": "The second plan was not read."})
    assert response.status_code == 302 and response.url == url
    appeal = Appeal.objects.get(decision=decision)
    assert appeal.grounds == "The second plan was not read."

    page = candidate_client.get(url).content.decode()
    assert "Your appeal has been sent" in page
    assert "Appeal waiting for the panel" in page
    assert 'name="grounds"' not in page


def test_empty_grounds_are_refused_with_an_error_summary(candidate_client, decision):
    response = candidate_client.post(appeal_url(decision), {"grounds": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error:" in page and "There is a problem" in page
    assert '<a href="#id_grounds">Why you are appealing: Enter why you are appealing.</a>' in page
    assert not Appeal.objects.exists()


def test_appealing_twice_says_it_was_appealed_already(candidate_client, decision):
    url = appeal_url(decision)
    candidate_client.post(url, {"grounds": "First."})
    response = candidate_client.post(url, {"grounds": "Second."})
    assert response.status_code == 400
    assert "You have already appealed this decision" in response.content.decode()
    assert Appeal.objects.get().grounds == "First."


def test_after_the_window_the_page_says_so_and_takes_no_appeal(candidate_client, decision):
    Decision.objects.filter(pk=decision.pk).update(
        decided_at=timezone.now()
        - timedelta(days=decision.submission.work.candidacy.programme.appeal_window_days + 1)
    )
    url = appeal_url(decision)
    page = candidate_client.get(url).content.decode()
    assert "You cannot appeal this decision" in page and "The time to appeal" in page
    assert 'name="grounds"' not in page
    response = candidate_client.post(url, {"grounds": "Late."})
    assert response.status_code == 400
    assert "The time to appeal" in response.content.decode()
    assert not Appeal.objects.exists()


def test_someone_elses_decision_reads_as_missing(client, decision, learner):
    # Another person, and the candidate with their own candidacy in the address but another's
    # decision: both are told it does not exist.
    client.force_login(learner)
    assert client.get(appeal_url(decision)).status_code == 404
    assert client.post(appeal_url(decision), {"grounds": "Mine?"}).status_code == 404
    other = DecisionFactory()
    client.force_login(decision.submission.work.candidacy.candidate)
    mixed = reverse(
        "accreditation:appeal",
        kwargs={"candidacy_pk": decision.submission.work.candidacy_id, "decision_pk": other.pk},
    )
    assert client.get(mixed).status_code == 404
    assert not Appeal.objects.exists()


def test_signed_out_people_are_sent_to_sign_in(client, decision):
    response = client.get(appeal_url(decision))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_the_candidate_reads_the_panels_answer(candidate_client, decision, staff_groups):
    appeal = AppealFactory(decision=decision)
    Appeal.objects.filter(pk=appeal.pk).update(
        outcome=Appeal.Outcome.DISMISSED,
        reasons="The plans do not weigh the evidence.",
        panel_member=staff(people.PROGRAMME_MANAGERS),
        decided_at=timezone.now(),
    )
    page = candidate_client.get(appeal_url(decision)).content.decode()
    assert "Appeal dismissed" in page and "The plans do not weigh the evidence." in page
    assert "The decision you appealed stands" in page


# The panel's pages -----------------------------------------------------------------------------


@pytest.fixture
def member(staff_groups):
    return staff(people.PROGRAMME_MANAGERS, full_name="Pat Panel")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def test_the_queue_lists_appeals_waiting_and_answers_in_fixed_queries(
    member_client, member, django_assert_max_num_queries
):
    waiting = AppealFactory(
        decision__submission__work__candidacy__candidate__full_name="Wanda Waiting"
    )
    AppealFactory(
        decision__submission__assessor=member,
        decision__submission__work__candidacy__candidate__full_name="Own Work",
    )
    with django_assert_max_num_queries(20) as few:
        page = member_client.get(QUEUE).content.decode()
    assert "Wanda Waiting" in page and "Own Work" not in page
    assert reverse("accreditation_appeal_decide", args=[waiting.pk]) in page
    for _ in range(5):
        AppealFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert member_client.get(QUEUE).status_code == 200


def test_upholding_from_the_admin(member_client, member):
    appeal = AppealFactory(grounds="The assessor did not open the second file.")
    url = reverse("accreditation_appeal_decide", args=[appeal.pk])
    page = member_client.get(url).content.decode()
    assert "The assessor did not open the second file." in page
    assert appeal.decision.submission.statement in page

    response = member_client.post(
        url,
        {
            "verdict": "uphold",
            "reasons": "The second file shows it.",
            "outcome": "competent",
            "feedback": "Competent on the evidence.",
        },
    )
    assert response.status_code == 302 and response.url == QUEUE
    appeal.refresh_from_db()
    assert appeal.outcome == Appeal.Outcome.UPHELD and appeal.panel_member == member
    assert Decision.objects.get(kind=Decision.Kind.APPEAL).supersedes == appeal.decision

    again = member_client.post(url, {"verdict": "dismiss", "reasons": "Changed my mind."})
    assert again.status_code == 409
    assert "An appeal is decided once" in again.content.decode()


def test_dismissing_from_the_admin_needs_reasons(member_client):
    appeal = AppealFactory()
    url = reverse("accreditation_appeal_decide", args=[appeal.pk])
    response = member_client.post(url, {"verdict": "dismiss", "reasons": ""})
    assert response.status_code == 400 and "Give your reasons." in response.content.decode()
    member_client.post(url, {"verdict": "dismiss", "reasons": "No new evidence."})
    appeal.refresh_from_db()
    assert appeal.outcome == Appeal.Outcome.DISMISSED


def test_the_original_assessor_sees_the_appeal_but_cannot_decide_it(member_client, member):
    appeal = AppealFactory(decision__submission__assessor=member)
    url = reverse("accreditation_appeal_decide", args=[appeal.pk])
    page = member_client.get(url).content.decode()
    assert "You may not decide this appeal" in page and 'name="verdict"' not in page
    assert member_client.post(url, {"verdict": "dismiss", "reasons": "No."}).status_code == 403
    appeal.refresh_from_db()
    assert appeal.decided_at is None


@pytest.mark.parametrize(
    "group",
    [people.INTERNAL_QUALITY_ASSURERS, people.ADMINISTRATORS, people.PROGRAMME_MANAGERS],
)
def test_the_groups_who_sit_on_panels_reach_the_queue(client, staff_groups, group):
    client.force_login(staff(group))
    assert client.get(QUEUE).status_code == 200


@pytest.mark.parametrize(
    "group", [people.ASSESSORS, people.EXTERNAL_QUALITY_ASSURERS, people.TRAINERS]
)
def test_others_do_not_reach_the_panel_pages(client, staff_groups, group):
    appeal = AppealFactory()
    client.force_login(staff(group))
    url = reverse("accreditation_appeal_decide", args=[appeal.pk])
    for page in (QUEUE, url):
        assert client.get(page).status_code in (302, 403)
    client.post(url, {"verdict": "dismiss", "reasons": "No."})
    appeal.refresh_from_db()
    assert appeal.decided_at is None


def test_the_unit_page_offers_the_appeal_of_a_not_yet_competent_decision(client):
    decision = DecisionFactory()
    work = decision.submission.work
    client.force_login(work.candidacy.candidate)
    url = reverse("accreditation:unit", args=[work.candidacy_id, work.requirement_id])
    page = client.get(url).content.decode()
    appeal_url = reverse("accreditation:appeal", args=[work.candidacy_id, decision.pk])
    assert f'href="{appeal_url}"' in page and "appeal it" in page


def test_a_unit_is_not_handed_in_again_while_its_appeal_waits(client):
    from accreditation import services
    from accreditation.errors import AccreditationError

    appeal = AppealFactory()
    work = appeal.decision.submission.work
    client.force_login(work.candidacy.candidate)
    page = client.get(
        reverse("accreditation:unit", args=[work.candidacy_id, work.requirement_id])
    ).content.decode()
    assert "waiting for the panel: you can hand the unit in again once it is decided" in page
    with pytest.raises(AccreditationError, match="waiting for the panel"):
        services.submit_unit(
            candidacy=work.candidacy, requirement=work.requirement, by=work.candidacy.candidate
        )
