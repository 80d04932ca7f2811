"""People, as the other apps read them: through these, never by looking a model up by its name."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from . import audit
from .models import AuditEntry, Membership, Organisation, User

# What erasure leaves in place of a person's name and address (academy.services
# .erase_personal_data): the address is unique to the account and can never be delivered
# (RFC 2606 reserves .invalid), so nothing is ever sent to it and nobody can sign up with it.
ERASED_NAME = "Erased learner"


def erased_email(*, user_id: int) -> str:
    return f"erased-{user_id}@invalid"


def is_erased(user) -> bool:
    """Whether the person's personal data has been erased."""
    return user.email == erased_email(user_id=user.pk)


def erasure_refusal(*, person, by) -> str:
    """Why `by` may not erase `person`'s personal data, in words, or "" when they may. Staff are
    never erased this way: their names stand on marks, decisions and the audit log as the
    people who made them, and their accounts are closed by deactivating them."""
    if person.pk == by.pk:
        return "You cannot erase your own personal data: ask another administrator."
    if person.is_superuser or person.is_staff or person.groups.exists():
        return (
            f"{person} is a member of staff. Staff accounts are not erased: their names stay on "
            "the marks, decisions and audit entries they made. Deactivate the account instead."
        )
    return ""


def users_with_email(*, email: str) -> QuerySet:
    """The accounts with this e-mail address, in any letter case (one, unless two accounts were
    saved with addresses that differ only in case)."""
    return User.objects.filter(email__iexact=email)


def users_with_emails(*, emails: list[str]) -> QuerySet:
    """The accounts whose e-mail address, in lower case, is one of `emails` (give them in lower
    case)."""
    return User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=list(emails))


def members_of(*, organisation: Organisation) -> QuerySet:
    """Everyone who is a current member of the organisation, each once, oldest account first."""
    return (
        User.objects.filter(
            memberships__organisation=organisation, memberships__left_at__isnull=True
        )
        .distinct()
        .order_by("pk")
    )


def current_memberships(*, user) -> QuerySet:
    """The person's current memberships with their organisations, by organisation name."""
    return (
        Membership.objects.current()
        .filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def managed_organisations(*, user) -> QuerySet:
    """The organisations `user` currently manages, by name."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user,
        memberships__role=Membership.Role.MANAGER,
        memberships__left_at__isnull=True,
    ).order_by("name")


def people_too_close_to_judge(*, judge) -> QuerySet:
    """The ids of the people `judge` must never assess, review or hear an appeal from (the
    conflict-of-interest rule, in one place; docs/decisions.md): themselves, and everyone who
    shares an organisation with them. In an organisation that assesses its own staff
    (`Organisation.assesses_own_staff`), only its people in the judge's team there are too close,
    and, to be safe, all of them when either side has no team recorded.

    A subquery, so lists filter by it in the database whatever their length. It starts from the
    judge's own memberships, so the database reads only the members of the judge's organisations
    however many learners the Academy has (docs/benchmarks.md, the accreditation bench)."""
    # One filter() call, so that every condition on organisation__memberships is about the same
    # row: the judge's own membership of the person's organisation (chained filter() calls would
    # each join a membership of their own).
    too_close = Membership.objects.filter(
        Q(team="")
        | Q(organisation__assesses_own_staff=False)
        | Q(organisation__memberships__team="")
        | Q(organisation__memberships__team__iexact=F("team")),
        organisation__memberships__user_id=judge.pk,
    )
    # The judge themselves, also when they belong to no organisation.
    judge_alone = User.objects.filter(pk=judge.pk).values("pk").order_by()
    ids = too_close.values("user_id").union(judge_alone)
    return User.objects.filter(pk__in=ids).values("pk").order_by()


def is_too_close_to_judge(*, judge, person_id: int) -> bool:
    """Whether `judge` may not judge the person with this id (people_too_close_to_judge); one
    query."""
    return people_too_close_to_judge(judge=judge).filter(pk=person_id).exists()


def organisations() -> QuerySet:
    """Every organisation, by name."""
    return Organisation.objects.order_by("name")


def header_links(*, user) -> dict[str, bool]:
    """Which of the header's links `user` gets: Admin (`is_staff_member`) and My organisation
    (they manage one), in one query, since every page's header asks both."""
    if not (user.is_authenticated and user.is_active):
        return {"admin": False, "organisation": False}
    admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).filter(Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")))
    manages = Membership.objects.filter(
        user=OuterRef("pk"), role=Membership.Role.MANAGER, left_at__isnull=True
    )
    links = (
        User.objects.filter(pk=user.pk)
        .annotate(admin=Exists(admin), organisation=Exists(manages))
        .values("admin", "organisation")
        .get()
    )
    links["admin"] = links["admin"] or user.is_superuser
    return links


def is_staff_member(user) -> bool:
    """Staff are those who may enter the admin (the staff groups and superusers have that
    permission): they must use MFA there, and they start there when they sign in. The same answer
    as `user.has_perm("wagtailadmin.access_admin")` in one query rather than two, since every
    page's header asks it."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return (
        Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )


def personal_data(*, user) -> dict:
    """What the people app holds about the person, for their own download (portal.privacy): the
    account, their e-mail addresses, their memberships (ended ones too) and the audit entries
    about them. No secret is included (no password hash, no authenticator key or recovery code:
    only whether multi-factor authentication is set up), and the audit entries say what happened
    and when, not which member of staff did it or their reasons. Five queries."""
    methods = sorted(set(Authenticator.objects.filter(user=user).values_list("type", flat=True)))
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("joined_at", "pk")
    )
    entries = AuditEntry.objects.filter(
        Q(target_type=User._meta.label_lower, target_id=str(user.pk))
        | Q(
            target_type=Membership._meta.label_lower,
            target_id__in=[str(membership.pk) for membership in memberships],
        )
        | Q(details__user=user.pk)
        | Q(details__learner_id=user.pk)
    ).order_by("at", "pk")
    return {
        "account": {
            "id": user.pk,
            "name": user.full_name,
            "email": user.email,
            "role": user.get_role_tier_display(),
            "joined": user.date_joined,
            "last_signed_in": user.last_login,
            "active": user.is_active,
            "multi_factor_authentication": {"set_up": bool(methods), "methods": methods},
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "memberships": [
            {
                "organisation": membership.organisation.name,
                "role": membership.get_role_display(),
                "role_tier": membership.get_role_tier_display(),
                "team": membership.team,
                "joined": membership.joined_at,
                "left": membership.left_at,
            }
            for membership in memberships
        ],
        "audit_entries": [
            {
                "what": audit.action_words(entry.action),
                "when": entry.at,
                "by": _audit_actor(entry, user),
            }
            for entry in entries
        ],
    }


def _audit_actor(entry, user) -> str:
    if entry.actor_id is None:
        return "the Academy"
    return "you" if entry.actor_id == user.pk else "a member of Academy staff"


def current_places():
    """(user id, organisation kind, region) of every current membership, for the national
    figures: an iterator, so 50,000 people are never all held as model instances."""
    return (
        Membership.objects.current()
        .values_list("user_id", "organisation__kind", "organisation__region")
        .order_by()
        .iterator(chunk_size=10000)
    )


def member_ids(*, kind: str | None = None, region: str | None = None):
    """A query of the ids of people with a current membership of an organisation of this kind
    in this region (None for every one; region "" for none recorded)."""
    memberships = Membership.objects.current()
    if kind is not None:
        memberships = memberships.filter(organisation__kind=kind)
    if region is not None:
        memberships = memberships.filter(organisation__region=region)
    return memberships.values("user_id")


def unaffiliated_ids():
    """A query of the ids of people with no current membership of any organisation."""
    return User.objects.exclude(pk__in=Membership.objects.current().values("user_id")).values("pk")


def organisation_totals(*, kind: str | None = None, region: str | None = None) -> dict[str, int]:
    """How many organisations there are and how many current memberships they have, of this
    kind and in this region (None for every one; region "" for none recorded). Two queries."""
    organisations = Organisation.objects.all()
    memberships = Membership.objects.current()
    if kind is not None:
        organisations = organisations.filter(kind=kind)
        memberships = memberships.filter(organisation__kind=kind)
    if region is not None:
        organisations = organisations.filter(region=region)
        memberships = memberships.filter(organisation__region=region)
    return {"organisations": organisations.count(), "memberships": memberships.count()}
