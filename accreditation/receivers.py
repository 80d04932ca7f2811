"""What accreditation does when the apps below it announce something: a completed course, a
released, passed attempt or an attended webinar session goes into the CPD log, and may meet
what a candidate needs to be awarded or to renew."""

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


def on_webinar_attended(sender, session, attendances, **kwargs):
    learner_ids = [attendance.user_id for attendance in attendances]
    services.record_webinar_attendance(session=session, learner_ids=learner_ids)
    services.check_renewals_for_people(person_ids=learner_ids)


def on_webinar_attendance_removed(sender, session, user, **kwargs):
    # Renewal already given on the strength of these hours is not taken back, as a removed
    # assessment pass does not take back a course completed with it.
    services.remove_webinar_attendance(learner_id=user.pk, session_id=session.pk)


def on_recording_watched(sender, recording, user, watched_at, **kwargs):
    if services.record_recording_watched(
        recording=recording, learner_id=user.pk, watched_at=watched_at
    ):
        services.check_renewals_for(person=user)
