"""Assignment reminders: one e-mail 14 days before the due date (at once when it is due sooner),
one once it has passed; each sent once per person and cycle.

Same order as the certificate reminders (certificates/services/reminders.py): lock the row,
check again, send, record the time, in one transaction, so a second run or a second worker sends
nothing twice."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from academy.models import Membership

from .. import emails
from ..models import PersonalAssignment

DAYS_BEFORE = 14
BEFORE = "before"
OVERDUE = "overdue"


def _reminder_field(kind: str) -> str:
    return {BEFORE: "reminded_before_at", OVERDUE: "reminded_overdue_at"}[kind]


def _remindable():
    """Open rows of assignments in force whose person is still in the organisation."""
    still_member = Membership.objects.current().filter(
        user=OuterRef("user"), organisation=OuterRef("assignment__organisation")
    )
    return PersonalAssignment.objects.filter(
        Exists(still_member),
        met_at__isnull=True,
        ended_at__isnull=True,
        assignment__withdrawn_at__isnull=True,
    )


def _due_filter(kind: str, today: datetime.date) -> Q:
    if kind == BEFORE:
        # Not once it is overdue: then the overdue reminder says more.
        return Q(
            reminded_before_at__isnull=True,
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=DAYS_BEFORE),
        )
    return Q(reminded_overdue_at__isnull=True, due_on__lt=today)


def due_reminders(*, assignment_id: int | None = None, today=None) -> list[tuple[int, str]]:
    """(personal assignment id, "before" or "overdue") for each reminder due today, in two
    queries; `assignment_id` keeps to one assignment's rows."""
    today = today or timezone.localdate()
    due = []
    for kind in (BEFORE, OVERDUE):
        rows = _remindable().filter(_due_filter(kind, today))
        if assignment_id is not None:
            rows = rows.filter(assignment_id=assignment_id)
        due += [(pk, kind) for pk in rows.order_by("pk").values_list("pk", flat=True)]
    return due


def send_reminder(*, personal_assignment_id: int, kind: str, now=None) -> bool:
    """E-mail one reminder unless it was sent already or no longer applies (met, ended,
    withdrawn, the person left, the date moved). True if sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        row = (
            _remindable()
            .filter(_due_filter(kind, today), pk=personal_assignment_id)
            .select_for_update(of=("self",))
            .select_related(
                "user",
                "assignment__organisation",
                "assignment__course",
                "assignment__webinar",
                "assignment__programme",
            )
            .first()
        )
        if row is None:
            return False
        emails.reminder_message(
            personal_assignment=row, overdue=kind == OVERDUE, today=today
        ).send()
        setattr(row, _reminder_field(kind), now)
        row.save(update_fields=[_reminder_field(kind)])
    return True
