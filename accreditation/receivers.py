"""What accreditation does when the apps below it announce something: the CPD log records
completed courses and passed assessments."""

from . import services


def on_course_completed(sender, enrolment, **kwargs):
    services.record_course_completion(enrolment=enrolment)


def on_attempt_released(sender, attempt, **kwargs):
    # Sent when a result is released, whether straight away or after marking held it.
    services.record_assessment_pass(attempt=attempt)


def on_attempt_regraded(sender, attempt, passed_before=None, **kwargs):
    if attempt.passed:
        services.record_assessment_pass(attempt=attempt)
    elif passed_before:
        services.remove_assessment_pass(
            learner_id=attempt.user_id, assessment_id=attempt.assessment_id
        )
