"""Sessions across the UK's clock changes: 10:00 Europe/London on the last Sunday of March 2027
(the clocks went forward at 01:00 that morning, so 10:00 is BST, 09:00Z) and of October 2026
(back at 02:00, so 10:00 is GMT, 10:00Z) shows as 10:00 on the page, in the e-mail and in the
calendar entry, which names Europe/London and carries its rules. Times the clocks skip or show
twice are refused when a trainer types them."""

from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from courses import services
from courses.admin_forms import SessionMoveForm
from courses.models import Registration
from courses.uk_time import NotOnTheClock, uk_moment, uk_parts
from tests.academy.factories import UserFactory
from tests.courses.webinars import UK, UTC, calendar_part, make_session, the_event

pytestmark = pytest.mark.django_db

SPRING = date(2027, 3, 28)  # clocks forward: GMT -> BST
AUTUMN = date(2026, 10, 25)  # clocks back: BST -> GMT
CASES = [
    (SPRING, datetime(2027, 3, 28, 9, tzinfo=UTC)),
    (AUTUMN, datetime(2026, 10, 25, 10, tzinfo=UTC)),
]


def test_uk_moment_gives_the_right_instant_on_both_change_days():
    for day, instant in CASES:
        assert uk_moment(day, time(10)) == instant
        assert uk_parts(instant) == (day, time(10))


@pytest.mark.parametrize(
    "day, at, words",
    [
        (SPRING, time(1, 30), "does not happen"),
        (AUTUMN, time(1, 30), "happens twice"),
    ],
)
def test_times_the_clocks_skip_or_repeat_are_refused(day, at, words):
    with pytest.raises(NotOnTheClock, match=words):
        uk_moment(day, at)


@pytest.mark.parametrize("day, instant", CASES)
def test_the_page_the_email_and_the_calendar_say_ten_oclock(
    client, catalogue, clock, mailoutbox, django_capture_on_commit_callbacks, day, instant
):
    clock.set(instant - timedelta(days=60))
    session = make_session(catalogue, starts_at=uk_moment(day, time(10)), title="Clock change")
    assert session.starts_at == instant

    html = client.get(session.webinar.url).content.decode()
    assert f"Sunday {day.day} {day:%B} {day.year}, 10:00</time> to 11:00" in html
    assert f'datetime="{instant.astimezone(UK).isoformat()}"' in html

    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.register(session=session, user=learner)
    (message,) = mailoutbox
    assert f"Sunday {day.day} {day:%B} {day.year} at 10:00" in message.subject
    assert "to 11:00, UK time" in message.body

    method, calendar = calendar_part(message)
    event = the_event(calendar)
    raw = calendar.to_ical().decode()
    assert f"DTSTART;TZID=Europe/London:{day:%Y%m%d}T100000" in raw
    assert f"DTEND;TZID=Europe/London:{day:%Y%m%d}T110000" in raw
    assert event.decoded("dtstart").astimezone(UTC) == instant
    assert event.decoded("dtend").astimezone(UTC) == instant + timedelta(hours=1)
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/London"
    # The zone's own rules put the entry at the right instant, read by a calendar that knows
    # nothing but the file.
    tz = zone.to_tz()
    local = datetime(day.year, day.month, day.day, 10, tzinfo=tz)
    assert local.astimezone(UTC) == instant


def test_moving_a_session_across_the_change_keeps_ten_oclock(catalogue, clock):
    """Moved from a Saturday in GMT to the Sunday the clocks go forward: the UK time typed is
    the one kept, and the instant moves by 23 hours, not 24."""
    clock.set(datetime(2027, 1, 10, 12, tzinfo=UTC))
    session = make_session(catalogue, starts_at=uk_moment(date(2027, 3, 27), time(10)))
    form = SessionMoveForm(
        {"day": "2027-03-28", "time": "10:00", "duration_minutes": "60", "reason": "A clash."}
    )
    assert form.is_valid(), form.errors
    moved = services.move_session(
        session=session,
        starts_at=form.cleaned_data["starts_at"],
        duration_minutes=60,
        reason="A clash.",
        by=None,
    )
    assert moved.starts_at == CASES[0][1]
    assert moved.starts_at - datetime(2027, 3, 27, 10, tzinfo=UTC) == timedelta(hours=23)


def test_a_form_refuses_a_time_the_clocks_skip(clock):
    clock.set(datetime(2027, 1, 10, 12, tzinfo=UTC))
    form = SessionMoveForm(
        {"day": "2027-03-28", "time": "01:30", "duration_minutes": "60", "reason": "A clash."}
    )
    assert not form.is_valid()
    assert "does not happen on 28 March 2027" in form.errors["time"][0]


def test_the_calendar_of_a_cancellation_names_the_same_event(
    catalogue, clock, mailoutbox, django_capture_on_commit_callbacks
):
    clock.set(datetime(2026, 9, 1, 12, tzinfo=UTC))
    session = make_session(catalogue, starts_at=uk_moment(AUTUMN, time(10)))
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(session=session, user=learner)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=registration)
    request, cancel = (calendar_part(message) for message in mailoutbox)
    assert (request[0], cancel[0]) == ("REQUEST", "CANCEL")
    assert the_event(request[1])["UID"] == the_event(cancel[1])["UID"] == str(session.uid)
    assert the_event(cancel[1])["STATUS"] == "CANCELLED"
    assert Calendar.from_ical(cancel[1].to_ical())["METHOD"] == "CANCEL"
    assert Registration.objects.get().status == Registration.Status.CANCELLED
