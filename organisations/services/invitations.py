"""Inviting staff: one person or a CSV of them, resending, withdrawing, e-mailing and accepting.

A link's token exists only in the e-mail: sending mints it and stores its SHA-256, so neither the
table nor the task queue holds a way in, and resending (or a second send) makes the old link
useless. Until the e-mail goes, an invitation holds the hash of a token nobody was given."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from academy import audit
from academy import selectors as people
from academy import services as people_services
from academy.models import Membership, Organisation, User
from academy.queueing import enqueue

from .. import emails
from ..errors import OrganisationError
from ..invitation_file import Person, Problems, check_person, read_people
from ..models import Invitation

BATCH = 5000


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _unknown_token_hash() -> str:
    """A random value in the place of a token's hash: no token anyone holds hashes to it, so
    the link opens nothing until the e-mail's own token is minted."""
    return secrets.token_hex(32)


def _expiry(now):
    return now + timedelta(days=settings.ORGANISATION_INVITATION_DAYS)


def find_invitation(*, token: str) -> Invitation | None:
    """The invitation whose link holds `token`, with its organisation, or None."""
    if not token:
        return None
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


def accept_url(token: str) -> str:
    return settings.ACADEMY_SITE_URL + reverse("organisations:invitation", args=[token])


@dataclass(frozen=True)
class InvitationCounts:
    """What an upload did: invitations made, and open or expired ones renewed."""

    created: int
    renewed: int

    @property
    def total(self) -> int:
        return self.created + self.renewed


def _queue_emails(invitation_ids: list[int]) -> None:
    """After the commit, one task per chunk of invitations to e-mail."""
    chunk = settings.ORGANISATION_INVITATION_EMAIL_CHUNK
    ids = sorted(invitation_ids)

    def queue():
        for start in range(0, len(ids), chunk):
            enqueue("organisations.tasks.send_invitations", ids[start : start + chunk])

    transaction.on_commit(queue)


def _member_emails(organisation: Organisation) -> set[str]:
    """Current members' addresses in lower case: one query, however many are checked."""
    emails = people.members_of(organisation=organisation).values_list("email", flat=True)
    return {email.lower() for email in emails}


def _lock(organisation: Organisation) -> None:
    """Invitations to one organisation are made one request at a time, so two uploads naming
    the same person cannot both pass the checks (the open-once constraint backs this up)."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


def check_people(*, organisation: Organisation, invited: list[Person], problems_listed: int):
    """Raise InvitationFileError listing everyone who is already a current member of the
    organisation. One query, whatever the number of people."""
    members = _member_emails(organisation)
    problems = Problems(limit=problems_listed)
    for person in invited:
        if person.email in members:
            problems.add(person.line, [f"already a member of {organisation.name} ({person.email})"])
    problems.raise_any()


def invite_from_file(*, organisation: Organisation, by: User, data: bytes) -> InvitationCounts:
    """Invite everyone in a CSV (columns E-mail, Name, Role tier), or nobody: InvitationFileError
    lists every problem by line. Someone with an unanswered invitation gets a new one (new
    name, tier and expiry; the old link stops working). The e-mails go from Celery tasks after
    the commit, a chunk each. One audit entry for the upload, with its counts."""
    limit = settings.ACADEMY_IMPORT_PROBLEMS_LISTED
    invited = read_people(
        data, max_rows=settings.ORGANISATION_INVITATION_MAX_ROWS, problems_listed=limit
    )
    try:
        with transaction.atomic():
            _lock(organisation)
            check_people(organisation=organisation, invited=invited, problems_listed=limit)
            counts = _invite_people(organisation=organisation, by=by, invited=invited)
            audit.record(
                actor=by,
                action="invitation.uploaded",
                target=organisation,
                created=counts.created,
                renewed=counts.renewed,
            )
    except IntegrityError:
        raise OrganisationError(
            "Someone else invited some of these people at the same moment. Upload the file "
            "again: those invitations will be renewed."
        ) from None
    return counts


def _invite_people(*, organisation, by, invited: list[Person]) -> InvitationCounts:
    """Insert the new invitations and renew the unanswered ones, BATCH rows a statement.

    Plain INSERT and UPDATE statements run with executemany rather than bulk_create and
    bulk_update: for 50,000 rows the ORM spends most of a minute preparing each value in
    Python, and bulk_update's CASE per row grows worse than linearly; these take seconds
    (docs/decisions.md, "Inviting staff from a CSV file")."""
    now = timezone.now()
    unanswered = dict(
        Invitation.objects.unanswered().filter(organisation=organisation).values_list("email", "pk")
    )
    table = connection.ops.quote_name(Invitation._meta.db_table)
    moment = Invitation._meta.get_field("created_at").get_db_prep_save(now, connection)
    expires_at = Invitation._meta.get_field("expires_at").get_db_prep_save(_expiry(now), connection)
    inviter = by.pk if by is not None else None
    new, renewed = [], []
    for person in invited:
        pk = unanswered.get(person.email)
        if pk is None:
            new.append(
                (organisation.pk, person.email, person.full_name, person.role_tier)
                + (_unknown_token_hash(), inviter, moment, expires_at)
            )
        else:
            renewed.append(
                (person.full_name, person.role_tier, _unknown_token_hash(), inviter)
                + (expires_at, pk)
            )
    with connection.cursor() as cursor:
        for start in range(0, len(new), BATCH):
            cursor.executemany(
                # The table's name comes from the model; every value is a parameter.
                f"INSERT INTO {table} (organisation_id, email, full_name, role_tier, "  # noqa: S608
                "token_hash, invited_by_id, created_at, expires_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                new[start : start + BATCH],
            )
        for start in range(0, len(renewed), BATCH):
            cursor.executemany(
                f"UPDATE {table} SET full_name = %s, role_tier = %s, token_hash = %s, "  # noqa: S608
                "invited_by_id = %s, expires_at = %s, sent_at = NULL WHERE id = %s",
                renewed[start : start + BATCH],
            )
    # The new rows are the organisation's invitations made at this moment: the lock on the
    # organisation keeps any other request from making one at the same moment.
    created = Invitation.objects.filter(organisation=organisation, created_at=now)
    ids = list(created.values_list("pk", flat=True)) + [row[-1] for row in renewed]
    _queue_emails(ids)
    return InvitationCounts(created=len(new), renewed=len(renewed))


def invite(
    *, organisation: Organisation, by: User, email: str, full_name: str, role_tier: str
) -> tuple[Invitation, bool]:
    """Invite one person; returns the invitation and whether it renewed an unanswered one.
    OrganisationError if the details are wrong or the person is already a member."""
    values, problems = check_person(email=email, full_name=full_name, role_tier=role_tier)
    if problems:
        text = "; ".join(message for _, message in problems)
        raise OrganisationError(f"{text[0].upper()}{text[1:]}.")
    with transaction.atomic():
        _lock(organisation)
        members = people.members_of(organisation=organisation)
        if members.filter(email__iexact=values["email"]).exists():
            raise OrganisationError(
                f"{values['email']} is already a member of {organisation.name}."
            )
        counts = _invite_people(
            organisation=organisation, by=by, invited=[Person(line=1, **values)]
        )
        invitation = Invitation.objects.unanswered().get(
            organisation=organisation, email=values["email"]
        )
        audit.record(
            actor=by,
            action="invitation.renewed" if counts.renewed else "invitation.created",
            target=invitation,
            organisation=organisation.pk,
            email=invitation.email,
            role_tier=invitation.role_tier,
        )
    return invitation, bool(counts.renewed)


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def resend_invitation(*, invitation: Invitation, by: User) -> Invitation:
    """A new link and a new expiry for an open or expired invitation; the old link stops
    working at once. The e-mail goes from a task after the commit."""
    invitation = _locked(invitation)
    if invitation.state in (Invitation.State.ACCEPTED, Invitation.State.WITHDRAWN):
        raise OrganisationError(
            f"The invitation to {invitation.email} was "
            f"{Invitation.State(invitation.state).label.lower()}: invite them again instead."
        )
    invitation.token_hash = _unknown_token_hash()
    invitation.expires_at = _expiry(timezone.now())
    invitation.sent_at = None
    invitation.invited_by = by
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at", "invited_by"])
    audit.record(
        actor=by,
        action="invitation.resent",
        target=invitation,
        organisation=invitation.organisation_id,
        email=invitation.email,
    )
    _queue_emails([invitation.pk])
    return invitation


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by: User) -> Invitation:
    """Its link stops working; withdrawing twice changes nothing more."""
    invitation = _locked(invitation)
    if invitation.accepted_at is not None:
        raise OrganisationError(
            f"{invitation.email} has already accepted: their membership is on the "
            "organisation's page."
        )
    if invitation.withdrawn_at is None:
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
        audit.record(
            actor=by,
            action="invitation.withdrawn",
            target=invitation,
            organisation=invitation.organisation_id,
            email=invitation.email,
        )
    return invitation


def send_invitation(*, invitation_id: int) -> bool:
    """E-mail an open invitation its link, once: True if sent. Lock, mint the token, send and
    record in one transaction, so a second task for it waits and then finds it sent. A process
    that dies after sending and before the commit leaves it unsent, so a retry sends a new link
    (the first one never worked): a rare second e-mail rather than a lost one."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.sent_at is not None:
            return False
        if invitation.state != Invitation.State.OPEN:
            return False
        token = secrets.token_urlsafe(32)
        invitation.token_hash = hash_token(token)
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["token_hash", "sent_at"])
        emails.invitation_message(invitation=invitation, url=accept_url(token)).send()
    return True


def unsent_invitation_ids(*, now=None) -> list[int]:
    """Open invitations still without their e-mail a while after they were made (their task was
    never queued, or was lost): for the sweep to queue again."""
    now = now or timezone.now()
    grace = timedelta(minutes=settings.ACADEMY_SWEEP_GRACE_MINUTES)
    return list(
        Invitation.objects.open(now)
        .filter(sent_at__isnull=True, created_at__lte=now - grace)
        .values_list("pk", flat=True)
    )


def sweep_unsent_invitations() -> int:
    ids = unsent_invitation_ids()
    if ids:
        _queue_emails(ids)
    return len(ids)


def email_matches(*, invitation: Invitation, user) -> bool:
    return user.is_authenticated and user.email.lower() == invitation.email


def has_account(*, invitation: Invitation) -> bool:
    """Whether the invited address has an account: for the holder of the link alone."""
    return people.users_with_email(email=invitation.email).exists()


def check_usable(invitation: Invitation) -> None:
    """OrganisationError saying why the invitation can no longer be accepted, if it can't."""
    state = invitation.state
    if state == Invitation.State.ACCEPTED:
        raise OrganisationError("This invitation has already been accepted.")
    if state == Invitation.State.WITHDRAWN:
        raise OrganisationError(f"{invitation.organisation.name} has withdrawn this invitation.")
    if state == Invitation.State.EXPIRED:
        raise OrganisationError("This invitation has expired.")


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """`user`, who must hold the invited address, joins the organisation in the invited role
    tier. Someone already a member keeps their role and team. Audited."""
    invitation = _locked(invitation)
    check_usable(invitation)
    if not email_matches(invitation=invitation, user=user):
        raise OrganisationError(
            "This invitation was sent to another e-mail address than the one you are signed "
            "in with."
        )
    current = people.current_memberships(user=user).filter(organisation=invitation.organisation)
    current = current.first()
    membership = people_services.add_member(
        user=user,
        organisation=invitation.organisation,
        role=current.role if current else Membership.Role.LEARNER,
        team=current.team if current else "",
        role_tier=invitation.role_tier,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        actor=user,
        action="invitation.accepted",
        target=invitation,
        organisation=invitation.organisation_id,
        membership=membership.pk,
        role_tier=invitation.role_tier,
    )
    return membership
