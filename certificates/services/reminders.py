"""Expiry reminders: which are due, and sending one once."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accreditation import selectors as accreditation_selectors

from .. import emails, selectors
from ..models import Certificate, ExpiryReminder
from ..validity import REMINDER_DAYS
from ._common import current_and_active
from .renewal import renewal_course, renewal_opens


def due_expiry_reminders(*, now=None) -> list[tuple[int, int]]:
    """(certificate id, days before) for each reminder due now.

    A certificate is due the smallest threshold its expiry falls within, unless it was already
    reminded at that threshold or a smaller one. A reminder missed while nothing ran is not sent
    late once a smaller threshold is due: the learner gets the nearer one instead.
    """
    now = now or timezone.now()
    due = []
    previous = 0
    for days in sorted(REMINDER_DAYS):
        window = Certificate.objects.filter(
            superseded_at__isnull=True,
            status=Certificate.Status.ACTIVE,
            valid_until__gt=now + timedelta(days=previous),
            valid_until__lte=now + timedelta(days=days),
        ).exclude(expiry_reminders__days_before__lte=days)
        renewed = selectors.later_cycles(
            learner=OuterRef("learner"), award=OuterRef("award"), cycle=OuterRef("cycle")
        )
        window = window.exclude(Exists(renewed))  # the next cycle's reminders take over
        due += [(pk, days) for pk in window.values_list("pk", flat=True)]
        previous = days
    return due


def send_expiry_reminder(*, certificate: Certificate, days_before: int, now=None) -> bool:
    """E-mail one expiry reminder unless it (or a nearer one) was already sent, or the
    certificate was renewed since the reminder was queued. True if sent.

    Same order as the certificate e-mail: lock, send, record, in one transaction.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.expiry_reminders.filter(days_before__lte=days_before).exists():
            return False
        if not current_and_active(locked) or locked.valid_until is None:
            return False
        if locked.valid_until <= now:
            return False
        renewed = selectors.later_cycles(
            learner=locked.learner_id, award=locked.award_id, cycle=locked.cycle
        )
        if renewed.exists():
            return False
        course = renewal_course(certificate=locked)
        emails.expiry_reminder_message(
            certificate=locked,
            learner=locked.learner,
            now=now,
            course=course,
            renew_from=renewal_opens(certificate=locked) if course else None,
            candidacy=_candidacy_renewing(locked),
        ).send()
        ExpiryReminder.objects.create(certificate=locked, days_before=days_before, sent_at=now)
    return True


def _candidacy_renewing(certificate: Certificate):
    """The candidacy an accreditation certificate belongs to (whose page says what renewal still
    needs), or None for any other certificate."""
    if certificate.award.programme_id is None:
        return None
    return accreditation_selectors.active_candidacy(
        person=certificate.learner, programme=certificate.award.programme
    )
