"""Which of an organisation's current staff registered for and attended each webinar session,
read through the courses app's selectors. Only current memberships count, as everywhere here."""

from dataclasses import dataclass

from academy.models import Membership, Organisation
from courses import selectors as course_selectors

from .people import _current_members

SESSIONS_PER_PAGE = 25


def staff_sessions(*, organisation: Organisation):
    """The sessions any current member registered for or attended, latest first, with how many
    of them have a place, are waiting and attended. One query (two with a paginator)."""
    return course_selectors.sessions_with_people(
        people=_current_members(organisation).values("user_id")
    )


@dataclass(frozen=True)
class StaffAtSession:
    """A current member at a session: their membership (team, tier), registration and
    attendance (course_selectors.RegisterRow)."""

    membership: Membership
    row: object

    @property
    def person(self):
        return self.membership.user


def session_staff(*, organisation: Organisation, session) -> list[StaffAtSession]:
    """Each current member who registered for the session or attended it, in the register's
    order (places, waiting list, cancelled, came without registering). Three queries."""
    members = _current_members(organisation)
    rows = course_selectors.register_rows(session=session, people=members.values("user_id"))
    memberships = {
        membership.user_id: membership
        for membership in members.filter(user_id__in=[row.user.pk for row in rows]).select_related(
            "user"
        )
    }
    return [
        StaffAtSession(membership=memberships[row.user.pk], row=row)
        for row in rows
        if row.user.pk in memberships
    ]
