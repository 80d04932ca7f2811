"""Renewal: a pass of the course's final assessment again, from 90 days before a certificate
expires, issues the next cycle's certificate; the old one stays as it was and points at it."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from academy import services as people
from academy.models import AuditEntry
from assessments import services as assessment_services
from assessments.models import QuestionKind, Response
from assessments.services import marking
from assessments.services.marking import MarkGiven
from certificates import services, validity
from certificates.models import Award, Certificate
from courses import services as course_services
from tests.academy.factories import UserFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    RubricFactory,
    correct_answer,
    correct_answers,
    essay_question,
    wrong_answers,
)
from tests.certificates.factories import CertificateFactory
from tests.courses.factories import CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db

YEARS = 2


@pytest.fixture
def award(course):
    award = services.award_for_course(course=course)
    award.validity_unit, award.validity_length = Award.ValidityUnit.YEARS, YEARS
    award.save()
    return award


def take(enrolment, *, pass_it: bool):
    attempt = course_services.start_final_assessment(enrolment=enrolment)
    answers = correct_answers(attempt) if pass_it else wrong_answers(attempt)
    assessment_services.save_answers(attempt=attempt, answers=answers)
    return assessment_services.submit_attempt(attempt=attempt)


def complete(learner, course) -> tuple:
    """Enrol, do every lesson and pass the final assessment: the first certificate is issued."""
    enrolment = course_services.enrol(user=learner, course=course)
    for lesson in course.get_children().specific():
        course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
    take(enrolment, pass_it=True)
    return enrolment, Certificate.objects.get(learner=learner, cycle=1)


def expiring_in(certificate, days: float) -> Certificate:
    """Move the certificate back in time so that it expires `days` from now (negative: expired)."""
    valid_until = timezone.now() + timedelta(days=days)
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=valid_until - timedelta(days=365 * YEARS), valid_until=valid_until
    )
    certificate.refresh_from_db()
    return certificate


def cycles(learner) -> list[int]:
    return list(
        Certificate.objects.filter(learner=learner, superseded_at__isnull=True)
        .order_by("cycle")
        .values_list("cycle", flat=True)
    )


# Through a real pass of the course's assessment -------------------------------------------------


def test_passing_again_within_90_days_of_expiry_issues_renders_and_emails_the_next_cycle(
    course, learner, award, django_capture_on_commit_callbacks
):
    enrolment, first = complete(learner, course)
    first = expiring_in(first, days=60)
    before = Certificate.objects.values().get(pk=first.pk)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        take(enrolment, pass_it=True)

    renewed = Certificate.objects.get(learner=learner, cycle=2)
    assert renewed.code != first.code and renewed.state == "valid"
    assert timezone.now() - renewed.issued_at < timedelta(minutes=1)
    assert renewed.valid_until == validity.add_months(renewed.issued_at, 12 * YEARS)
    assert renewed.name_on_certificate == "Priya Sharma"
    # The old certificate is exactly as it was: still valid, expiring on its own date.
    assert Certificate.objects.values().get(pk=first.pk) == before
    assert first.state == "valid"
    renewed.refresh_from_db()
    assert renewed.pdf and renewed.emailed_at is not None
    [message] = mail.outbox
    assert message.to == ["priya@example.org"]
    assert renewed.display_code in message.body
    entry = AuditEntry.objects.get(action="certificate.renewed")
    assert entry.target_id == str(renewed.pk)
    assert entry.details == {"code": renewed.code, "previous_code": first.code}
    assert entry.reason == "Passed the final assessment again"


def test_a_pass_a_year_before_expiry_or_a_fail_in_the_window_issues_nothing(course, learner, award):
    enrolment, first = complete(learner, course)
    expiring_in(first, days=365)
    take(enrolment, pass_it=True)
    assert cycles(learner) == [1]

    expiring_in(first, days=30)
    take(enrolment, pass_it=False)
    assert cycles(learner) == [1]
    assert not AuditEntry.objects.filter(action="certificate.renewed").exists()


def test_a_pass_after_expiry_renews(course, learner, award):
    enrolment, first = complete(learner, course)
    expiring_in(first, days=-400)
    take(enrolment, pass_it=True)
    assert cycles(learner) == [1, 2]
    first.refresh_from_db()
    assert first.state == "expired"


def test_the_pass_that_completes_the_course_never_renews_even_a_short_validity(
    course, learner, award
):
    # One month: the new certificate is inside the renewal window from the moment it is issued.
    award.validity_unit, award.validity_length = Award.ValidityUnit.MONTHS, 1
    award.save()
    enrolment, first = complete(learner, course)
    assert cycles(learner) == [1]
    assert services.renewal_opens(certificate=first) == first.issued_at

    take(enrolment, pass_it=True)  # a later pass does renew it
    assert cycles(learner) == [1, 2]


def test_a_certificate_that_does_not_expire_is_never_renewed(course, learner):
    enrolment, first = complete(learner, course)
    assert first.valid_until is None
    take(enrolment, pass_it=True)
    assert cycles(learner) == [1]
    with pytest.raises(services.CertificateError, match="does not expire"):
        services.renew_certificate(certificate=first, passed_at=timezone.now(), reason="Test")


def test_renewal_waits_for_marking_to_release_the_result(catalogue, learner, staff_groups):
    assessment = AssessmentFactory(
        questions=[
            QuestionFactory(kind=QuestionKind.SINGLE_CHOICE),
            essay_question(rubric=RubricFactory()),
        ],
        pass_mark=50,
    )
    course = CourseFactory(parent=catalogue, final_assessment=assessment)
    lesson = LessonFactory(parent=course)
    award = services.award_for_course(course=course)
    award.validity_unit, award.validity_length = Award.ValidityUnit.YEARS, YEARS
    award.save()
    assessor = UserFactory(groups=[people.ASSESSORS], mfa=True)
    enrolment = course_services.enrol(user=learner, course=course)
    course_services.complete_lesson(enrolment=enrolment, lesson=lesson)

    def hand_in_and_mark():
        attempt = course_services.start_final_assessment(enrolment=enrolment)
        responses = attempt.responses.select_related("version")
        answers = {
            response.pk: ["I would listen first."]
            if response.version.kind == QuestionKind.ESSAY
            else correct_answer(response)
            for response in responses
        }
        assessment_services.save_answers(attempt=attempt, answers=answers)
        assessment_services.submit_attempt(attempt=attempt)
        before = cycles(learner)
        essay = Response.objects.get(attempt=attempt, version__kind=QuestionKind.ESSAY)
        criteria = essay.version.settings["rubric"]["criteria"]
        marking.record_mark(
            response=essay,
            marker=assessor,
            stage=marking.stage_for(response=essay, marks={}, marker=assessor, can_moderate=True),
            given=MarkGiven(levels={c["key"]: c["levels"][-1]["key"] for c in criteria}),
            can_moderate=True,
        )
        return before

    assert hand_in_and_mark() == []  # handed in, held for marking: no certificate yet
    first = expiring_in(Certificate.objects.get(learner=learner), days=45)
    assert hand_in_and_mark() == [1]  # held for marking: not renewed yet
    assert cycles(learner) == [1, 2]  # released by the mark: renewed
    assert Certificate.objects.get(cycle=2).award == first.award


# The service: window edges, idempotence, withdrawn and corrected certificates -------------------


def test_the_window_opens_90_days_before_expiry_and_never_closes(course, learner, award):
    _, first = complete(learner, course)
    first = expiring_in(first, days=200)
    opens = first.valid_until - timedelta(days=90)
    assert services.renewal_opens(certificate=first) == opens

    refusal = services.renewal_refusal(certificate=first, passed_at=opens - timedelta(seconds=1))
    assert refusal == (
        f"Renewal opens on {date_format(timezone.localtime(opens), 'j F Y')}: only a pass from "
        "then renews this certificate."
    )
    with pytest.raises(services.CertificateError, match="Renewal opens on"):
        services.renew_certificate(
            certificate=first, passed_at=opens - timedelta(seconds=1), reason="Test"
        )
    assert cycles(learner) == [1]
    assert services.renewal_refusal(certificate=first, passed_at=opens) == ""
    years_later = first.valid_until + timedelta(days=3 * 365)
    assert services.renewal_refusal(certificate=first, passed_at=years_later) == ""
    renewed = services.renew_certificate(certificate=first, passed_at=opens, reason="Test")
    assert renewed.cycle == 2


def test_renewing_again_returns_the_same_certificate_and_audits_once(
    course, learner, award, django_capture_on_commit_callbacks
):
    _, first = complete(learner, course)
    first = expiring_in(first, days=10)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        renewed = services.renew_certificate(
            certificate=first, passed_at=timezone.now(), reason="Test"
        )
    renewed.refresh_from_db()
    rendered_at = renewed.pdf_rendered_at
    assert rendered_at is not None and len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = services.renew_certificate(
            certificate=first, passed_at=timezone.now(), reason="Test"
        )
    assert again.pk == renewed.pk
    assert callbacks == []  # nothing queued: no second PDF or e-mail
    again.refresh_from_db()
    assert again.pdf_rendered_at == rendered_at and len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="certificate.renewed").count() == 1
    # The new cycle is not yet due itself, so a further pass renews nothing.
    assert (
        services.renew_for_course(learner=learner, course=course, passed_at=timezone.now()) is None
    )
    assert cycles(learner) == [1, 2]


@pytest.mark.parametrize(
    ("withdraw", "state"), [(services.suspend, "suspended"), (services.revoke, "revoked")]
)
def test_a_suspended_or_revoked_certificate_is_not_renewed(
    course, learner, award, administrator, withdraw, state
):
    enrolment, first = complete(learner, course)
    first = expiring_in(first, days=30)
    withdraw(certificate=first, by=administrator, reason="Checking", public_reason="Checking")
    take(enrolment, pass_it=True)
    assert cycles(learner) == [1]
    with pytest.raises(services.CertificateError, match=f"is {state}, so it cannot be renewed"):
        services.renew_certificate(certificate=first, passed_at=timezone.now(), reason="Test")


def test_a_corrected_certificate_is_renewed_through_its_replacement(
    course, learner, award, administrator
):
    enrolment, first = complete(learner, course)
    first = expiring_in(first, days=30)
    replacement = services.correct_name(
        certificate=first, by=administrator, new_name="Priya Sharma-Jones", reason="Married"
    )
    with pytest.raises(services.CertificateError, match="replaced by a corrected one"):
        services.renew_certificate(certificate=first, passed_at=timezone.now(), reason="Test")

    take(enrolment, pass_it=True)
    renewed = Certificate.objects.get(cycle=2)
    entry = AuditEntry.objects.get(action="certificate.renewed")
    assert entry.details["previous_code"] == replacement.code
    assert renewed.learner == learner


# Reminders ---------------------------------------------------------------------------------------


def test_reminders_say_how_to_renew_and_stop_once_the_next_cycle_is_issued(course, learner, award):
    enrolment, first = complete(learner, course)
    first = expiring_in(first, days=20)
    assert services.due_expiry_reminders() == [(first.pk, 30)]
    mail.outbox.clear()
    assert services.send_expiry_reminder(certificate=first, days_before=30)
    [message] = mail.outbox
    opens = date_format(timezone.localtime(first.valid_until - timedelta(days=90)), "j F Y")
    assert (
        'To renew it, pass the final assessment of the course "Welcoming complaints" again. '
        f"Any pass from {opens} renews it, even after it has expired"
    ) in message.body
    assert course.full_url in message.body
    html, _ = message.alternatives[0]
    assert f'<a href="{course.full_url}">Welcoming complaints</a>' in html

    first = expiring_in(first, days=5)  # the 7-day reminder is due ...
    assert services.due_expiry_reminders() == [(first.pk, 7)]
    take(enrolment, pass_it=True)
    assert cycles(learner) == [1, 2]
    # ... but once renewed, neither the daily job nor a reminder already queued sends it.
    assert services.due_expiry_reminders() == []
    mail.outbox.clear()
    assert services.send_expiry_reminder(certificate=first, days_before=7) is False
    assert mail.outbox == []


def test_a_reminder_for_an_award_with_no_assessment_says_it_renews_when_issued_again(db):
    award = Award.objects.create(
        kind=Award.Kind.WEBINAR_ATTENDANCE,
        title="Live session on remedies",
        validity_unit=Award.ValidityUnit.YEARS,
        validity_length=1,
    )
    certificate = CertificateFactory(
        award=award,
        issued_at=timezone.now() - timedelta(days=300),
        valid_until=timezone.now() + timedelta(days=60),
    )
    assert services.send_expiry_reminder(certificate=certificate, days_before=90)
    [message] = mail.outbox
    assert "pass the final assessment" not in message.body
    assert "It is renewed when the Academy issues it to you again" in message.body
    html = message.alternatives[0][0]
    assert "It is renewed when the Academy issues it to you again" in html


# The verification page of the old certificate ---------------------------------------------------


def test_the_old_certificates_page_points_to_the_newer_one(
    client, course, learner, award, django_assert_max_num_queries
):
    enrolment, first = complete(learner, course)
    expiring_in(first, days=30)
    take(enrolment, pass_it=True)
    renewed = Certificate.objects.get(cycle=2)

    client.get("/verify/")  # the first page fills the footer's cache
    with django_assert_max_num_queries(2):
        html = client.get(reverse("certificates:verify", args=[first.display_code])).content
    html = html.decode()
    assert "Valid: this certificate was issued by the PHSO Academy." in html
    assert (
        f'Renewed: the PHSO Academy issued a newer certificate, <a href="'
        f'{renewed.get_absolute_url()}"><span class="academy-code">{renewed.display_code}</span>'
        "</a>, on "
    ) in html
    newer = client.get(reverse("certificates:verify", args=[renewed.display_code])).content
    assert "Renewed:" not in newer.decode()


# Races (PostgreSQL) ------------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so no race",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_passes_racing_give_one_next_cycle_certificate(course, learner, award):
    _, first = complete(learner, course)
    expiring_in(first, days=30)
    racers = 8
    barrier = threading.Barrier(racers)
    results, errors = [], []

    def renew():
        try:
            barrier.wait()
            results.append(
                services.renew_for_course(learner=learner, course=course, passed_at=timezone.now())
            )
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=renew) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    renewed = Certificate.objects.get(learner=learner, cycle=2)
    # Each racer got the one renewal, or (having read after it committed) found nothing due.
    assert {result.pk for result in results if result is not None} == {renewed.pk}
    assert AuditEntry.objects.filter(action="certificate.renewed").count() == 1
