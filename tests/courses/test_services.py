"""Enrolment, progress and course completion through the course services."""

import pytest

from assessments import services as assessment_services
from certificates.models import Certificate
from courses import services
from courses.models import Enrolment, LessonCompletion
from courses.signals import course_completed
from tests.assessments.factories import correct_answers, wrong_answers
from tests.courses.factories import CourseFactory, LessonFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def completions():
    """Every course_completed announcement, as enrolment ids."""
    sent = []

    def receiver(sender, enrolment, **kwargs):
        sent.append(enrolment.pk)

    course_completed.connect(receiver, dispatch_uid="test-completions")
    yield sent
    course_completed.disconnect(dispatch_uid="test-completions")


def finish_lessons(enrolment, lessons):
    for lesson in lessons:
        services.complete_lesson(enrolment=enrolment, lesson=lesson)


def take_final_assessment(enrolment, *, pass_it: bool):
    attempt = services.start_final_assessment(enrolment=enrolment)
    answers = correct_answers(attempt) if pass_it else wrong_answers(attempt)
    assessment_services.save_answers(attempt=attempt, answers=answers)
    return assessment_services.submit_attempt(attempt=attempt)


def test_enrolling_twice_gives_the_same_enrolment(course, learner):
    first = services.enrol(user=learner, course=course)
    second = services.enrol(user=learner, course=course)
    assert first.pk == second.pk
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1


def test_an_unpublished_course_is_not_open_for_enrolment(catalogue, learner):
    draft = CourseFactory(parent=catalogue, live=False)
    with pytest.raises(services.CourseError, match="not open for enrolment"):
        services.enrol(user=learner, course=draft)
    assert not Enrolment.objects.exists()


def test_a_course_taken_down_after_publishing_is_closed_to_new_learners(course, learner):
    course.unpublish()
    course.refresh_from_db()
    with pytest.raises(services.CourseError):
        services.enrol(user=learner, course=course)


def test_visiting_a_lesson_is_remembered_for_resuming(course_tree, learner):
    enrolment = services.enrol(user=learner, course=course_tree.course)
    services.record_visit(enrolment=enrolment, lesson=course_tree.lessons[1])
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == course_tree.lessons[1].pk


def test_completing_a_lesson_twice_records_it_once(course_tree, learner):
    enrolment = services.enrol(user=learner, course=course_tree.course)
    lesson = course_tree.lessons[0]
    first = services.complete_lesson(enrolment=enrolment, lesson=lesson)
    second = services.complete_lesson(enrolment=enrolment, lesson=lesson)
    assert first.pk == second.pk
    assert services.lessons_outstanding(enrolment=enrolment) == 2


def test_a_lesson_of_another_course_cannot_be_completed(course_tree, catalogue, learner):
    other = CourseFactory(parent=catalogue)
    foreign_lesson = LessonFactory(parent=other)
    enrolment = services.enrol(user=learner, course=course_tree.course)
    with pytest.raises(services.CourseError, match="not part of the course"):
        services.complete_lesson(enrolment=enrolment, lesson=foreign_lesson)
    assert not LessonCompletion.objects.exists()


def test_the_final_assessment_opens_only_when_every_lesson_is_done(course_tree, learner):
    enrolment = services.enrol(user=learner, course=course_tree.course)
    finish_lessons(enrolment, course_tree.lessons[:2])
    with pytest.raises(services.CourseError, match="Complete every lesson"):
        services.start_final_assessment(enrolment=enrolment)
    finish_lessons(enrolment, course_tree.lessons[2:])
    attempt = services.start_final_assessment(enrolment=enrolment)
    assert attempt.assessment_id == course_tree.assessment.pk


def test_a_used_up_attempt_limit_is_reported_as_a_course_error(course_tree, learner):
    course_tree.assessment.max_attempts = 1
    course_tree.assessment.save()
    enrolment = services.enrol(user=learner, course=course_tree.course)
    finish_lessons(enrolment, course_tree.lessons)
    take_final_assessment(enrolment, pass_it=False)
    with pytest.raises(services.CourseError, match="used all the attempts"):
        services.start_final_assessment(enrolment=enrolment)


def test_lessons_alone_do_not_complete_a_course_with_a_final_assessment(
    course_tree, learner, completions
):
    enrolment = services.enrol(user=learner, course=course_tree.course)
    finish_lessons(enrolment, course_tree.lessons)
    enrolment.refresh_from_db()
    assert not enrolment.is_complete
    assert completions == []


def test_failing_the_final_assessment_does_not_complete_the_course(
    course_tree, learner, completions
):
    enrolment = services.enrol(user=learner, course=course_tree.course)
    finish_lessons(enrolment, course_tree.lessons)
    take_final_assessment(enrolment, pass_it=False)
    enrolment.refresh_from_db()
    assert not enrolment.is_complete
    assert completions == []
    assert not Certificate.objects.exists()


def test_every_lesson_and_a_pass_complete_the_course_and_issue_one_certificate(
    course_tree, learner, completions
):
    enrolment = services.enrol(user=learner, course=course_tree.course)
    finish_lessons(enrolment, course_tree.lessons)
    take_final_assessment(enrolment, pass_it=False)
    take_final_assessment(enrolment, pass_it=True)

    enrolment.refresh_from_db()
    assert enrolment.is_complete
    assert completions == [enrolment.pk]
    certificate = Certificate.objects.get(learner=learner)
    assert certificate.award.course_id == course_tree.course.pk
    assert certificate.name_on_certificate == "Priya Sharma"
    assert certificate.title_on_certificate == "Welcoming complaints"

    # Checking again (another lesson click, a re-run) neither re-announces nor re-issues.
    assert services.evaluate_completion(enrolment=enrolment) is True
    services.complete_lesson(enrolment=enrolment, lesson=course_tree.lessons[0])
    assert completions == [enrolment.pk]
    assert Certificate.objects.filter(learner=learner).count() == 1
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_a_pass_before_the_last_lesson_completes_the_course_with_that_lesson(
    course_tree, learner, completions
):
    """A learner who passed the assessment (e.g. on an earlier run of the course) completes it
    when they finish the last lesson."""
    enrolment = services.enrol(user=learner, course=course_tree.course)
    attempt = assessment_services.start_attempt(user=learner, assessment=course_tree.assessment)
    assessment_services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    assessment_services.submit_attempt(attempt=attempt)
    enrolment.refresh_from_db()
    assert not enrolment.is_complete

    finish_lessons(enrolment, course_tree.lessons)
    enrolment.refresh_from_db()
    assert enrolment.is_complete
    assert completions == [enrolment.pk]
    assert Certificate.objects.filter(learner=learner).count() == 1


def test_a_course_without_a_final_assessment_completes_with_its_lessons(catalogue, learner):
    course = CourseFactory(parent=catalogue, final_assessment=None)
    lessons = [LessonFactory(parent=course) for _ in range(2)]
    enrolment = services.enrol(user=learner, course=course)
    finish_lessons(enrolment, lessons)
    enrolment.refresh_from_db()
    assert enrolment.is_complete
    assert Certificate.objects.filter(learner=learner, award__course=course).count() == 1


def test_passing_an_assessment_completes_only_the_learners_own_enrolment(
    course_tree, learner, other_learner
):
    mine = services.enrol(user=learner, course=course_tree.course)
    theirs = services.enrol(user=other_learner, course=course_tree.course)
    finish_lessons(mine, course_tree.lessons)
    finish_lessons(theirs, course_tree.lessons)
    take_final_assessment(mine, pass_it=True)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.is_complete
    assert not theirs.is_complete
    assert list(Certificate.objects.values_list("learner_id", flat=True)) == [learner.pk]


def test_a_passed_assessment_for_one_course_does_not_complete_another(catalogue, learner):
    first = build_course(catalogue=catalogue, title="First course")
    second = build_course(catalogue=catalogue, title="Second course")
    one = services.enrol(user=learner, course=first.course)
    two = services.enrol(user=learner, course=second.course)
    finish_lessons(one, first.lessons)
    finish_lessons(two, second.lessons)
    take_final_assessment(one, pass_it=True)
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.is_complete
    assert not two.is_complete
