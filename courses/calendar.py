"""Calendar entries for webinar sessions: one iCalendar event per session (RFC 5545), sent as an
invitation or its cancellation (iTIP, RFC 5546), so the learner's calendar program files it and
later updates or removes the same entry.

The event's UID is the session's and never changes; its SEQUENCE is the session's, raised by
each move or cancellation, and DTSTAMP is the moment of sending, which is what a calendar
compares when two messages carry the same SEQUENCE (a waiting-list place becoming a place).
Times are written in Europe/London with the zone's rules alongside (VTIMEZONE), so the entry
says 10:00 whether it falls in GMT or BST."""

from datetime import date, datetime
from email.mime.text import MIMEText
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.text import slugify
from icalendar import Calendar, Event, vCalAddress

from . import uk_time

UK = uk_time.UK
PRODUCT = "-//PHSO Academy//Webinars//EN"

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def _address(email: str, name: str, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    address.params.update(params)
    return address


def session_calendar(
    *, session, learner, method: str, tentative: bool = False, now: datetime, page_url: str
) -> bytes:
    """The .ics for one learner about one session: an invitation (REQUEST; with `tentative`,
    a place on the waiting list) or its withdrawal (CANCEL, for their cancellation or the
    session's)."""
    starts = session.starts_at.astimezone(UK)
    ends = session.ends_at.astimezone(UK)
    organiser_name, organiser_email = parseaddr(settings.DEFAULT_FROM_EMAIL)

    event = Event()
    event.add("uid", str(session.uid))
    event.add("sequence", session.sequence)
    event.add("dtstamp", now.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("summary", session.webinar.title)
    event.add(
        "description",
        "A live webinar from the PHSO Academy. The link to join is on the webinar's page, for "
        f"people with a place, from 15 minutes before the start: {page_url}",
    )
    event.add("location", "Online")
    event.add("url", page_url)
    event.add("transp", "OPAQUE")
    if method == CANCEL:
        status, part_status = "CANCELLED", "DECLINED"
    elif tentative:
        status, part_status = "TENTATIVE", "TENTATIVE"
    else:
        status, part_status = "CONFIRMED", "ACCEPTED"
    event.add("status", status)
    event.add("organizer", _address(organiser_email, organiser_name or "PHSO Academy"))
    event.add(
        "attendee",
        _address(
            learner.email,
            learner.full_name,
            ROLE="REQ-PARTICIPANT",
            PARTSTAT=part_status,
            RSVP="FALSE",
        ),
    )

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(event)
    # The zone's rules for the years around the session only: enough for any calendar to place
    # it, and a short file rather than every change since 1970.
    calendar.add_missing_timezones(
        first_date=date(starts.year - 1, 1, 1), last_date=date(starts.year + 2, 1, 1)
    )
    return calendar.to_ical()


def calendar_attachment(ics: bytes, *, method: str, name: str) -> MIMEText:
    """The .ics as an e-mail part that mail programs offer to add to the calendar: text/calendar
    with the iTIP method named on the part as well as inside it (RFC 6047)."""
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=f"{slugify(name)[:60]}.ics")
    return part
