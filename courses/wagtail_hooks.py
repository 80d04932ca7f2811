from wagtail import hooks

from assessments.admin_warnings import warn_if_answers_given_away

from .admin_viewsets import WebinarSessionViewSet
from .choosers import question_chooser_viewset
from .pages import CoursePage


@hooks.register("register_admin_viewset")
def register_question_chooser():
    """The question chooser of the lesson's knowledge check block."""
    return question_chooser_viewset


@hooks.register("register_admin_viewset")
def register_webinar_sessions():
    """Trainers add, change, move and cancel webinar sessions, and see who is registered."""
    return WebinarSessionViewSet("webinar_sessions")


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_the_final_assessment(request, page):
    """A course gives a certificate: warn when its final assessment gives its answers away while
    learners may try again (the assessment's own edit page warns too, once the course is live)."""
    course = page.specific
    if isinstance(course, CoursePage) and course.final_assessment_id:
        warn_if_answers_given_away(
            request,
            course.final_assessment,
            leads=[f"the certificate of the course “{course.title}”"],
        )
