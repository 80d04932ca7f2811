"""Conflict of interest: an assessor never sees, opens or decides the work of themselves, of
anyone in an organisation they belong to, or, in an organisation that assesses its own staff,
of anyone in their team there (or when a team is not recorded)."""

import re

import pytest
from django.urls import reverse

from academy.selectors import is_too_close_to_judge
from accreditation import selectors, services
from accreditation.errors import ConflictOfInterestError
from tests.academy.factories import OrganisationFactory, UserFactory
from tests.accreditation.assessing import decide, make_assessor, member
from tests.accreditation.factories import CandidacyFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return OrganisationFactory(name="Northfield Hospitals NHS Foundation Trust")


@pytest.fixture
def ombudsman():
    return OrganisationFactory(
        name="Parliamentary and Health Service Ombudsman", kind="phso", assesses_own_staff=True
    )


def queued(assessor) -> set[int]:
    return set(selectors.assessing_queue(assessor=assessor).values_list("pk", flat=True))


def test_an_assessor_never_assesses_their_own_work(staff_groups):
    assessor = make_assessor()
    own = SubmissionFactory(candidacy=CandidacyFactory(candidate=assessor))
    assert is_too_close_to_judge(judge=assessor, person_id=assessor.pk)
    assert own.pk not in queued(assessor)
    with pytest.raises(ConflictOfInterestError):
        services.open_submission(submission=own, assessor=assessor)


def test_an_assessor_in_a_team_never_assesses_their_own_work_either(staff_groups, ombudsman):
    assessor, colleague = make_assessor(), UserFactory()
    member(assessor, ombudsman, team="Intake team 2")
    member(colleague, ombudsman, team="Casework team 5")
    own = SubmissionFactory(candidacy=CandidacyFactory(candidate=assessor))
    colleagues = SubmissionFactory(candidacy=CandidacyFactory(candidate=colleague))
    assert is_too_close_to_judge(judge=assessor, person_id=assessor.pk)
    assert queued(assessor) == {colleagues.pk}
    with pytest.raises(ConflictOfInterestError):
        services.open_submission(submission=own, assessor=assessor)


def test_sharing_an_organisation_is_a_conflict_whatever_the_teams(staff_groups, trust):
    assessor, colleague, outsider = make_assessor(), UserFactory(), UserFactory()
    member(assessor, trust, team="Complaints team")
    member(colleague, trust, team="Estates team")
    member(outsider, OrganisationFactory())
    colleagues = SubmissionFactory(candidacy=CandidacyFactory(candidate=colleague))
    outsiders = SubmissionFactory(candidacy=CandidacyFactory(candidate=outsider))
    assert queued(assessor) == {outsiders.pk}
    with pytest.raises(ConflictOfInterestError, match="your organisation or your team"):
        services.open_submission(submission=colleagues, assessor=assessor)
    services.open_submission(submission=outsiders, assessor=assessor)


@pytest.mark.parametrize(
    ("assessors_team", "candidates_team", "conflict"),
    [
        ("Intake team 2", "Intake team 2", True),
        ("Intake team 2", "intake TEAM 2", True),  # a team is the same team in any letter case
        ("Intake team 2", "Casework team 5", False),
        ("Intake team 2", "", True),  # no team recorded: counted as a conflict, to be safe
        ("", "Casework team 5", True),
    ],
)
def test_in_an_organisation_that_assesses_its_own_staff_the_team_decides(
    staff_groups, ombudsman, assessors_team, candidates_team, conflict
):
    assessor, caseworker = make_assessor(), UserFactory()
    member(assessor, ombudsman, team=assessors_team)
    member(caseworker, ombudsman, team=candidates_team)
    submission = SubmissionFactory(candidacy=CandidacyFactory(candidate=caseworker))
    assert is_too_close_to_judge(judge=assessor, person_id=caseworker.pk) is conflict
    assert (submission.pk in queued(assessor)) is not conflict


def test_any_one_shared_organisation_that_does_not_assess_its_own_staff_is_a_conflict(
    staff_groups, ombudsman, trust
):
    """Different teams at the Ombudsman, but both also belong to the trust."""
    assessor, caseworker = make_assessor(), UserFactory()
    member(assessor, ombudsman, team="Intake team 2")
    member(caseworker, ombudsman, team="Casework team 5")
    assert not is_too_close_to_judge(judge=assessor, person_id=caseworker.pk)
    member(assessor, trust)
    member(caseworker, trust)
    assert is_too_close_to_judge(judge=assessor, person_id=caseworker.pk)


def test_a_team_in_another_organisation_is_not_a_conflict(staff_groups, ombudsman, trust):
    assessor, nurse = make_assessor(), UserFactory()
    member(assessor, ombudsman, team="Intake team 2")
    member(nurse, trust, team="Intake team 2")
    assert not is_too_close_to_judge(judge=assessor, person_id=nurse.pk)


def test_a_conflict_that_arises_after_opening_stops_the_decision(staff_groups, trust):
    assessor, candidate = make_assessor(), UserFactory()
    submission = SubmissionFactory(candidacy=CandidacyFactory(candidate=candidate))
    services.open_submission(submission=submission, assessor=assessor)
    member(assessor, trust)
    member(candidate, trust)
    with pytest.raises(ConflictOfInterestError):
        decide(submission, assessor)
    submission.refresh_from_db()
    assert submission.status == submission.Status.IN_ASSESSMENT
    assert not submission.decisions.exists()


def test_administrators_record_teams_and_organisations_that_assess_their_own_staff(
    client, administrator, ombudsman
):
    person = UserFactory()
    client.force_login(administrator)
    response = client.post(
        reverse("membership:add"),
        {
            "user": person.pk,
            "organisation": ombudsman.pk,
            "team": "Intake team 2",
            "role": "learner",
            "role_tier": "complaints_staff",
            "joined_at": "2026-11-02 09:00",
        },
    )
    assert response.status_code == 302
    assert person.memberships.get().team == "Intake team 2"
    form = client.get(reverse("organisation:edit", args=[ombudsman.pk])).content.decode()
    assert re.search(r'<input[^>]*name="assesses_own_staff"[^>]*checked', form)
