"""The award: once every requirement is met, the candidacy is awarded once and the certificates
app issues the accreditation with its Open Badges credential."""

from datetime import timedelta

import pytest
from django.db import connection

from academy.models import AuditEntry
from accreditation import services
from accreditation.models import Candidacy, Decision, Requirement, Submission, UnitWork
from assessments import services as assessment_services
from certificates.models import Award, Certificate
from courses import services as course_services
from tests.academy.factories import UserFactory
from tests.assessments.factories import correct_answers
from tests.races import race

from .factories import CandidacyFactory, VersionFactory

pytestmark = pytest.mark.django_db


def judge_competent(candidacy, requirement, assessor=None):
    """A first submission of the unit, judged competent (as the assessing services leave it)."""
    assessor = assessor or UserFactory()
    work, _ = UnitWork.objects.get_or_create(candidacy=candidacy, requirement=requirement)
    submission = Submission.objects.create(
        work=work,
        number=work.submissions.count() + 1,
        statement="What I learned.",
        status=Submission.Status.DECIDED,
        assessor=assessor,
    )
    return Decision.objects.create(
        submission=submission,
        outcome=Decision.Outcome.COMPETENT,
        feedback="Well evidenced.",
        decided_by=assessor,
    )


def test_completing_the_last_course_awards_the_accreditation_once(course_tree):
    version = VersionFactory(validity_years=2, programme__name="Intake caseworker certification")
    unit_requirement = version.requirements.get()
    Requirement.objects.create(
        version=version, sort_order=9, kind=Requirement.Kind.COURSE, course=course_tree.course
    )
    candidacy = CandidacyFactory(version=version)
    judge_competent(candidacy, unit_requirement)
    assert services.check_award(candidacy=candidacy) is False  # the course is still to do

    enrolment = course_services.enrol(user=candidacy.candidate, course=course_tree.course)
    for lesson in course_tree.lessons:
        course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
    # Completing the course needs its final assessment passed.
    attempt = course_services.start_final_assessment(enrolment=enrolment)
    assessment_services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    assessment_services.submit_attempt(attempt=attempt)

    candidacy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.AWARDED
    # The course's own certificate is issued too; the accreditation is the other one.
    certificate = Certificate.objects.get(award__kind=Award.Kind.ACCREDITATION)
    assert certificate.learner == candidacy.candidate
    assert certificate.title_on_certificate == "Intake caseworker certification"
    assert certificate.valid_until - certificate.issued_at > timedelta(days=365 * 2 - 1)
    assert certificate.valid_until - certificate.issued_at < timedelta(days=365 * 2 + 2)
    achievement = certificate.credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Certification"
    competencies = [
        a for a in achievement["alignment"] if a.get("targetType") == "ceasn:Competency"
    ]
    assert competencies and all("#competency-" in a["targetUrl"] for a in competencies)
    assert certificate.credential["validUntil"]
    assert AuditEntry.objects.filter(action="candidacy.awarded", actor=None).count() == 1

    assert services.check_award(candidacy=candidacy) is False
    assert Certificate.objects.filter(award__kind=Award.Kind.ACCREDITATION).count() == 1


def test_renewal_requirements_are_not_needed_to_be_awarded():
    version = VersionFactory()
    unit_requirement = version.requirements.get()
    Requirement.objects.create(
        version=version,
        sort_order=5,
        kind=Requirement.Kind.UNIT,
        stage=Requirement.Stage.RENEWAL,
        unit=unit_requirement.unit,
    )
    candidacy = CandidacyFactory(version=version)
    judge_competent(candidacy, unit_requirement)
    assert services.check_award(candidacy=candidacy) is True


def test_a_withdrawn_candidacy_is_never_awarded():
    version = VersionFactory()
    candidacy = CandidacyFactory(version=version, status=Candidacy.Status.WITHDRAWN)
    judge_competent(candidacy, version.requirements.get())
    assert services.check_award(candidacy=candidacy) is False
    assert not Certificate.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so no race",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_last_requirements_met_at_the_same_moment_award_once():
    version = VersionFactory()
    candidacy = CandidacyFactory(version=version)
    judge_competent(candidacy, version.requirements.get())

    results, errors = race(10, lambda: services.check_award(candidacy=candidacy))
    assert errors == []
    assert sorted(results) == [False] * 9 + [True]
    assert Certificate.objects.filter(learner=candidacy.candidate).count() == 1
    assert AuditEntry.objects.filter(action="candidacy.awarded").count() == 1


def test_an_accreditation_not_renewed_shows_as_lapsed_on_the_verify_page(client):
    from django.utils import timezone

    version = VersionFactory()
    candidacy = CandidacyFactory(version=version)
    judge_competent(candidacy, version.requirements.get())
    services.check_award(candidacy=candidacy)
    certificate = Certificate.objects.get(learner=candidacy.candidate)
    assert "Valid:" in client.get(certificate.get_absolute_url()).content.decode()
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=timezone.now() - timedelta(days=3 * 365 + 2),
        valid_until=timezone.now() - timedelta(days=1),
    )
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert "Lapsed on" in page and "not renewed before it expired" in page


def test_an_assessors_competent_decision_on_the_last_unit_awards_it():
    from accreditation.services import Judgement

    from .factories import SubmissionFactory

    version = VersionFactory()
    candidacy = CandidacyFactory(version=version)
    submission = SubmissionFactory(candidacy=candidacy)
    assessor = UserFactory()
    services.open_submission(submission=submission, assessor=assessor)
    criteria = version.requirements.get().unit.criteria.all()
    services.record_decision(
        submission=submission,
        assessor=assessor,
        outcome=Decision.Outcome.COMPETENT,
        judgements={c.pk: Judgement(met=True, comment="Shown.") for c in criteria},
        feedback="Clear and well evidenced.",
        draw=lambda: 99,
    )
    candidacy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.AWARDED
    assert Certificate.objects.filter(learner=candidacy.candidate).count() == 1


def test_the_audit_log_names_accreditation_entries_in_words(client, administrator):
    from django.urls import reverse

    version = VersionFactory()
    candidacy = CandidacyFactory(version=version)
    judge_competent(candidacy, version.requirements.get())
    services.check_award(candidacy=candidacy)
    client.force_login(administrator)
    page = client.get(reverse("auditentry:index")).content.decode()
    assert "Accreditation awarded" in page
    assert f"Candidate {candidacy.reference} on {candidacy.programme}" in page
    assert candidacy.candidate.full_name not in page.split("Accreditation awarded")[1][:400]


def test_the_accreditation_certificate_speaks_of_the_holder():
    from certificates import rendering
    from tests.certificates.pdfs import flat_text

    version = VersionFactory(programme__name="Intake caseworker certification")
    candidacy = CandidacyFactory(version=version)
    judge_competent(candidacy, version.requirements.get())
    services.check_award(candidacy=candidacy)
    certificate = Certificate.objects.get(learner=candidacy.candidate)
    text = flat_text(rendering.certificate_pdf(certificate))
    assert "Certificate of accreditation" in text
    assert "Intake caseworker certification" in text
    assert "every requirement of the programme" in text and " you " not in text
