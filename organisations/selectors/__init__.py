"""Read paths of the organisations app, one module per job; this facade re-exports their public
names, so callers write `from organisations import selectors`.

- people: the organisation home's figures and staff list, and one person's record
"""

from .people import (
    ENDED,
    IN_PROGRESS,
    MET,
    NOT_STARTED,
    OVERDUE,
    STAFF_PER_PAGE,
    AttemptResult,
    Figures,
    PersonRecord,
    Progress,
    StaffRow,
    StaffStatus,
    figures,
    item_title,
    member,
    person_record,
    staff,
    staff_rows,
    teams,
)

__all__ = [
    "ENDED",
    "IN_PROGRESS",
    "MET",
    "NOT_STARTED",
    "OVERDUE",
    "STAFF_PER_PAGE",
    "AttemptResult",
    "Figures",
    "PersonRecord",
    "Progress",
    "StaffRow",
    "StaffStatus",
    "figures",
    "item_title",
    "member",
    "person_record",
    "staff",
    "staff_rows",
    "teams",
]
