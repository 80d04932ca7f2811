"""The external quality assurer: read-only pages of the samples and what the IQA found, with
candidates named by reference only, evidence downloads under a number, and nothing else of the
admin."""

import pytest
from django.urls import reverse

from academy import services as people
from accreditation.models import Decision, QualitySample
from portal.services import GROUP_PERMISSIONS
from tests.academy.factories import UserFactory

from .factories import AppealFactory, DecisionFactory, EvidenceFactory, QualitySampleFactory, staff

pytestmark = pytest.mark.django_db

SAMPLES = reverse("accreditation_eqa_samples")


@pytest.fixture
def eqa(staff_groups):
    return staff(people.EXTERNAL_QUALITY_ASSURERS, full_name="Ellis External")


@pytest.fixture
def eqa_client(client, eqa):
    client.force_login(eqa)
    return client


@pytest.fixture
def reviewed_sample(staff_groups):
    """A sample of a decision on Nadia Named's unit, confirmed by an IQA, with her appeal
    against it waiting, so every kind of record shows."""
    sample = QualitySampleFactory(
        decision__submission__work__candidacy__candidate__full_name="Nadia Named",
        decision__submission__work__candidacy__candidate__email="nadia.named@example.org",
        decision__submission__assessor=UserFactory(full_name="Aled Assessor"),
    )
    iqa = staff(people.INTERNAL_QUALITY_ASSURERS, full_name="Iris Quality")
    QualitySample.objects.filter(pk=sample.pk).update(
        reviewer=iqa, outcome="confirmed", reasons="Well judged.", reviewed_at=sample.sampled_at
    )
    AppealFactory(decision=sample.decision)
    sample.refresh_from_db()
    return sample


def eqa_pages(sample) -> list[str]:
    return [
        SAMPLES,
        f"{SAMPLES}?reviewed=",
        f"{SAMPLES}?reviewed=yes&programme={sample.decision.submission.work.candidacy.programme_id}",
        reverse("accreditation_eqa_sample", args=[sample.pk]),
    ]


def test_no_eqa_page_names_the_candidate_or_gives_their_email(eqa_client, reviewed_sample):
    # The statement, the grounds and the feedback are the candidate's and assessors' own words;
    # the test's are free of the name, as a portfolio is asked to be.
    candidacy = reviewed_sample.decision.submission.work.candidacy
    for url in eqa_pages(reviewed_sample):
        page = eqa_client.get(url).content.decode()
        assert candidacy.reference in page, url
        assert "Nadia" not in page and "Named" not in page, url
        assert "nadia.named@example.org" not in page, url


def test_the_sample_page_shows_the_portfolio_the_decision_and_what_the_iqa_found(
    eqa_client, reviewed_sample
):
    page = eqa_client.get(
        reverse("accreditation_eqa_sample", args=[reviewed_sample.pk])
    ).content.decode()
    decision = reviewed_sample.decision
    assert decision.submission.statement in page
    assert decision.feedback in page
    assert all(c["statement"] in page for c in decision.criteria)
    assert "Aled Assessor" in page  # assessors are named: their practice is what is checked
    assert "Iris Quality" in page and "Well judged." in page
    evidence = decision.submission.evidence.get()
    assert evidence.original_name not in page  # a file's own name may carry the candidate's
    assert reverse("accreditation_eqa_evidence", args=[reviewed_sample.pk, evidence.pk]) in page
    assert 'name="verdict"' not in page  # read only


def test_evidence_downloads_under_a_number_never_the_uploaded_name(eqa_client, reviewed_sample):
    evidence = reviewed_sample.decision.submission.evidence.get()
    response = eqa_client.get(
        reverse("accreditation_eqa_evidence", args=[reviewed_sample.pk, evidence.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="evidence-{evidence.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_only_evidence_of_the_sampled_submission_downloads(eqa_client, reviewed_sample):
    work = reviewed_sample.decision.submission.work
    kept_back = EvidenceFactory(work=work)  # in the portfolio, not handed in with the sample
    unsampled = DecisionFactory().submission.evidence.get()
    for evidence in (kept_back, unsampled):
        url = reverse("accreditation_eqa_evidence", args=[reviewed_sample.pk, evidence.pk])
        assert eqa_client.get(url).status_code == 404


def test_decisions_that_were_not_sampled_are_not_shown(eqa_client, reviewed_sample):
    unsampled = DecisionFactory()
    page = eqa_client.get(SAMPLES).content.decode()
    assert unsampled.submission.work.candidacy.reference not in page
    assert Decision.objects.count() == 2


def test_the_list_answers_in_a_fixed_number_of_queries(
    eqa_client, reviewed_sample, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as few:
        eqa_client.get(SAMPLES)
    for _ in range(5):
        QualitySampleFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert eqa_client.get(SAMPLES).status_code == 200


def test_the_eqa_group_holds_only_the_admin_and_its_own_pages():
    assert GROUP_PERMISSIONS[people.EXTERNAL_QUALITY_ASSURERS] == [
        "wagtailadmin.access_admin",
        "accreditation.external_quality_assure",
    ]


def test_the_eqa_reaches_nothing_else_of_the_admin(eqa_client, reviewed_sample):
    elsewhere = [
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_groups:index"),
        reverse("certificate:index"),
        reverse("issue_certificate"),
        reverse("auditentry:index"),
        reverse("organisation:index"),
        reverse("accreditation_programme:index"),
        reverse("accreditation_candidacy:index"),
        reverse("marking_queue"),
        reverse("item_analysis_index"),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        reverse("accreditation_iqa_queue"),
        reverse("accreditation_iqa_review", args=[reviewed_sample.pk]),
        reverse("accreditation_appeal_queue"),
        reverse("accreditation_appeal_decide", args=[reviewed_sample.decision.appeal.pk]),
    ]
    for url in elsewhere:
        assert eqa_client.get(url).status_code in (302, 403), url


def test_the_eqa_menu_offers_only_their_pages(eqa_client):
    page = eqa_client.get(reverse("wagtailadmin_home")).content.decode()
    assert SAMPLES in page
    for other in (
        reverse("accreditation_iqa_queue"),
        reverse("accreditation_appeal_queue"),
        reverse("accreditation_programme:index"),
        reverse("wagtailusers_users:index"),
        reverse("certificate:index"),
    ):
        assert other not in page, other


@pytest.mark.parametrize("group", [people.INTERNAL_QUALITY_ASSURERS, people.ASSESSORS])
def test_only_external_quality_assurers_reach_the_eqa_pages(client, reviewed_sample, group):
    client.force_login(staff(group))
    evidence = reviewed_sample.decision.submission.evidence.get()
    for url in [
        *eqa_pages(reviewed_sample),
        reverse("accreditation_eqa_evidence", args=[reviewed_sample.pk, evidence.pk]),
    ]:
        assert client.get(url).status_code in (302, 403), url
