"""The IQA's pages in the admin: the queue of samples, choosing a decision to sample, and the
review page with its confirm and overturn."""

import pytest
from django.urls import reverse

from academy import services as people
from accreditation.models import Decision, QualitySample
from tests.academy.factories import UserFactory

from .factories import (
    AppealFactory,
    DecisionFactory,
    QualitySampleFactory,
    VersionFactory,
    staff,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("accreditation_iqa_queue")
DECISIONS = reverse("accreditation_iqa_decisions")


@pytest.fixture
def iqa(staff_groups):
    return staff(people.INTERNAL_QUALITY_ASSURERS, full_name="Iris Quality")


@pytest.fixture
def iqa_client(client, iqa):
    client.force_login(iqa)
    return client


def candidate_name(sample: QualitySample) -> str:
    return sample.decision.submission.work.candidacy.candidate.full_name


def test_the_queue_lists_samples_waiting_but_not_the_iqas_own_decisions(iqa_client, iqa):
    waiting = QualitySampleFactory(
        decision__submission__work__candidacy__candidate__full_name="Wendy Waiting"
    )
    own = QualitySampleFactory(
        decision__submission__assessor=iqa,
        decision__submission__work__candidacy__candidate__full_name="Owen Own",
    )
    reviewed = QualitySampleFactory(
        decision__submission__work__candidacy__candidate__full_name="Rita Reviewed"
    )
    QualitySample.objects.filter(pk=reviewed.pk).update(
        reviewer=UserFactory(), outcome="confirmed", reasons="Fine.", reviewed_at=waiting.sampled_at
    )

    page = iqa_client.get(QUEUE).content.decode()
    assert "Wendy Waiting" in page
    assert "Owen Own" not in page and "Rita Reviewed" not in page
    assert reverse("accreditation_iqa_review", args=[waiting.pk]) in page
    assert reverse("accreditation_iqa_review", args=[own.pk]) not in page

    history = iqa_client.get(QUEUE, {"state": "reviewed"}).content.decode()
    assert "Rita Reviewed" in history and "Wendy Waiting" not in history


def test_the_queue_filters_by_programme_reason_and_assessor(iqa_client, staff_groups):
    assessor = staff(people.ASSESSORS, full_name="Aled Assessor")
    first = QualitySampleFactory(
        reason=QualitySample.Reason.FIRST_DECISION,
        decision__submission__assessor=assessor,
        decision__submission__work__candidacy__candidate__full_name="Fiona First",
    )
    QualitySampleFactory(decision__submission__work__candidacy__candidate__full_name="Sam Share")
    programme = first.decision.submission.work.candidacy.programme

    for query in (
        {"programme": programme.pk},
        {"reason": "first_decision"},
        {"assessor": assessor.pk},
    ):
        page = iqa_client.get(QUEUE, query).content.decode()
        assert "Fiona First" in page and "Sam Share" not in page, query
    # A filter that is not one of the choices is dropped rather than failing.
    page = iqa_client.get(QUEUE, {"reason": "nonsense", "programme": "x"}).content.decode()
    assert "Fiona First" in page and "Sam Share" in page


def test_the_queue_answers_in_a_fixed_number_of_queries(iqa_client, django_assert_max_num_queries):
    QualitySampleFactory()
    with django_assert_max_num_queries(20) as few:
        assert iqa_client.get(QUEUE).status_code == 200
    for _ in range(6):
        QualitySampleFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert iqa_client.get(QUEUE).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert iqa_client.get(DECISIONS).status_code == 200


def test_anonymous_programmes_show_the_reference_not_the_name(iqa_client):
    version = VersionFactory(programme__anonymous_assessment=True)
    sample = QualitySampleFactory(
        decision__submission__work__candidacy__version=version,
        decision__submission__work__candidacy__candidate__full_name="Hidden Person",
    )
    reference = sample.decision.submission.work.candidacy.reference
    for url in (QUEUE, reverse("accreditation_iqa_review", args=[sample.pk])):
        page = iqa_client.get(url).content.decode()
        assert reference in page and "Hidden Person" not in page


def test_the_review_page_shows_the_submission_rubric_results_and_decision(iqa_client):
    sample = QualitySampleFactory(
        decision__submission__statement="I asked the complainant what outcome they wanted."
    )
    page = iqa_client.get(reverse("accreditation_iqa_review", args=[sample.pk])).content.decode()
    assert "I asked the complainant what outcome they wanted." in page
    evidence = sample.decision.submission.evidence.get()
    assert evidence.original_name in page
    assert sample.decision.feedback in page
    for criterion in sample.decision.criteria:
        assert criterion["statement"] in page and criterion["comment"] in page
    assert candidate_name(sample) in page
    assert 'name="verdict"' in page


def test_confirming_from_the_review_page(iqa_client, iqa):
    sample = QualitySampleFactory()
    url = reverse("accreditation_iqa_review", args=[sample.pk])
    response = iqa_client.post(url, {"verdict": "confirm", "reasons": "Well judged."})
    assert response.status_code == 302 and response.url == QUEUE
    sample.refresh_from_db()
    assert (sample.outcome, sample.reviewer, sample.reasons) == ("confirmed", iqa, "Well judged.")

    again = iqa_client.post(url, {"verdict": "confirm", "reasons": "Again."})
    assert again.status_code == 409
    assert "A sample is reviewed once" in again.content.decode()


def test_overturning_from_the_review_page_records_the_iqas_decision(iqa_client, iqa):
    sample = QualitySampleFactory()
    first, second = sample.decision.criteria
    url = reverse("accreditation_iqa_review", args=[sample.pk])
    response = iqa_client.post(
        url,
        {
            "verdict": "overturn",
            "reasons": "The evidence is all there.",
            "outcome": "competent",
            "feedback": "Both plans are thorough.",
            f"criterion_{second['criterion']}": "met",
            f"comment_{second['criterion']}": "Clear in plan two.",
        },
    )
    assert response.status_code == 302
    new = Decision.objects.get(kind=Decision.Kind.IQA_OVERTURN)
    assert new.supersedes == sample.decision and new.decided_by == iqa
    assert new.criteria[0]["comment"] == "Clear in plan two."


def test_an_overturn_missing_its_new_decision_is_refused_with_each_problem(iqa_client):
    sample = QualitySampleFactory(decision__outcome=Decision.Outcome.COMPETENT)
    url = reverse("accreditation_iqa_review", args=[sample.pk])
    response = iqa_client.post(
        url, {"verdict": "overturn", "reasons": "", "outcome": "not_yet_competent"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "Give your reasons." in page
    assert "Write feedback for the candidate." in page
    assert "Say what the candidate should do and resubmit." in page
    assert not Decision.objects.filter(kind=Decision.Kind.IQA_OVERTURN).exists()


def test_the_review_page_of_an_iqas_own_decision_has_no_form(iqa_client, iqa):
    sample = QualitySampleFactory(decision__submission__assessor=iqa)
    url = reverse("accreditation_iqa_review", args=[sample.pk])
    page = iqa_client.get(url).content.decode()
    assert "You made this decision" in page and 'name="verdict"' not in page
    assert iqa_client.post(url, {"verdict": "confirm", "reasons": "Mine."}).status_code == 403
    sample.refresh_from_db()
    assert sample.reviewed_at is None


def test_the_review_page_says_an_appeal_waits(iqa_client):
    sample = QualitySampleFactory()
    AppealFactory(decision=sample.decision)
    page = iqa_client.get(reverse("accreditation_iqa_review", args=[sample.pk])).content.decode()
    assert "The candidate has appealed this decision" in page


def test_an_iqa_chooses_a_decision_to_sample_from_the_list(iqa_client, iqa):
    decision = DecisionFactory(submission__work__candidacy__candidate__full_name="Chosen One")
    DecisionFactory(
        submission__assessor=iqa, submission__work__candidacy__candidate__full_name="Self Made"
    )
    page = iqa_client.get(DECISIONS).content.decode()
    assert "Chosen One" in page and "Self Made" not in page

    response = iqa_client.post(reverse("accreditation_iqa_choose", args=[decision.pk]))
    sample = QualitySample.objects.get(decision=decision)
    assert sample.reason == QualitySample.Reason.CHOSEN
    assert response.url == reverse("accreditation_iqa_review", args=[sample.pk])
    assert "Chosen One" not in iqa_client.get(DECISIONS).content.decode()

    again = iqa_client.post(reverse("accreditation_iqa_choose", args=[decision.pk]), follow=True)
    assert "sampled already" in again.content.decode()


@pytest.mark.parametrize(
    "group",
    [people.ASSESSORS, people.EXTERNAL_QUALITY_ASSURERS, people.TRAINERS],
)
def test_only_iqas_reach_the_iqa_pages(client, staff_groups, group):
    sample = QualitySampleFactory()
    client.force_login(staff(group))
    for url in (QUEUE, DECISIONS, reverse("accreditation_iqa_review", args=[sample.pk])):
        assert client.get(url).status_code in (302, 403), url
    response = client.post(
        reverse("accreditation_iqa_review", args=[sample.pk]),
        {"verdict": "confirm", "reasons": "Sneaky."},
    )
    assert response.status_code in (302, 403)
    sample.refresh_from_db()
    assert sample.reviewed_at is None


def test_the_menu_shows_quality_assurance_to_iqas(iqa_client):
    page = iqa_client.get(reverse("wagtailadmin_home")).content.decode()
    assert QUEUE in page
    assert reverse("accreditation_eqa_samples") not in page
