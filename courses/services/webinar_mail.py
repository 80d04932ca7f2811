"""The e-mails about webinar registrations, each sent once.

A sending function locks the registration's row, checks that its e-mail is still due and still
true (the person may have cancelled, the session may have moved), sends it and records that it
went, all in one transaction: a task run twice, or queued again by the sweep, sends nothing
twice. Reminders are claimed the other way round, by the beat: it sets the reminder's timestamp
under the lock and queues the e-mail on commit, so two beats never claim the same reminder.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from academy.queueing import enqueue

from .. import emails
from ..models import Registration
from .recordings import NOTICE_TASK, unsent_notice_recordings

PLACE, WAITING, CANCELLED = (
    Registration.Status.PLACE,
    Registration.Status.WAITING,
    Registration.Status.CANCELLED,
)
TAKEN = (PLACE, WAITING)

SESSION_CHANGE_TASK = "courses.tasks.send_session_change"
REMINDER_TASK = "courses.tasks.send_reminder"

# Each reminder: due from `lead` before the start until `until` before it (then the next one
# has taken over), and the column that records it was claimed.
REMINDERS = {
    emails.REMINDER_DAY: (timedelta(hours=24), timedelta(hours=1), "reminded_day_before_at"),
    emails.REMINDER_HOUR: (timedelta(hours=1), timedelta(0), "reminded_hour_before_at"),
}


def _locked(registration_id: int) -> Registration | None:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("session__webinar", "user")
        .filter(pk=registration_id)
        .first()
    )


def waiting_position(registration: Registration) -> int:
    """Their place in the queue: 1 for the next to get a place."""
    ahead = Registration.objects.filter(session_id=registration.session_id, status=WAITING).filter(
        Q(registered_at__lt=registration.registered_at)
        | Q(registered_at=registration.registered_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def send_confirmation(*, registration_id: int) -> bool:
    """Confirm the registration as it stands now: a place, or a place on the waiting list. A
    place confirmed here needs no "a place has come up" as well. True if sent."""
    with transaction.atomic():
        registration = _locked(registration_id)
        if (
            registration is None
            or registration.confirmation_sent_at is not None
            or registration.status not in TAKEN
            or registration.session.is_cancelled  # the cancellation notice tells them
            # A task retried after the session began would confirm a place at something past.
            or registration.session.starts_at <= timezone.now()
        ):
            return False
        has_place = registration.status == PLACE
        emails.registration_message(
            kind=emails.PLACE if has_place else emails.WAITING,
            registration=registration,
            waiting_position=None if has_place else waiting_position(registration),
        ).send()
        now = timezone.now()
        registration.confirmation_sent_at = now
        if has_place:
            registration.place_given_sent_at = registration.place_given_sent_at or now
        registration.told_sequence = registration.session.sequence
        registration.save(
            update_fields=["confirmation_sent_at", "place_given_sent_at", "told_sequence"]
        )
    return True


def send_place_given(*, registration_id: int) -> bool:
    """Tell someone from the waiting list that a place is theirs, with the calendar entry
    confirmed. Left to the confirmation when that has not gone yet. True if sent."""
    with transaction.atomic():
        registration = _locked(registration_id)
        if (
            registration is None
            or registration.place_given_sent_at is not None
            or registration.confirmation_sent_at is None
            or registration.status != PLACE
            or registration.session.is_cancelled
        ):
            return False
        emails.registration_message(kind=emails.PLACE_GIVEN, registration=registration).send()
        registration.place_given_sent_at = timezone.now()
        registration.told_sequence = registration.session.sequence
        registration.save(update_fields=["place_given_sent_at", "told_sequence"])
    return True


def _registered_again():
    """The person has a live registration for the same session again."""
    return Exists(
        Registration.objects.filter(
            session_id=OuterRef("session_id"), user_id=OuterRef("user_id"), status__in=TAKEN
        )
    )


def send_cancellation(*, registration_id: int) -> bool:
    """Confirm the person's own cancellation, with the calendar entry withdrawn. Not sent once
    they have registered for the session again: the withdrawal would take the new entry (same
    UID) out of their calendar. True if sent."""
    with transaction.atomic():
        registration = _locked(registration_id)
        if (
            registration is None
            or registration.cancellation_sent_at is not None
            or registration.status != CANCELLED
            or Registration.objects.filter(
                session_id=registration.session_id, user_id=registration.user_id, status__in=TAKEN
            ).exists()
        ):
            return False
        emails.registration_message(kind=emails.CANCELLED, registration=registration).send()
        registration.cancellation_sent_at = timezone.now()
        registration.told_sequence = registration.session.sequence
        registration.save(update_fields=["cancellation_sent_at", "told_sequence"])
    return True


def send_session_change(
    *, registration_id: int, sequence: int | None = None, previous: str = "", reason: str = ""
) -> bool:
    """Tell a person with a place or on the list that the session moved (an updated calendar
    entry) or was cancelled (its withdrawal), unless they know already. `sequence` is the
    change's: a later change supersedes it and its own task tells them. `previous` (ISO 8601)
    and `reason` come from the move. True if sent."""
    with transaction.atomic():
        registration = _locked(registration_id)
        if registration is None or registration.status not in TAKEN:
            return False
        session = registration.session
        if registration.told_sequence >= session.sequence:
            return False
        if sequence is not None and sequence < session.sequence:
            return False
        if session.is_cancelled:
            kind = emails.SESSION_CANCELLED
        elif registration.confirmation_sent_at is None:
            return False  # the confirmation, still to go, gives the time as it is now
        else:
            kind = emails.MOVED
        emails.registration_message(
            kind=kind,
            registration=registration,
            previous_starts_at=datetime.fromisoformat(previous) if previous else None,
            reason=reason,
        ).send()
        registration.told_sequence = session.sequence
        registration.save(update_fields=["told_sequence"])
    return True


def queue_session_change(*, session, previous: str = "", reason: str = "") -> None:
    """After a move or cancellation commits, queue the e-mail to everyone with a place or on the
    waiting list."""
    ids = list(
        Registration.objects.filter(session=session, status__in=TAKEN).values_list("pk", flat=True)
    )
    sequence = session.sequence

    def queue():
        for pk in ids:
            enqueue(SESSION_CHANGE_TASK, pk, sequence, previous, reason)

    if ids:
        transaction.on_commit(queue)


# Reminders ----------------------------------------------------------------------------------


@transaction.atomic
def queue_reminders(*, now: datetime | None = None) -> int:
    """Claim every reminder due and queue its e-mail once this commits; returns how many.

    Only for places held before the reminder's moment: someone given a place later has just
    been told. A reminder missed while the beat was down is not sent late once the next one is
    due."""
    now = now or timezone.now()
    claimed: list[tuple[int, str]] = []
    for kind, (lead, until, field) in REMINDERS.items():
        due = Registration.objects.select_for_update(of=("self",)).filter(
            status=PLACE,
            session__cancelled_at__isnull=True,
            session__starts_at__gt=now + until,
            session__starts_at__lte=now + lead,
            placed_at__lte=F("session__starts_at") - lead,
            **{f"{field}__isnull": True},
        )
        ids = list(due.order_by("pk").values_list("pk", flat=True))
        Registration.objects.filter(pk__in=ids).update(**{field: now})
        claimed += [(pk, kind) for pk in ids]

    def queue():
        for pk, kind in claimed:
            enqueue(REMINDER_TASK, pk, kind)

    if claimed:
        transaction.on_commit(queue)
    return len(claimed)


def send_reminder(*, registration_id: int, kind: str) -> bool:
    """Send a reminder the beat claimed, if it still holds (the place kept, the session on and
    not started). True if sent."""
    registration = (
        Registration.objects.select_related("session__webinar", "user")
        .filter(pk=registration_id, status=PLACE)
        .first()
    )
    if (
        registration is None
        or kind not in REMINDERS
        or registration.session.is_cancelled
        or registration.session.starts_at <= timezone.now()
    ):
        return False
    emails.registration_message(kind=kind, registration=registration).send()
    return True


# The sweep ------------------------------------------------------------------------------------


def unsent_emails(*, now: datetime | None = None) -> dict[str, list[int]]:
    """The registrations whose e-mail was never sent (its task not queued, the broker down, or
    lost), by task, for sessions still to come. Work younger than the grace period is left to
    its task, which may still be queued."""
    now = now or timezone.now()
    grace = now - timedelta(minutes=settings.ACADEMY_SWEEP_GRACE_MINUTES)
    coming = Registration.objects.filter(session__starts_at__gt=now)
    live = coming.filter(status__in=TAKEN, session__cancelled_at__isnull=True)
    found = {
        "courses.tasks.send_confirmation": live.filter(
            confirmation_sent_at__isnull=True, registered_at__lt=grace
        ),
        "courses.tasks.send_place_given": live.filter(
            status=PLACE,
            place_given_sent_at__isnull=True,
            confirmation_sent_at__isnull=False,
            placed_at__lt=grace,
        ),
        "courses.tasks.send_cancellation": coming.filter(
            status=CANCELLED, cancellation_sent_at__isnull=True, cancelled_at__lt=grace
        )
        .annotate(again=_registered_again())
        .filter(again=False),
        SESSION_CHANGE_TASK: coming.filter(
            Q(session__cancelled_at__isnull=False) | Q(confirmation_sent_at__isnull=False),
            status__in=TAKEN,
            told_sequence__lt=F("session__sequence"),
        ),
    }
    return {
        task: list(rows.order_by("pk").values_list("pk", flat=True)) for task, rows in found.items()
    }


def sweep_unsent_emails(*, now: datetime | None = None) -> int:
    """Queue again every e-mail about a registration that never went, and the task of each
    recording with people still to be told; returns how many tasks were queued."""
    found = unsent_emails(now=now)
    found[NOTICE_TASK] = unsent_notice_recordings(now=now)
    for task, ids in found.items():
        for pk in ids:
            enqueue(task, pk)
    return sum(len(ids) for ids in found.values())
