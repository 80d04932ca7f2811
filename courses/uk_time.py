"""Dates and times as people in the UK read a clock (Europe/London), for sessions entered in the
admin whatever time zone the trainer's own admin account is set to. No Django here."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


class NotOnTheClock(ValueError):
    """A time that the UK's clocks skip, or show twice, on that day."""


def uk_moment(day: date, at: time) -> datetime:
    """The moment the UK's clocks show `at` on `day`. Refused in the hour the clocks skip when
    they go forward (it never happens) and in the hour they show twice when they go back (it
    would be a guess which of the two is meant)."""
    naive = datetime.combine(day, at.replace(tzinfo=None))
    first = naive.replace(tzinfo=UK, fold=0)
    if first.astimezone(UTC).astimezone(UK).replace(tzinfo=None) != naive:
        raise NotOnTheClock(
            f"{at:%H:%M} does not happen on {day:%-d %B %Y}: the clocks go forward an hour that "
            "night. Choose another time."
        )
    if first.utcoffset() != naive.replace(tzinfo=UK, fold=1).utcoffset():
        raise NotOnTheClock(
            f"{at:%H:%M} happens twice on {day:%-d %B %Y}: the clocks go back an hour that night. "
            "Choose another time."
        )
    return first


def uk_parts(moment: datetime) -> tuple[date, time]:
    """The UK date and clock time of a moment, to fill in a form."""
    local = moment.astimezone(UK)
    return local.date(), local.time().replace(second=0, microsecond=0, tzinfo=None)
