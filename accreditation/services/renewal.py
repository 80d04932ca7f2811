"""Renewing an accreditation: once its renewal window is open and the candidate has logged the
CPD each year of the period asks and met again what renewal needs, the candidacy starts its
next period, once, and the certificates app is told (signals.renewal_met)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from academy.audit import record

from .. import selectors
from ..models import Candidacy
from ..signals import renewal_met


@transaction.atomic
def check_renewal(*, candidacy: Candidacy, now=None) -> bool:
    """Renew the candidacy if it is due and everything renewal needs is met; True if this call
    renewed it. The row lock makes two triggers at the same moment renew it once."""
    candidacy = (
        Candidacy.objects.select_for_update()
        .select_related("programme", "version", "candidate")
        .get(pk=candidacy.pk)
    )
    status = selectors.renewal_status(candidacy=candidacy, now=now)
    if status is None or not status.ready:
        return False
    candidacy.cycle += 1
    candidacy.cycle_started_at = status.now
    candidacy.lapsed_at = None
    candidacy.save(update_fields=["cycle", "cycle_started_at", "lapsed_at"])
    record(
        actor=None,
        action="candidacy.renewed",
        target=candidacy,
        reason="CPD and renewal requirements met",
        cycle=candidacy.cycle,
    )
    renewal_met.send(sender=Candidacy, candidacy=candidacy)
    return True


def check_renewals_for(*, person) -> None:
    """Check the renewal of each of the person's accreditations (after they logged CPD or met a
    requirement)."""
    for candidacy in Candidacy.objects.filter(candidate=person, status=Candidacy.Status.AWARDED):
        check_renewal(candidacy=candidacy)


def check_renewals_for_people(*, person_ids) -> None:
    """check_renewals_for, for many people at once (everyone who attended a session): one
    query finds those with an accreditation to renew."""
    for candidacy in Candidacy.objects.filter(
        candidate_id__in=list(person_ids), status=Candidacy.Status.AWARDED
    ):
        check_renewal(candidacy=candidacy)


def check_due_renewals(*, now=None) -> int:
    """The daily sweep: renew every accreditation whose window has opened and whose needs were
    met before it opened (nothing else would trigger it). Returns how many it renewed."""
    now = now or timezone.now()
    # The shortest period is a year: nothing that started less than nine months ago is open.
    started_before = now - timedelta(days=365 - selectors.RENEWAL_WINDOW_DAYS)
    due = Candidacy.objects.filter(
        status=Candidacy.Status.AWARDED, cycle_started_at__lte=started_before
    )
    return sum(check_renewal(candidacy=candidacy, now=now) for candidacy in due)


def record_lapses(*, now=None) -> int:
    """Record, once each, the accreditations whose period ended without renewal: the audit log
    keeps when and why. Returns how many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    ended_before = now - timedelta(days=365)  # the shortest period is a year
    for candidacy in Candidacy.objects.filter(
        status=Candidacy.Status.AWARDED,
        lapsed_at__isnull=True,
        cycle_started_at__lte=ended_before,
    ).select_related("version"):
        lapsed += _record_lapse(candidacy=candidacy, now=now)
    return lapsed


@transaction.atomic
def _record_lapse(*, candidacy: Candidacy, now) -> bool:
    candidacy = Candidacy.objects.select_for_update().select_related("version").get(pk=candidacy.pk)
    status = selectors.renewal_status(candidacy=candidacy, now=now)
    if candidacy.lapsed_at is not None or status is None or not status.has_lapsed:
        return False
    candidacy.lapsed_at = status.expires_at
    candidacy.save(update_fields=["lapsed_at"])
    record(
        actor=None,
        action="candidacy.lapsed",
        target=candidacy,
        reason="Not renewed by the end of its period",
        cycle=candidacy.cycle,
        period_ended=status.expires_at.isoformat(),
    )
    return True
