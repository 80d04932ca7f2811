"""Reads for the organisations app's pages, each in a fixed number of queries whatever the rows;
one module per part, re-exported here.

- assignments: an organisation's assignments with their counts, where each person stands, and a
  learner's own assignments for the dashboard
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

__all__ = [
    "MET",
    "OVERDUE",
    "TO_DO",
    "LearnerAssignment",
    "PersonStanding",
    "assignment_of",
    "assignments_with_counts",
    "learner_assignments",
    "members_to_choose",
    "standings",
]
