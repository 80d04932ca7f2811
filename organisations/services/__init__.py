"""Every state change of the organisations app; one module per part, re-exported here.

- assignments: assigning training, following people in and out, meeting it, the nightly
  reconciliation
- reminders: the e-mails before and after the due date
"""

from .assignments import (
    MAX_NEW_STARTERS_DAYS,
    MAX_REPEAT_MONTHS,
    REPEAT_CHOICES,
    Item,
    add_months,
    assignable_items,
    change_due_date,
    create_assignment,
    first_counts_from,
    follow_membership,
    meet_assignments,
    refresh_met,
    withdraw_assignment,
)
from .reminders import BEFORE, DAYS_BEFORE, OVERDUE, due_reminders, send_reminder

__all__ = [
    "BEFORE",
    "DAYS_BEFORE",
    "MAX_NEW_STARTERS_DAYS",
    "MAX_REPEAT_MONTHS",
    "OVERDUE",
    "REPEAT_CHOICES",
    "Item",
    "add_months",
    "assignable_items",
    "change_due_date",
    "create_assignment",
    "due_reminders",
    "first_counts_from",
    "follow_membership",
    "meet_assignments",
    "refresh_met",
    "send_reminder",
    "withdraw_assignment",
]
