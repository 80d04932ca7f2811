"""Programmes, versions and enrolment: the rules every later part stands on."""

import pytest

from academy.models import AuditEntry, Organisation, RoleTier
from accreditation import services
from accreditation.errors import NotEligibleError, VersionLockedError
from accreditation.models import Candidacy, ProgrammeVersion, Requirement
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import PortfolioUnitFactory, ProgrammeFactory, VersionFactory

pytestmark = pytest.mark.django_db


def test_enrolling_puts_the_candidate_on_the_published_version_once():
    version = VersionFactory()
    person = UserFactory()
    candidacy = services.enrol(candidate=person, programme=version.programme)
    assert candidacy.version == version
    assert candidacy.reference.startswith("C-") and len(candidacy.reference) == 9
    assert services.enrol(candidate=person, programme=version.programme) == candidacy
    assert Candidacy.objects.count() == 1
    assert AuditEntry.objects.filter(action="candidacy.enrolled").count() == 1


def test_candidates_stay_on_the_version_they_enrolled_on():
    first = VersionFactory()
    programme = first.programme
    early = services.enrol(candidate=UserFactory(), programme=programme)
    manager = UserFactory()
    second = services.start_version(programme=programme, by=manager)
    assert [r.unit for r in second.requirements.all()] == [r.unit for r in first.requirements.all()]
    Requirement.objects.create(
        version=second, sort_order=5, kind=Requirement.Kind.UNIT, unit=PortfolioUnitFactory()
    )
    services.publish_version(version=second, by=manager)
    first.refresh_from_db()
    assert first.status == ProgrammeVersion.Status.RETIRED
    late = services.enrol(candidate=UserFactory(), programme=programme)
    early.refresh_from_db()
    assert (early.version, late.version) == (first, second)
    assert early.version.requirements.count() == 1 and late.version.requirements.count() == 2


def test_a_published_version_cannot_change_or_be_published_again():
    version = VersionFactory()
    with pytest.raises(VersionLockedError, match="Start a new version"):
        services.check_version_editable(version)
    with pytest.raises(VersionLockedError):
        services.publish_version(version=version, by=UserFactory())


def test_an_empty_draft_cannot_be_published():
    draft = VersionFactory(status=ProgrammeVersion.Status.DRAFT, units=[])
    with pytest.raises(VersionLockedError, match="Add at least one requirement"):
        services.publish_version(version=draft, by=UserFactory())
    draft.refresh_from_db()
    assert draft.status == ProgrammeVersion.Status.DRAFT


@pytest.mark.parametrize(
    "settings_, by_manager, message",
    [
        ({"is_open": False}, False, "not open for enrolment"),
        ({"invitation_only": True}, False, "by invitation only"),
        ({"role_tiers": [RoleTier.SENIOR_STAFF]}, False, "not open to people in your role"),
        ({"organisation_kinds": [Organisation.Kind.PHSO]}, False, "in your organisation"),
    ],
)
def test_who_may_enrol(settings_, by_manager, message):
    programme = ProgrammeFactory(**settings_)
    VersionFactory(programme=programme)
    person = UserFactory(role_tier=RoleTier.ALL_STAFF)
    MembershipFactory(user=person, organisation=OrganisationFactory(kind="nhs_trust"))
    with pytest.raises(NotEligibleError, match=message):
        services.enrol(candidate=person, programme=programme)
    assert not Candidacy.objects.exists()


def test_a_manager_enrols_a_candidate_on_an_invitation_only_programme():
    programme = ProgrammeFactory(invitation_only=True)
    VersionFactory(programme=programme)
    manager = UserFactory()
    candidacy = services.enrol(candidate=UserFactory(), programme=programme, enrolled_by=manager)
    assert candidacy.enrolled_by == manager
