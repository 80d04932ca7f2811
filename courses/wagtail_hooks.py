from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import HeaderButton

from assessments.admin_warnings import warn_if_answers_given_away

from . import attendance_views
from .admin_viewsets import WebinarRecordingViewSet, WebinarSessionViewSet
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


@hooks.register("register_admin_viewset")
def register_webinar_recordings():
    """Trainers add a webinar's recording, change it, publish it (telling the people
    registered) and unpublish it."""
    return WebinarRecordingViewSet("webinar_recordings")


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


# Webinar attendance: its own pages and menu item, beside the sessions' admin.


class AttendanceMenuItem(MenuItem):
    def is_shown(self, request):
        return attendance_views.may_take_registers(request.user)


@hooks.register("register_admin_urls")
def register_attendance_urls():
    return [
        path(
            "webinar-attendance/",
            include((attendance_views.urlpatterns, "webinar_attendance")),
        )
    ]


@hooks.register("register_webinar_session_buttons")
def attendance_register_button(request, session):
    """The session's page links its attendance register, for those who may take it."""
    if not attendance_views.may_take_register(request.user, session):
        return []
    return [
        HeaderButton(
            "Attendance register",
            url=reverse("webinar_attendance:register", args=[session.pk]),
            icon_name="tick",
        )
    ]


@hooks.register("register_admin_menu_item")
def register_attendance_menu_item():
    return AttendanceMenuItem(
        "Webinar attendance",
        reverse("webinar_attendance:sessions"),
        icon_name="group",
        order=255,
    )
