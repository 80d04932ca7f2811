"""How the courses app's entries read in the admin's audit log (academy.audit)."""

from django.urls import reverse

from academy import audit

ACTIONS = {
    "webinar_session.moved": "Webinar session moved",
    "webinar_session.cancelled": "Webinar session cancelled",
}


def register() -> None:
    audit.describe_actions(ACTIONS)
    audit.describe_target(
        "courses.webinarsession",
        related=("webinar",),
        describe=str,
        url=lambda session: reverse("webinar_sessions:inspect", args=[session.pk]),
    )
