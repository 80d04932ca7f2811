"""Every state change of the organisations app; one module per part, re-exported here.

- assignments: assigning training, following people in and out, meeting it, the nightly
  reconciliation
- compliance: keeping each member's trained spans, which the compliance figures count
- reminders: the e-mails before and after the due date
- invitations: inviting staff one by one or from a file, and accepting
- people: a manager's view of a person's record (audited), their tier, and people leaving
- privacy: the organisations app's part of erasing a person
"""

from ..invitation_file import InvitationFileError
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
    meet_assignments_of_many,
    refresh_met,
    withdraw_assignment,
)
from .compliance import rebuild_trained_spans, refresh_trained_spans
from .invitations import (
    InvitationCounts,
    accept_invitation,
    accept_url,
    check_usable,
    email_matches,
    find_invitation,
    has_account,
    hash_token,
    invite,
    invite_from_file,
    resend_invitation,
    send_invitation,
    sweep_unsent_invitations,
    withdraw_invitation,
)
from .people import change_tier, leave, leaving_moment, record_leaving, record_viewing
from .privacy import erase_personal_data
from .reminders import BEFORE, DAYS_BEFORE, OVERDUE, due_reminders, send_reminder

__all__ = [
    "change_tier",
    "leave",
    "leaving_moment",
    "record_leaving",
    "record_viewing",
    "rebuild_trained_spans",
    "refresh_trained_spans",
    "BEFORE",
    "DAYS_BEFORE",
    "MAX_NEW_STARTERS_DAYS",
    "MAX_REPEAT_MONTHS",
    "OVERDUE",
    "REPEAT_CHOICES",
    "InvitationCounts",
    "InvitationFileError",
    "Item",
    "accept_invitation",
    "accept_url",
    "add_months",
    "assignable_items",
    "change_due_date",
    "check_usable",
    "create_assignment",
    "due_reminders",
    "email_matches",
    "erase_personal_data",
    "find_invitation",
    "first_counts_from",
    "follow_membership",
    "has_account",
    "hash_token",
    "invite",
    "invite_from_file",
    "meet_assignments",
    "meet_assignments_of_many",
    "refresh_met",
    "resend_invitation",
    "send_invitation",
    "send_reminder",
    "sweep_unsent_invitations",
    "withdraw_assignment",
    "withdraw_invitation",
]
