from . import services


def on_course_completed(sender, enrolment, **kwargs):
    services.issue_for_course(learner=enrolment.user, course=enrolment.course)
