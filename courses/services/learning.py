"""Every state change of enrolments and progress."""

from django.db import transaction
from django.utils import timezone

from assessments import selectors as assessment_selectors
from assessments import services as assessment_services

from ..errors import CourseError
from ..models import CoursePage, Enrolment, LessonCompletion, LessonPage
from ..signals import course_completed, final_assessment_passed


def _live_lessons(course: CoursePage):
    return LessonPage.objects.child_of(course).live()


@transaction.atomic
def enrol(*, user, course: CoursePage) -> Enrolment:
    """Enrol the learner; enrolling again returns the existing enrolment."""
    if not course.live:
        raise CourseError("This course is not open for enrolment.")
    enrolment, _ = Enrolment.objects.get_or_create(user=user, course=course)
    return enrolment


def record_visit(*, enrolment: Enrolment, lesson: LessonPage) -> None:
    """Remember the lesson the learner is on, so they resume there."""
    if enrolment.last_lesson_id != lesson.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
        enrolment.last_lesson_id = lesson.pk


@transaction.atomic
def complete_lesson(*, enrolment: Enrolment, lesson: LessonPage) -> LessonCompletion:
    if not _live_lessons(enrolment.course).filter(pk=lesson.pk).exists():
        raise CourseError("This lesson is not part of the course.")
    completion, _ = LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    evaluate_completion(enrolment=enrolment)
    return completion


def lessons_outstanding(*, enrolment: Enrolment) -> int:
    done = enrolment.completions.values("lesson_id")
    return _live_lessons(enrolment.course).exclude(pk__in=done).count()


def has_passed_final_assessment(*, enrolment: Enrolment) -> bool:
    """Passed under the assessment's grading method (highest, first, last or average)."""
    assessment = enrolment.course.final_assessment
    if assessment is None:
        return True
    return assessment_selectors.grade_for(user=enrolment.user, assessment=assessment).passed


@transaction.atomic
def evaluate_completion(*, enrolment: Enrolment) -> bool:
    """Mark the course complete once every lesson is done and the final assessment passed."""
    enrolment = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    if enrolment.is_complete:
        return True
    if lessons_outstanding(enrolment=enrolment) or not has_passed_final_assessment(
        enrolment=enrolment
    ):
        return False
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    course_completed.send(sender=Enrolment, enrolment=enrolment)
    return True


def start_final_assessment(*, enrolment: Enrolment):
    """Start (or resume) the course's final assessment once the lessons are done.

    Not one transaction: start_attempt commits the finalising of an attempt whose time ran out
    even when it then refuses to start another (and runs its own transaction for the rest)."""
    course = enrolment.course
    if course.final_assessment_id is None:
        raise CourseError("This course has no final assessment.")
    if lessons_outstanding(enrolment=enrolment):
        raise CourseError("Complete every lesson before you take the final assessment.")
    try:
        return assessment_services.start_attempt(
            user=enrolment.user, assessment=course.final_assessment
        )
    except assessment_services.AssessmentError as exc:
        raise CourseError(str(exc)) from exc


def evaluate_after_attempt(*, attempt) -> None:
    enrolments = Enrolment.objects.filter(
        user_id=attempt.user_id, course__final_assessment_id=attempt.assessment_id
    )
    # Not only after a passed attempt: under "average" the grade is what passes or fails.
    for enrolment in enrolments.filter(completed_at__isnull=True):
        evaluate_completion(enrolment=enrolment)
    if attempt.is_released and attempt.passed:
        for enrolment in enrolments.select_related("user", "course"):
            final_assessment_passed.send(sender=Enrolment, enrolment=enrolment, attempt=attempt)
