"""Listeners for the learning finished below feedback (wired in FeedbackConfig.ready): each offers
the item's survey, if it has one, inside the transaction that finished the learning."""

from . import services


def on_course_completed(sender, enrolment, **kwargs):
    services.offer_after_course(enrolment=enrolment)


def on_attempt_submitted(sender, attempt, **kwargs):
    services.offer_after_attempt(attempt=attempt)


def on_webinar_attended(sender, session, attendances, **kwargs):
    services.offer_after_session(
        user_ids=[attendance.user_id for attendance in attendances], webinar=session.webinar
    )
