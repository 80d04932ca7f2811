"""How the courses app's entries read in the admin's audit log (academy.audit)."""

from django.urls import reverse

from academy import audit

ACTIONS = {
    "webinar_session.moved": "Webinar session moved",
    "webinar_session.cancelled": "Webinar session cancelled",
    "webinar.attendance_recorded": "Webinar attendance recorded",
    "webinar.attendance_removed": "Webinar attendance removed",
    "webinar_recording.published": "Webinar recording published",
    "webinar_recording.unpublished": "Webinar recording unpublished",
}


def register() -> None:
    audit.describe_actions(ACTIONS)
    audit.describe_target(
        "courses.webinarsession",
        related=("webinar",),
        describe=lambda session: f"Session of {session}",
        url=lambda session: reverse("webinar_sessions:inspect", args=[session.pk]),
    )
    audit.describe_target(
        "courses.webinarrecording",
        related=("webinar",),
        describe=str,
        url=lambda recording: reverse("webinar_recordings:inspect", args=[recording.pk]),
    )
