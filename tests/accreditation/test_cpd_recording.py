"""The entries the Academy adds to a CPD log: a completed course and a passed assessment, each
once however often the news arrives, and the entries for what people did before the log."""

import importlib
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from academy import services as people
from accreditation import services
from accreditation.models import CPDEntry
from assessments import services as assessment_services
from assessments.models import Attempt
from assessments.services import marking
from assessments.signals import attempt_regraded, attempt_submitted
from courses import services as course_services
from courses.models import Enrolment
from courses.signals import course_completed
from tests.academy.factories import UserFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    correct_answers,
    wrong_answers,
)
from tests.assessments.test_marking import essay_of, give, hand_in, levels, make_assessment
from tests.complaint_standards.factories import ExpectationFactory
from tests.courses.factories import CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("accreditation.migrations.0004_cpd_backfill").backfill


def _complete(learner, course):
    enrolment = course_services.enrol(user=learner, course=course)
    for lesson in course.get_children().specific():
        course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
    return Enrolment.objects.get(pk=enrolment.pk)


@pytest.fixture
def tagged_course(catalogue):
    expectations = [ExpectationFactory(), ExpectationFactory()]
    course = CourseFactory(
        parent=catalogue,
        title="Listening to complaints",
        cpd_hours="2.5",
        expectations=expectations,
    )
    LessonFactory(parent=course)
    return course


def test_completing_a_course_adds_its_hours_on_the_day_with_its_expectations(
    learner, tagged_course
):
    enrolment = _complete(learner, tagged_course)
    entry = CPDEntry.objects.get(learner=learner)
    assert entry.kind == CPDEntry.Kind.RECORDED
    assert entry.activity == "Listening to complaints"
    assert entry.hours == Decimal("2.5")
    assert entry.activity_date == timezone.localdate(enrolment.completed_at)
    assert set(entry.expectations.all()) == set(tagged_course.expectations.all())
    assert entry.recorded_as == "Course completed"


def test_a_completion_announced_twice_is_one_entry(learner, tagged_course):
    enrolment = _complete(learner, tagged_course)
    course_completed.send(sender=Enrolment, enrolment=enrolment)
    services.record_course_completion(enrolment=enrolment)
    course_services.evaluate_completion(enrolment=enrolment)
    assert CPDEntry.objects.filter(learner=learner).count() == 1
    assert CPDEntry.objects.get(learner=learner).expectations.count() == 2


def test_the_entry_is_the_learners_own(learner, other_learner, tagged_course):
    _complete(learner, tagged_course)
    _complete(other_learner, tagged_course)
    assert CPDEntry.objects.filter(learner=learner).count() == 1
    assert CPDEntry.objects.filter(learner=other_learner).count() == 1


def test_a_passed_final_assessment_is_logged_without_hours_beside_the_course(learner, course_tree):
    tagged = ExpectationFactory()
    question = course_tree.questions[0]
    question.expectations.add(tagged)
    question.save()
    enrolment = course_services.enrol(user=learner, course=course_tree.course)
    for lesson in course_tree.lessons:
        course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
    attempt = course_services.start_final_assessment(enrolment=enrolment)
    assessment_services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    assessment_services.submit_attempt(attempt=attempt)

    entries = {entry.recorded_as: entry for entry in CPDEntry.objects.filter(learner=learner)}
    assert set(entries) == {"Course completed", "Assessment passed"}
    passed = entries["Assessment passed"]
    assert passed.hours == 0
    assert passed.activity == course_tree.assessment.title
    assert list(passed.expectations.all()) == [tagged]
    # The course's hours count once: the assessment is part of it.
    assert sum(entry.hours for entry in entries.values()) == course_tree.course.cpd_hours


def _attempt(learner, assessment, answers):
    attempt = assessment_services.start_attempt(user=learner, assessment=assessment)
    assessment_services.save_answers(attempt=attempt, answers=answers(attempt))
    return assessment_services.submit_attempt(attempt=attempt)


def test_a_failed_attempt_adds_nothing_and_a_second_pass_adds_nothing_more(learner):
    assessment = AssessmentFactory(title="Quick check", questions=[QuestionFactory()])
    _attempt(learner, assessment, wrong_answers)
    assert not CPDEntry.objects.filter(learner=learner).exists()
    first = _attempt(learner, assessment, correct_answers)
    _attempt(learner, assessment, correct_answers)
    attempt_submitted.send(sender=Attempt, attempt=first)
    entry = CPDEntry.objects.get(learner=learner)
    assert entry.activity == "Quick check"
    assert entry.activity_date == timezone.localdate(first.submitted_at)


@pytest.fixture
def assessor(staff_groups):
    return UserFactory(groups=[people.ASSESSORS], mfa=True)


def test_a_held_pass_is_logged_when_it_is_released(
    learner, assessor, django_capture_on_commit_callbacks
):
    assessment = make_assessment(hold_results=True, title="Written exercise")
    essay = essay_of(hand_in(learner, assessment))
    give(response=essay, marker=assessor, given=marking.MarkGiven(levels(essay, 2, 2)))
    assert Attempt.objects.get(pk=essay.attempt_id).passed
    assert not CPDEntry.objects.filter(learner=learner).exists()

    with django_capture_on_commit_callbacks(execute=True):
        marking.release_results(assessment=assessment, by=assessor)
    assert CPDEntry.objects.get(learner=learner).activity == "Written exercise"


def test_a_regrade_that_makes_a_pass_adds_it_and_one_that_unmakes_it_takes_it_out(learner):
    assessment = AssessmentFactory(questions=[QuestionFactory()])
    attempt = _attempt(learner, assessment, wrong_answers)
    # The regrade's own work is the assessments app's; here only what it announces matters.
    Attempt.objects.filter(pk=attempt.pk).update(passed=True, percent=100)
    attempt.refresh_from_db()
    attempt_regraded.send(sender=Attempt, attempt=attempt, passed_before=False, percent_before=0)
    attempt_regraded.send(sender=Attempt, attempt=attempt, passed_before=False, percent_before=0)
    assert CPDEntry.objects.filter(learner=learner).count() == 1

    Attempt.objects.filter(pk=attempt.pk).update(passed=False, percent=0)
    attempt.refresh_from_db()
    attempt_regraded.send(sender=Attempt, attempt=attempt, passed_before=True, percent_before=100)
    assert not CPDEntry.objects.filter(learner=learner).exists()


def test_a_regraded_fail_leaves_the_pass_another_attempt_earned(learner):
    assessment = AssessmentFactory(questions=[QuestionFactory()])
    regraded = _attempt(learner, assessment, correct_answers)
    _attempt(learner, assessment, correct_answers)
    Attempt.objects.filter(pk=regraded.pk).update(passed=False, percent=0)
    regraded.refresh_from_db()
    attempt_regraded.send(sender=Attempt, attempt=regraded, passed_before=True, percent_before=100)
    assert CPDEntry.objects.filter(learner=learner).count() == 1


def test_the_backfill_logs_what_was_done_before_the_log_once(learner, tagged_course):
    enrolment = course_services.enrol(user=learner, course=tagged_course)
    completed_at = datetime(2025, 6, 30, 23, 30, tzinfo=UTC)
    # Completed before the CPD log listened: no signal, no entry.
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=completed_at)
    assessment = AssessmentFactory(title="Old exam", questions=[QuestionFactory()])
    _attempt(learner, assessment, correct_answers)
    CPDEntry.objects.filter(learner=learner).delete()

    backfill(apps, None)
    backfill(apps, None)
    entries = {entry.activity: entry for entry in CPDEntry.objects.filter(learner=learner)}
    assert set(entries) == {"Listening to complaints", "Old exam"}
    course_entry = entries["Listening to complaints"]
    assert course_entry.hours == Decimal("2.5")
    assert course_entry.activity_date == date(2025, 7, 1)  # 00:30 in London
    assert course_entry.expectations.count() == 2
    assert entries["Old exam"].hours == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises writers"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_announcements_at_the_same_moment_make_one_entry(learner, tagged_course):
    enrolment = course_services.enrol(user=learner, course=tagged_course)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    enrolment = Enrolment.objects.select_related("course").get(pk=enrolment.pk)
    barrier = threading.Barrier(8)
    errors = []

    def record():
        try:
            barrier.wait()
            services.record_course_completion(enrolment=enrolment)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timedelta(seconds=60).total_seconds())
    assert errors == []
    assert CPDEntry.objects.filter(learner=learner).count() == 1
