"""Casework quality reviews: an assessor records a review of a real case file against the
checklist; a competent one meets the requirement."""

import pytest
from django.urls import reverse

from academy import services as people
from academy.models import AuditEntry
from accreditation import selectors, services
from accreditation.errors import ConflictOfInterestError, DecisionIncompleteError
from accreditation.models import Candidacy, CaseworkReview, Requirement
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import CandidacyFactory, ChecklistFactory, VersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def casework(db):
    """A candidacy whose only requirement is a casework review of two items."""
    version = VersionFactory(units=[])
    requirement = Requirement.objects.create(
        version=version,
        kind=Requirement.Kind.CASEWORK_REVIEW,
        checklist=ChecklistFactory(items=["Scope agreed?", "Evidence weighed?"]),
    )
    return CandidacyFactory(version=version), requirement


def all_met(requirement, met=True):
    return {
        item.pk: services.Judgement(met=met, comment="Seen in the file.")
        for item in requirement.checklist.items.all()
    }


def test_a_competent_review_meets_the_requirement_and_awards(casework):
    candidacy, requirement = casework
    reviewer = UserFactory()
    review = services.record_casework_review(
        candidacy=candidacy,
        requirement=requirement,
        reviewer=reviewer,
        case_reference="CAS-2041",
        judgements=all_met(requirement),
        summary="A careful, proportionate investigation.",
    )
    assert review.outcome == CaseworkReview.Outcome.COMPETENT
    assert [r["item"] for r in review.results] == ["Scope agreed?", "Evidence weighed?"]
    candidacy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.AWARDED
    assert AuditEntry.objects.filter(action="casework_review.recorded", actor=reviewer).exists()
    assert not selectors.casework_to_review(reviewer=UserFactory())


def test_an_item_not_met_needs_another_review(casework):
    candidacy, requirement = casework
    judgements = all_met(requirement)
    first = next(iter(judgements))
    judgements[first] = services.Judgement(met=False, comment="No agreed scope.")
    services.record_casework_review(
        candidacy=candidacy,
        requirement=requirement,
        reviewer=UserFactory(),
        case_reference="CAS-1",
        judgements=judgements,
        summary="Scope never agreed.",
    )
    rows = selectors.casework_to_review(reviewer=UserFactory())
    assert [(row.candidacy, row.reviews, row.last_outcome) for row in rows] == [
        (candidacy, 1, "not_yet_competent")
    ]


def test_every_item_a_reference_and_a_summary_are_needed(casework):
    candidacy, requirement = casework
    with pytest.raises(DecisionIncompleteError) as refused:
        services.record_casework_review(
            candidacy=candidacy,
            requirement=requirement,
            reviewer=UserFactory(),
            case_reference=" ",
            judgements={},
            summary="",
        )
    assert refused.value.problems == [
        "Give the case file's reference.",
        "Write a summary of what the review found.",
        "Answer every item of the checklist (2 left).",
    ]
    assert not CaseworkReview.objects.exists()


def test_nobody_reviews_their_own_casework_or_a_colleagues(casework):
    candidacy, requirement = casework
    trust = OrganisationFactory(kind="nhs_trust")
    MembershipFactory(user=candidacy.candidate, organisation=trust)
    colleague = UserFactory()
    MembershipFactory(user=colleague, organisation=trust)
    for reviewer in (candidacy.candidate, colleague):
        with pytest.raises(ConflictOfInterestError):
            services.record_casework_review(
                candidacy=candidacy,
                requirement=requirement,
                reviewer=reviewer,
                case_reference="CAS-9",
                judgements=all_met(requirement),
                summary="Fine.",
            )
        assert selectors.casework_to_review(reviewer=reviewer) == []
    assert not CaseworkReview.objects.exists()


def test_the_admin_pages_list_and_record_a_review(client, staff_groups, casework):
    candidacy, requirement = casework
    assessor = UserFactory(groups=[people.ASSESSORS], mfa=True)
    client.force_login(assessor)
    listing = client.get(reverse("casework_list")).content.decode()
    assert candidacy.candidate.full_name in listing
    url = reverse("casework_review", args=[candidacy.pk, requirement.pk])
    items = list(requirement.checklist.items.all())
    refused = client.post(url, {"case_reference": "CAS-7", f"item-{items[0].pk}": "met"})
    assert refused.status_code == 400
    assert "Answer every item of the checklist (1 left)." in refused.content.decode()
    response = client.post(
        url,
        {
            "case_reference": "CAS-7",
            "summary": "Well handled.",
            **{f"item-{item.pk}": "met" for item in items},
        },
    )
    assert response.status_code == 302
    assert CaseworkReview.objects.get().reviewer == assessor


def test_anonymous_programmes_hide_the_name_and_learners_are_kept_out(
    client, staff_groups, casework
):
    candidacy, requirement = casework
    candidacy.programme.anonymous_assessment = True
    candidacy.programme.save()
    client.force_login(UserFactory(groups=[people.ASSESSORS], mfa=True))
    listing = client.get(reverse("casework_list")).content.decode()
    assert candidacy.reference in listing and candidacy.candidate.full_name not in listing
    client.force_login(UserFactory())
    assert client.get(reverse("casework_list")).status_code in (302, 403)


def test_the_list_runs_a_fixed_number_of_queries_whatever_the_candidates(
    client, staff_groups, casework, django_assert_max_num_queries
):
    """People in the reviewer's organisation are left out in the same queries, however many."""
    candidacy, requirement = casework
    trust = OrganisationFactory()
    reviewer = UserFactory(groups=[people.ASSESSORS], mfa=True)
    MembershipFactory(user=reviewer, organisation=trust)
    client.force_login(reviewer)
    client.get(reverse("casework_list"))  # first request: permissions and site settings cached
    with django_assert_max_num_queries(20) as one:
        assert client.get(reverse("casework_list")).status_code == 200
    for _ in range(5):
        CandidacyFactory(version=candidacy.version)
        MembershipFactory(
            user=CandidacyFactory(version=candidacy.version).candidate, organisation=trust
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        listing = client.get(reverse("casework_list")).content.decode()
    assert listing.count("Review<span") == 6  # the first and five more; not the trust's five
