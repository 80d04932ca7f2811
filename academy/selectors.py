from certificates import selectors as certificate_selectors
from courses import selectors as course_selectors


def dashboard(*, user) -> dict:
    """Everything the learner's dashboard shows, in a fixed number of queries."""
    certificates = list(certificate_selectors.for_learner(user=user))
    return {
        "enrolments": list(course_selectors.enrolments_for_dashboard(user=user)),
        "certificates": [certificate for certificate in certificates if not certificate.renewed],
        "earlier_certificates": [
            certificate for certificate in certificates if certificate.renewed
        ],
        "memberships": list(user.memberships.select_related("organisation")),
    }


# People, as the other apps read them: through these, never by looking a model up by its name.
# Their imports stand here so the block reads on its own.
from django.db.models import QuerySet  # noqa: E402
from django.db.models.functions import Lower  # noqa: E402

from .models import Organisation, User  # noqa: E402


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
