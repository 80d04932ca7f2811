"""State changes for people: sign-up details, memberships and e-mail confirmation; the staff
groups' names."""

from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from . import audit, signals
from .models import Membership, Organisation, RoleTier, User
from .selectors import ERASED_NAME, erased_email


class PeopleError(Exception):
    """A rule about people or organisations was broken."""


TRAINERS = "Trainers"
ASSESSORS = "Assessors"
ADMINISTRATORS = "Academy administrators"
PROGRAMME_MANAGERS = "Programme managers"
INTERNAL_QUALITY_ASSURERS = "Internal quality assurers"
EXTERNAL_QUALITY_ASSURERS = "External quality assurers"
# PHSO staff who read the national figures and nothing else.
ANALYSTS = "Analysts"
STAFF_GROUPS = (
    TRAINERS,
    ASSESSORS,
    ADMINISTRATORS,
    PROGRAMME_MANAGERS,
    INTERNAL_QUALITY_ASSURERS,
    EXTERNAL_QUALITY_ASSURERS,
    ANALYSTS,
)


@transaction.atomic
def complete_signup(
    *, user: User, full_name: str, role_tier: str, organisation: Organisation
) -> Membership:
    user.full_name = full_name.strip()
    user.role_tier = role_tier
    user.save(update_fields=["full_name", "role_tier"])
    membership = Membership.objects.current().filter(user=user, organisation=organisation).first()
    if membership is None:
        membership = _start_membership(
            user=user, organisation=organisation, role=Membership.Role.LEARNER, role_tier=role_tier
        )
    return membership


@transaction.atomic
def add_member(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    team: str = "",
    role_tier: str | None = None,
    joined_at=None,
) -> Membership:
    """Makes `user` a current member of `organisation`, or updates their current membership's
    role, team and tier. `role_tier` defaults to the tier the person gave for themselves."""
    if role not in Membership.Role.values:
        raise PeopleError(f"Unknown membership role: {role!r}.")
    if role_tier is not None and role_tier not in RoleTier.values:
        raise PeopleError(f"Unknown role tier: {role_tier!r}.")
    membership = (
        Membership.objects.current()
        .select_for_update()
        .filter(user=user, organisation=organisation)
        .first()
    )
    if membership is None:
        return _start_membership(
            user=user,
            organisation=organisation,
            role=role,
            team=team,
            role_tier=role_tier or user.role_tier,
            joined_at=joined_at,
        )
    membership.role = role
    membership.team = team.strip()
    changed = ["role", "team"]
    if role_tier is not None and role_tier != membership.role_tier:
        membership.role_tier = role_tier
        changed.append("role_tier")
    membership.save(update_fields=changed)
    if "role_tier" in changed:
        signals.membership_changed.send(sender=Membership, membership=membership)
    return membership


def _start_membership(
    *, user, organisation, role, role_tier, team: str = "", joined_at=None
) -> Membership:
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        role_tier=role_tier,
        team=team.strip(),
        joined_at=joined_at or timezone.now(),
    )
    signals.membership_changed.send(sender=Membership, membership=membership)
    return membership


@transaction.atomic
def change_role_tier(*, membership: Membership, role_tier: str) -> Membership:
    """Moves a current member to another role tier (what tier assignments follow)."""
    if role_tier not in RoleTier.values:
        raise PeopleError(f"Unknown role tier: {role_tier!r}.")
    if membership.left_at is not None:
        raise PeopleError(f"{membership.user} has left {membership.organisation}.")
    if membership.role_tier != role_tier:
        membership.role_tier = role_tier
        membership.save(update_fields=["role_tier"])
        signals.membership_changed.send(sender=Membership, membership=membership)
    return membership


@transaction.atomic
def end_membership(
    *, membership: Membership, left_at=None, by=None, reason: str = ""
) -> Membership:
    """Records that a person left an organisation. They keep their learning and certificates;
    from `left_at` the organisation's managers and figures no longer count them. Audited."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_at is not None:
        return membership
    left_at = left_at or timezone.now()
    if left_at < membership.joined_at:
        raise PeopleError("A person cannot leave before they joined.")
    if left_at > timezone.now():
        raise PeopleError("Record a leaving date once it has come, not before.")
    membership.left_at = left_at
    membership.save(update_fields=["left_at"])
    audit.record(
        actor=by,
        action="membership.ended",
        target=membership,
        reason=reason,
        organisation=membership.organisation_id,
        user=membership.user_id,
        left_at=left_at.isoformat(),
    )
    signals.membership_changed.send(sender=Membership, membership=membership)
    return membership


def send_new_confirmation_link(*, request, email: str) -> None:
    """E-mails a new link to confirm `email` if an account is waiting for that confirmation, and
    otherwise does nothing: the caller says the same either way, so that no one learns from it
    who has an account. allauth's limit on confirmation e-mails to one address applies."""
    address = EmailAddress.objects.filter(email__iexact=email.strip(), verified=False).first()
    if address is None or address.user_id is None:
        return
    if not ratelimit.consume(request, action="confirm_email", key=address.email.lower()):
        return
    address.send_confirmation(request)


ERASURE_REASON = "The person's personal data was erased."

# Session engines that keep sessions in the database, where a person's can be found and deleted.
_DATABASE_SESSIONS = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


@transaction.atomic
def erase_personal_data(*, user: User) -> None:
    """The people app's part of erasing a person (portal.privacy.erase_learner, which checks
    who may be erased and records the erasure): their memberships end; their name and e-mail
    address are replaced; their confirmed addresses, authenticators and sessions go; they can no
    longer sign in. Safe to run again. Run it after the apps above have done their part, as some
    of them find the person's records by the address it replaces."""
    for membership in Membership.objects.current().filter(user=user):
        end_membership(membership=membership, reason=ERASURE_REASON)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    _delete_sessions(user)
    user.full_name = ERASED_NAME
    user.email = erased_email(user_id=user.pk)
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["full_name", "email", "is_active", "password"])


def _delete_sessions(user: User) -> None:
    """Delete the person's sessions. Whatever the session engine, the new (unusable) password
    already ends them: Django checks each session against a hash of the password on every
    request. Where sessions are in the database they are deleted too, so nothing of the person's
    sessions is kept; Django does not index sessions by person, so the unexpired ones are read."""
    if settings.SESSION_ENGINE not in _DATABASE_SESSIONS:
        return
    theirs = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    # Through the engine's store, which also drops the copy cached_db keeps in the cache.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in theirs:
        store(session_key=session_key).delete()
