from . import services


def on_course_completed(sender, enrolment, **kwargs):
    services.issue_for_course(learner=enrolment.user, course=enrolment.course)


def on_final_assessment_passed(sender, enrolment, attempt, **kwargs):
    # When the learner handed it in, not when marking released it: a pass counts from the
    # moment they did the work (the e-mail tells them to pass "from" a date).
    services.renew_for_course(
        learner=enrolment.user, course=enrolment.course, passed_at=attempt.submitted_at
    )


def on_requirements_met(sender, candidacy, **kwargs):
    services.issue_for_programme(candidacy=candidacy)


def on_renewal_met(sender, candidacy, **kwargs):
    services.renew_for_programme(candidacy=candidacy)


def on_webinar_attended(sender, session, attendances, by, **kwargs):
    services.issue_for_attendance(
        session=session, learners=[attendance.user for attendance in attendances], by=by
    )
