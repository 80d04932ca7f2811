"""When a member counts as trained to the Complaint Standards, worked out from plain rows, with
no queries: the rules the compliance figures rest on (docs/organisations.md, "Compliance and
exports").

A current member is **trained** at a moment when they hold a certificate valid then (issued,
not expired, revoked, suspended or superseded by then) or have met an assignment of the
organisation whose later cycles are not overdue then. Every rule holds from a moment on and
stops at a later one, so being trained is a run of spans between the moments where something
changed; `trained_spans` finds them, and organisations.services.compliance keeps them as rows.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from certificates.models import Certificate

CERTIFICATE_FIELDS = (
    "learner_id",
    "award_id",
    "issued_at",
    "valid_until",
    "status",
    "status_changed_at",
    "superseded_at",
)
CYCLE_FIELDS = ("user_id", "assignment_id", "cycle", "due_on", "created_at", "met_at", "ended_at")


def certificate_valid_at(certificate: dict, at: datetime) -> bool:
    """Issued by `at`, not expired, revoked, suspended or superseded by then."""
    return (
        certificate["issued_at"] <= at
        and (certificate["valid_until"] is None or at < certificate["valid_until"])
        and (
            certificate["status"] == Certificate.Status.ACTIVE
            or certificate["status_changed_at"] > at
        )
        and (certificate["superseded_at"] is None or certificate["superseded_at"] > at)
    )


def open_at(cycle: dict, at: datetime) -> bool:
    return (
        cycle["created_at"] <= at
        and (cycle["met_at"] is None or cycle["met_at"] > at)
        and (cycle["ended_at"] is None or cycle["ended_at"] > at)
    )


def overdue_from(due_on: date) -> datetime:
    """The moment a cycle due on `due_on` becomes overdue: midnight, UK time, as the day ends."""
    return timezone.make_aware(datetime.combine(due_on + timedelta(days=1), time.min))


def assignment_met_at(cycles: list[dict], at: datetime) -> bool:
    """Whether one person's cycles of one assignment show it met at `at`: a cycle met by then,
    and no later cycle open and overdue then."""
    withdrawn_at = cycles[0]["withdrawn_at"]  # the same for every cycle of one assignment
    if withdrawn_at is not None and withdrawn_at <= at:
        return False
    met = [
        c["cycle"]
        for c in cycles
        if c["met_at"] is not None
        and c["met_at"] <= at
        and (c["ended_at"] is None or c["ended_at"] > at)
    ]
    if not met:
        return False
    return not any(
        c["cycle"] > max(met) and open_at(c, at) and c["due_on"] < timezone.localdate(at)
        for c in cycles
    )


def trained_at(at: datetime, *, certificates: list[dict], assignments: list[list[dict]]) -> bool:
    """`assignments`: for each assignment of the organisation, the person's cycles of it."""
    return any(certificate_valid_at(c, at) for c in certificates) or any(
        assignment_met_at(cycles, at) for cycles in assignments
    )


def trained_spans(
    *,
    joined_at: datetime,
    left_at: datetime | None,
    certificates: list[dict],
    assignments: list[list[dict]],
) -> list[tuple[datetime, datetime | None]]:
    """The spans [start, end) of a membership in which its person was trained; end None: still
    trained, as far as anything known now says. Between two moments where a rule's answer may
    change, it cannot, so testing each such moment finds every span."""
    changes = {joined_at}
    for c in certificates:
        changes.update((c["issued_at"], c["valid_until"], c["superseded_at"]))
        if c["status"] != Certificate.Status.ACTIVE:
            changes.add(c["status_changed_at"])
    for cycles in assignments:
        for c in cycles:
            changes.update((c["created_at"], c["met_at"], c["ended_at"], c["withdrawn_at"]))
            changes.add(overdue_from(c["due_on"]))
    moments = sorted(
        m for m in changes if m is not None and m >= joined_at and (left_at is None or m < left_at)
    )
    spans = []
    start = None
    for moment in moments:
        trained = trained_at(moment, certificates=certificates, assignments=assignments)
        if trained and start is None:
            start = moment
        elif not trained and start is not None:
            spans.append((start, moment))
            start = None
    if start is not None:
        spans.append((start, left_at))
    return spans
