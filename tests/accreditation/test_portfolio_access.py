"""Who reaches a portfolio: a candidate only their own units, evidence and submissions (anyone
else is told they do not exist); evidence files also to the assessor of a submission they were
handed in with, to internal quality assurers and to programme managers."""

import pytest
from django.urls import reverse

from academy import services as people
from accreditation import services
from accreditation.models import Evidence, Submission
from tests.academy.factories import UserFactory

from .factories import CandidacyFactory, open_submission, unit_requirement
from .files import pdf_bytes, upload

pytestmark = pytest.mark.django_db

STATEMENT = "I planned the questions before I spoke to the complainant. " * 4


@pytest.fixture
def evidence(candidacy, requirement):
    return services.add_evidence(
        candidacy=candidacy,
        requirement=requirement,
        uploaded_file=upload("Plan for case 2.pdf", pdf_bytes()),
        by=candidacy.candidate,
    )


@pytest.fixture
def submission(candidacy, requirement, evidence):
    services.save_statement(
        candidacy=candidacy, requirement=requirement, statement=STATEMENT, by=None
    )
    return services.submit_unit(
        candidacy=candidacy, requirement=requirement, by=candidacy.candidate
    )


@pytest.fixture
def intruder_client(client, candidacy):
    """Another candidate on the same programme, signed in."""
    other = CandidacyFactory(version=candidacy.version, programme=candidacy.programme)
    client.force_login(other.candidate)
    client.candidacy = other
    return client


def test_another_candidate_finds_none_of_a_candidates_unit(
    intruder_client, candidacy, requirement, evidence, submission
):
    keys = [candidacy.pk, requirement.pk]
    gets = [
        reverse("accreditation:unit", args=keys),
        reverse("accreditation:submit_unit", args=keys),
        reverse("accreditation:evidence_file", args=[evidence.pk]),
    ]
    posts = [
        reverse("accreditation:upload_evidence", args=keys),
        reverse("accreditation:remove_evidence", args=[*keys, evidence.pk]),
        reverse("accreditation:save_statement", args=keys),
        reverse("accreditation:submit_unit", args=keys),
        reverse("accreditation:withdraw_submission", args=[*keys, submission.pk]),
    ]
    for url in gets:
        assert intruder_client.get(url).status_code == 404, url
    for url in posts:
        data = {"statement": "Mine now", "file": upload("x.pdf", pdf_bytes())}
        assert intruder_client.post(url, data).status_code == 404, url
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert Evidence.objects.count() == 1 and Submission.objects.count() == 1


def test_a_candidates_own_address_with_someone_elses_evidence_or_submission_is_not_found(
    intruder_client, requirement, evidence, submission
):
    own = intruder_client.candidacy
    keys = [own.pk, requirement.pk]
    assert (
        intruder_client.post(
            reverse("accreditation:remove_evidence", args=[*keys, evidence.pk])
        ).status_code
        == 404
    )
    assert (
        intruder_client.post(
            reverse("accreditation:withdraw_submission", args=[*keys, submission.pk])
        ).status_code
        == 404
    )
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_unit_of_another_programme_is_not_found(candidate_client, candidacy):
    elsewhere = unit_requirement(CandidacyFactory())
    url = reverse("accreditation:unit", args=[candidacy.pk, elsewhere.pk])
    assert candidate_client.get(url).status_code == 404


def test_signing_in_is_needed(client, candidacy, requirement, evidence):
    for url in (
        reverse("accreditation:unit", args=[candidacy.pk, requirement.pk]),
        reverse("accreditation:evidence_file", args=[evidence.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_candidate_downloads_their_file_as_an_attachment_that_is_never_sniffed(
    candidate_client, evidence
):
    response = candidate_client.get(reverse("accreditation:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == evidence.file.open("rb").read()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Plan for case 2.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def _staff(groups, mfa=True):
    return UserFactory(groups=groups, mfa=mfa)


def test_evidence_reaches_its_assessor_iqa_and_programme_managers_and_no_other_staff(
    client, staff_groups, evidence, submission
):
    assessor = _staff([people.ASSESSORS])
    open_submission(submission, assessor)
    url = reverse("accreditation:evidence_file", args=[evidence.pk])
    allowed = [
        assessor,
        _staff([people.INTERNAL_QUALITY_ASSURERS]),
        _staff([people.PROGRAMME_MANAGERS]),
    ]
    refused = [
        _staff([people.ASSESSORS]),  # not their submission
        _staff([people.TRAINERS]),
        _staff([people.EXTERNAL_QUALITY_ASSURERS]),  # sees sampled work elsewhere, nameless
        _staff([people.INTERNAL_QUALITY_ASSURERS], mfa=False),  # no authenticator yet
    ]
    for person in allowed:
        client.force_login(person)
        assert client.get(url).status_code == 200, person.groups.first()
    for person in refused:
        client.force_login(person)
        assert client.get(url).status_code == 404, person.groups.first()
