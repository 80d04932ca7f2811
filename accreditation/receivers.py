"""What accreditation does when the apps below it announce something: a completed course or a
released, passed attempt goes into the CPD log, and may meet what a candidate needs to be
awarded or to renew."""

from . import services


def on_course_completed(sender, enrolment, **kwargs):
    services.record_course_completion(enrolment=enrolment)
    services.check_awards_for(person=enrolment.user, course_id=enrolment.course_id)
    services.check_renewals_for(person=enrolment.user)


def on_attempt_released(sender, attempt, **kwargs):
    # Sent when a result is released, whether straight away or after marking held it.
    services.record_assessment_pass(attempt=attempt)
    if attempt.is_released and attempt.passed:
        services.check_awards_for(person=attempt.user, assessment_id=attempt.assessment_id)
        services.check_renewals_for(person=attempt.user)


def on_attempt_regraded(sender, attempt, passed_before=None, **kwargs):
    if attempt.passed:
        services.record_assessment_pass(attempt=attempt)
        services.check_awards_for(person=attempt.user, assessment_id=attempt.assessment_id)
        services.check_renewals_for(person=attempt.user)
    elif passed_before:
        services.remove_assessment_pass(
            learner_id=attempt.user_id, assessment_id=attempt.assessment_id
        )
