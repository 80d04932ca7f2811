"""What accreditation does when learning elsewhere in the Academy changes: a completed course or
a released, passed attempt may meet a candidate's last requirement."""

from . import services


def on_course_completed(sender, enrolment, **kwargs):
    services.check_awards_for(person=enrolment.user, course_id=enrolment.course_id)


def on_attempt_released(sender, attempt, **kwargs):
    if attempt.is_released and attempt.passed:
        services.check_awards_for(person=attempt.user, assessment_id=attempt.assessment_id)
