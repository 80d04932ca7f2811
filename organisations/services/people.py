"""What managers change about their people, and people leaving: each through academy.services,
which owns memberships, with the organisation's own audit entries beside its."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from academy import audit
from academy import services as people
from academy.models import Membership, RoleTier

from ..errors import OrganisationError


def record_viewing(*, viewer, membership: Membership) -> None:
    """Audits that `viewer` opened the person's record in the organisation (the issue's privacy
    rule: looking at someone's learning is itself on the record)."""
    audit.record(
        actor=viewer,
        action="learner_record.viewed",
        target=membership.user,
        organisation=membership.organisation_id,
    )


@transaction.atomic
def change_tier(*, membership: Membership, role_tier: str, by) -> Membership:
    """Moves a current member to another role tier; what tier assignments follow moves with
    them (the organisations listeners). Audited when it changes anything."""
    if role_tier not in RoleTier.values:
        raise OrganisationError("Choose one of the role tiers.")
    before = membership.role_tier
    try:
        membership = people.change_role_tier(membership=membership, role_tier=role_tier)
    except people.PeopleError as error:
        raise OrganisationError(str(error)) from error
    if before != role_tier:
        audit.record(
            actor=by,
            action="membership.tier_changed",
            target=membership,
            organisation=membership.organisation_id,
            user=membership.user_id,
            before=before,
            after=role_tier,
        )
    return membership


def leaving_moment(*, membership: Membership, left_on: date, now=None) -> datetime:
    """The moment a leaving on `left_on` takes effect: now when it is today, otherwise the start
    of that day (but never before they joined). Refuses a day to come or before they joined."""
    now = now or timezone.now()
    if left_on > timezone.localdate(now):
        raise OrganisationError("The leaving date must be today or in the past.")
    joined_on = timezone.localdate(membership.joined_at)
    if left_on < joined_on:
        raise OrganisationError(
            f"{membership.user} joined on {joined_on.day} {joined_on:%B %Y}: the leaving date must "
            "be on or after that day."
        )
    if left_on == timezone.localdate(now):
        return now
    start = timezone.make_aware(datetime.combine(left_on, time.min))
    return max(start, membership.joined_at)


@transaction.atomic
def record_leaving(*, membership: Membership, left_on: date, reason: str, by) -> Membership:
    """A manager records that someone left the organisation on `left_on`, and why. From then
    the organisation no longer sees them; they keep their learning and certificates. Managers
    cannot record their own leaving: another manager, or an administrator, does."""
    if membership.user_id == by.pk:
        raise OrganisationError("You cannot record that you left: ask another manager.")
    if not reason.strip():
        raise OrganisationError("Say why you are recording that they left.")
    return _end(membership=membership, left_on=left_on, by=by, reason=reason.strip())


@transaction.atomic
def leave(*, membership: Membership, left_on: date, person) -> Membership:
    """The person says they left an organisation on `left_on` (a learner who moved, before the
    old organisation recorded it). A manager's membership is ended by another manager, so that
    no organisation loses its managers by a click."""
    if membership.user_id != person.pk:
        raise OrganisationError("You can only say that you left an organisation yourself.")
    if membership.role == Membership.Role.MANAGER:
        raise OrganisationError(
            f"You manage {membership.organisation}: ask another manager there, or the Academy's "
            "administrators, to record that you left."
        )
    return _end(
        membership=membership,
        left_on=left_on,
        by=person,
        reason="The person said they had left.",
    )


def _end(*, membership: Membership, left_on: date, by, reason: str) -> Membership:
    if not membership.is_current:
        raise OrganisationError(f"{membership.user} has already left {membership.organisation}.")
    left_at = leaving_moment(membership=membership, left_on=left_on)
    try:
        return people.end_membership(membership=membership, left_at=left_at, by=by, reason=reason)
    except people.PeopleError as error:
        raise OrganisationError(str(error)) from error
