"""The programme pages and the candidacy dashboard, as candidates use them."""

import pytest
from django.urls import reverse

from accreditation import services
from accreditation.models import Candidacy, ProgrammeVersion, Requirement
from tests.academy.factories import UserFactory
from tests.courses.factories import build_course

from .factories import CandidacyFactory, VersionFactory

pytestmark = pytest.mark.django_db


def test_open_programmes_are_listed_and_closed_ones_are_not(client):
    open_version = VersionFactory(programme__name="Open programme")
    VersionFactory(programme__name="Closed programme", programme__is_open=False)
    VersionFactory(programme__name="Draft only", status=ProgrammeVersion.Status.DRAFT)
    page = client.get(reverse("accreditation:programmes")).content.decode()
    assert open_version.programme.name in page
    assert "Closed programme" not in page and "Draft only" not in page


def test_a_learner_enrols_and_sees_every_requirement_not_started(client):
    version = VersionFactory()
    unit = version.requirements.get().unit
    person = UserFactory()
    client.force_login(person)
    detail = client.get(reverse("accreditation:programme", args=[version.programme.slug]))
    assert "Enrol on this programme" in detail.content.decode()
    response = client.post(reverse("accreditation:enrol", args=[version.programme.slug]))
    candidacy = Candidacy.objects.get(candidate=person)
    assert response.url == reverse("accreditation:candidacy", args=[candidacy.pk])
    page = client.get(response.url).content.decode()
    assert f"Portfolio unit {unit.code}: {unit.title}" in page
    assert "Not started" in page
    assert "You have met 0 of 1 requirement." in page
    assert candidacy.reference in page


def test_a_refused_enrolment_says_why_and_enrols_nobody(client):
    version = VersionFactory(programme__invitation_only=True)
    client.force_login(UserFactory())
    detail = client.get(reverse("accreditation:programme", args=[version.programme.slug]))
    assert "by invitation only" in detail.content.decode()
    response = client.post(
        reverse("accreditation:enrol", args=[version.programme.slug]), follow=True
    )
    assert "by invitation only" in response.content.decode()
    assert not Candidacy.objects.exists()


def test_someone_elses_candidacy_is_not_found(client):
    candidacy = CandidacyFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("accreditation:candidacy", args=[candidacy.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("accreditation:candidacy", args=[candidacy.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_enrolling_needs_a_post_and_a_signed_in_person(client):
    version = VersionFactory()
    url = reverse("accreditation:enrol", args=[version.programme.slug])
    assert "login" in client.post(url).url
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405


def test_the_dashboard_costs_the_same_queries_however_many_requirements(
    client, catalogue, django_assert_max_num_queries
):
    version = VersionFactory()
    for n in range(6):
        tree = build_course(catalogue=catalogue, title=f"Course {n}", lesson_count=1)
        Requirement.objects.create(
            version=version, sort_order=10 + n, kind=Requirement.Kind.COURSE, course=tree.course
        )
        Requirement.objects.create(
            version=version,
            sort_order=20 + n,
            kind=Requirement.Kind.ASSESSMENT,
            assessment=tree.assessment,
        )
    person = UserFactory()
    candidacy = services.enrol(candidate=person, programme=version.programme)
    client.force_login(person)
    # One more than before organisations: the header's managed organisations.
    with django_assert_max_num_queries(13):
        page = client.get(reverse("accreditation:candidacy", args=[candidacy.pk]))
    assert page.content.decode().count("Not started") == 13


def test_the_programme_page_describes_each_competency_where_credentials_link(client):
    version = VersionFactory()
    competency = version.requirements.get().unit.criteria.first().competency
    page = client.get(reverse("accreditation:programme", args=[version.programme.slug]))
    assert f'id="{competency.anchor}"' in page.content.decode()
    assert competency.description in page.content.decode()


def test_an_awarded_candidate_is_told_where_the_certificate_is(client):
    from django.utils import timezone

    candidacy = CandidacyFactory(status=Candidacy.Status.AWARDED, awarded_at=timezone.now())
    client.force_login(candidacy.candidate)
    page = client.get(reverse("accreditation:candidacy", args=[candidacy.pk])).content.decode()
    assert "Awarded" in page and reverse("dashboard") in page


def test_a_candidates_own_pages_are_never_kept_by_the_browser_or_a_proxy(client):
    candidacy = CandidacyFactory()
    client.force_login(candidacy.candidate)
    response = client.get(reverse("accreditation:candidacy", args=[candidacy.pk]))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_candidate_withdraws_and_their_waiting_unit_goes_with_them(client):
    from academy.models import AuditEntry
    from accreditation.models import Submission

    from .factories import SubmissionFactory

    submission = SubmissionFactory()
    candidacy = submission.work.candidacy
    client.force_login(candidacy.candidate)
    url = reverse("accreditation:withdraw", args=[candidacy.pk])
    assert "Withdraw from the programme" in client.get(url).content.decode()
    response = client.post(url)
    assert response.url == reverse("accreditation:programmes")
    candidacy.refresh_from_db()
    submission.refresh_from_db()
    assert candidacy.status == Candidacy.Status.WITHDRAWN
    assert submission.status == Submission.Status.WITHDRAWN
    assert AuditEntry.objects.filter(action="candidacy.withdrawn").count() == 1
    # Withdrawn once: again it says so and changes nothing.
    again = client.post(url, follow=True).content.decode()
    assert "only one still working towards the programme can be withdrawn" in again
    # They may enrol again, on the version published now.
    again = services.enrol(candidate=candidacy.candidate, programme=candidacy.programme)
    assert again.pk != candidacy.pk


def test_nobody_withdraws_someone_else(client):
    candidacy = CandidacyFactory()
    client.force_login(UserFactory())
    assert client.post(reverse("accreditation:withdraw", args=[candidacy.pk])).status_code == 404
    candidacy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.ACTIVE
