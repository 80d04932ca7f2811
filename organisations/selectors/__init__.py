"""Reads for the organisations app's pages, each in a fixed number of queries whatever the rows;
one module per part, re-exported here, so callers write `from organisations import selectors`.

- assignments: an organisation's assignments with their counts, where each person stands, and a
  learner's own assignments for the dashboard
- people: the organisation home's figures and staff list, and one person's record
- privacy: a person's invitations and assignments for their download of their data
- compliance: the compliance view's figures, gaps and trend, and its exports' rows
- webinars: which of the staff registered for and attended each webinar session
"""

from .assignments import (
    MET,
    OVERDUE,
    TO_DO,
    LearnerAssignment,
    PersonStanding,
    assignment_of,
    assignments_with_counts,
    learner_assignments,
    members_to_choose,
    standings,
)
from .compliance import (
    Compliance,
    ExpectationRow,
    Filters,
    Person,
    PrincipleRow,
    TierRow,
    TrendPoint,
    add_months,
    compliance,
    framework_for,
    frameworks,
    month_start,
)
from .people import (
    ENDED,
    IN_PROGRESS,
    NOT_STARTED,
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
from .privacy import personal_data
from .webinars import SESSIONS_PER_PAGE, StaffAtSession, session_staff, staff_sessions

__all__ = [
    "Compliance",
    "ExpectationRow",
    "Filters",
    "Person",
    "PrincipleRow",
    "TierRow",
    "TrendPoint",
    "add_months",
    "compliance",
    "framework_for",
    "frameworks",
    "month_start",
    "ENDED",
    "IN_PROGRESS",
    "MET",
    "NOT_STARTED",
    "OVERDUE",
    "SESSIONS_PER_PAGE",
    "STAFF_PER_PAGE",
    "TO_DO",
    "AttemptResult",
    "Figures",
    "LearnerAssignment",
    "PersonRecord",
    "PersonStanding",
    "Progress",
    "StaffAtSession",
    "StaffRow",
    "StaffStatus",
    "assignment_of",
    "assignments_with_counts",
    "figures",
    "item_title",
    "learner_assignments",
    "member",
    "members_to_choose",
    "person_record",
    "session_staff",
    "personal_data",
    "staff",
    "staff_rows",
    "staff_sessions",
    "standings",
    "teams",
]
