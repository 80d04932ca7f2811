"""The e-mails about webinar registrations, in plain text and HTML, with their calendar entries.
Building only; the services send them."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from . import calendar

SUBJECT_PREFIX = "[PHSO Academy] "
LINK_OPENS_BEFORE = timedelta(minutes=15)

PLACE = "place"
WAITING = "waiting"
PLACE_GIVEN = "place_given"
CANCELLED = "cancelled"
MOVED = "moved"
SESSION_CANCELLED = "session_cancelled"
REMINDER_DAY = "reminder_day"
REMINDER_HOUR = "reminder_hour"


def _when(moment) -> str:
    """ "Sunday 28 March 2027 at 10:00" in UK time."""
    local = timezone.localtime(moment, calendar.UK)
    return f"{date_format(local, 'l j F Y')} at {date_format(local, 'H:i')}"


def page_address(page) -> str:
    """The page's full address on the site people use (ACADEMY_SITE_URL), as the other links in
    these e-mails are."""
    url = page.url or "/"
    return settings.ACADEMY_SITE_URL + url if url.startswith("/") else url


def _subject(kind: str, title: str, starts: str) -> str:
    return {
        PLACE: f"Your place: {title}, {starts}",
        WAITING: f"On the waiting list: {title}, {starts}",
        PLACE_GIVEN: f"A place has come up for you: {title}, {starts}",
        CANCELLED: f"Cancelled as you asked: {title}, {starts}",
        MOVED: f"New date and time: {title}, now {starts}",
        SESSION_CANCELLED: f"Session cancelled: {title}, {starts}",
        REMINDER_DAY: f"Tomorrow: {title}, {starts}",
        REMINDER_HOUR: f"Starting in an hour: {title}, {starts}",
    }[kind]


def registration_message(
    *,
    kind: str,
    registration,
    waiting_position: int | None = None,
    previous_starts_at=None,
    reason: str = "",
) -> EmailMultiAlternatives:
    """One e-mail about the learner's registration; every kind but a reminder carries the
    session's calendar entry (an invitation, or its cancellation)."""
    session = registration.session
    webinar = session.webinar
    learner = registration.user
    now = timezone.now()
    page_url = page_address(webinar)
    context = {
        "kind": kind,
        "learner": learner,
        "webinar": webinar,
        "session": session,
        "starts": _when(session.starts_at),
        "ends_time": date_format(timezone.localtime(session.ends_at, calendar.UK), "H:i"),
        "link_opens": _when(session.starts_at - LINK_OPENS_BEFORE),
        "previous_starts": _when(previous_starts_at) if previous_starts_at else "",
        "reason": reason or (session.cancel_reason if kind == SESSION_CANCELLED else ""),
        "waiting_position": waiting_position,
        "page_url": page_url,
        "dashboard_url": settings.ACADEMY_SITE_URL + reverse("dashboard"),
    }
    message = EmailMultiAlternatives(
        subject=SUBJECT_PREFIX + _subject(kind, webinar.title, context["starts"]),
        body=render_to_string("courses/email/registration.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[learner.email],
    )
    message.attach_alternative(
        render_to_string("courses/email/registration.html", context), "text/html"
    )
    if kind in (REMINDER_DAY, REMINDER_HOUR):
        return message
    method = calendar.CANCEL if kind in (CANCELLED, SESSION_CANCELLED) else calendar.REQUEST
    ics = calendar.session_calendar(
        session=session,
        learner=learner,
        method=method,
        tentative=registration.status == registration.Status.WAITING,
        now=now,
        page_url=page_url,
    )
    message.attach(calendar.calendar_attachment(ics, method=method, name=webinar.title))
    return message


def recording_message(*, recording, learner, attended: bool) -> EmailMultiAlternatives:
    """Telling someone who registered for the webinar, or attended it, that its recording is
    out; what watching earns depends on whether they attended."""
    webinar = recording.webinar
    context = {
        "learner": learner,
        "webinar": webinar,
        "recording": recording,
        "attended": attended,
        "page_url": page_address(webinar) + "#recording",
        "dashboard_url": settings.ACADEMY_SITE_URL + reverse("dashboard"),
    }
    message = EmailMultiAlternatives(
        subject=f"{SUBJECT_PREFIX}Recording to watch: {webinar.title}",
        body=render_to_string("courses/email/recording.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[learner.email],
    )
    message.attach_alternative(
        render_to_string("courses/email/recording.html", context), "text/html"
    )
    return message
