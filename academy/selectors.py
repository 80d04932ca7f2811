"""People, as the other apps read them: through these, never by looking a model up by its name."""

from django.contrib.auth.models import Permission
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower

from .models import Membership, Organisation, User


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


def current_places():
    """(user id, organisation kind, region) of every current membership, for the national
    figures: an iterator, so 50,000 people are never all held as model instances."""
    return (
        Membership.objects.current()
        .values_list("user_id", "organisation__kind", "organisation__region")
        .order_by()
        .iterator(chunk_size=10000)
    )


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
