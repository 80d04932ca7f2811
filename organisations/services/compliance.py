"""Keeping the trained spans (models.TrainedSpan) true.

A person's spans depend only on their certificates, their cycles of assignments and their
memberships, and none of those stops counting without a row saying when (an expiry, a due
date), so spans written after a change stay right until the next change. Every change
refreshes the person's spans in its own transaction: saving or deleting a certificate, a cycle
or a membership by its model signal (receivers.py), and the services that write cycles in bulk
by calling `refresh_trained_spans` themselves. `rebuild_trained_spans` redoes everyone, nightly
and after rows were written around the services (the random data, the demo).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import F

from academy.models import Membership
from certificates.models import Certificate

from ..models import PersonalAssignment, TrainedSpan
from ..training import CERTIFICATE_FIELDS, CYCLE_FIELDS, trained_spans

REBUILD_BATCH = 2000


# No savepoint: a refresh runs inside the change that called for it, and fails with it.
@transaction.atomic(savepoint=False)
def refresh_trained_spans(*, user_ids) -> int:
    """Write again the spans of every membership of these people, in five queries whatever
    their number (one, for people who belong to no organisation). Their memberships are locked
    first, so two refreshes of one person write one set of spans. Returns how many spans there
    are now."""
    user_ids = set(user_ids)
    if not user_ids:
        return 0
    memberships = list(
        Membership.objects.select_for_update()
        .filter(user_id__in=user_ids)
        .order_by("pk")
        .values("pk", "user_id", "organisation_id", "joined_at", "left_at")
    )
    if not memberships:
        return 0
    certificates = defaultdict(list)
    for certificate in Certificate.objects.filter(learner_id__in=user_ids).values(
        *CERTIFICATE_FIELDS
    ):
        certificates[certificate["learner_id"]].append(certificate)
    cycles = defaultdict(lambda: defaultdict(list))  # (user, organisation) -> assignment -> cycles
    for cycle in (
        PersonalAssignment.objects.filter(user_id__in=user_ids)
        .order_by("cycle")
        .values(
            *CYCLE_FIELDS,
            organisation_id=F("assignment__organisation_id"),
            withdrawn_at=F("assignment__withdrawn_at"),
        )
    ):
        cycles[(cycle["user_id"], cycle["organisation_id"])][cycle["assignment_id"]].append(cycle)

    spans = [
        TrainedSpan(membership_id=membership["pk"], starts_at=starts_at, ends_at=ends_at)
        for membership in memberships
        for starts_at, ends_at in trained_spans(
            joined_at=membership["joined_at"],
            left_at=membership["left_at"],
            certificates=certificates[membership["user_id"]],
            assignments=list(
                cycles[(membership["user_id"], membership["organisation_id"])].values()
            ),
        )
    ]
    TrainedSpan.objects.filter(membership_id__in=[m["pk"] for m in memberships]).delete()
    TrainedSpan.objects.bulk_create(spans)
    return len(spans)


def rebuild_trained_spans(*, log=lambda message: None) -> int:
    """Refresh every member's spans, a batch of people per transaction (nightly, and after rows
    were written around the services). Returns how many spans there are."""
    user_ids = sorted(set(Membership.objects.values_list("user_id", flat=True)))
    written = 0
    for start in range(0, len(user_ids), REBUILD_BATCH):
        written += refresh_trained_spans(user_ids=user_ids[start : start + REBUILD_BATCH])
        log(f"{min(start + REBUILD_BATCH, len(user_ids))} of {len(user_ids)} people")
    return written
