"""People, as the other apps read them: through these, never by looking a model up by its name."""

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from .models import Organisation, User


def users_with_email(*, email: str) -> QuerySet:
    """The accounts with this e-mail address, in any letter case (one, unless two accounts were
    saved with addresses that differ only in case)."""
    return User.objects.filter(email__iexact=email)


def users_with_emails(*, emails: list[str]) -> QuerySet:
    """The accounts whose e-mail address, in lower case, is one of `emails` (give them in lower
    case)."""
    return User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=list(emails))


def members_of(*, organisation: Organisation) -> QuerySet:
    """Everyone who is a member of the organisation, each once, oldest account first."""
    return User.objects.filter(memberships__organisation=organisation).distinct().order_by("pk")


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
