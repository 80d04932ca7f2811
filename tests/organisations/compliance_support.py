"""People and learning for the compliance tests, built as the services would leave them."""

from datetime import datetime

from django.utils import timezone

from academy.models import Membership, RoleTier
from certificates.models import Certificate
from organisations.selectors import Filters, compliance
from tests.academy.factories import MembershipFactory, UserFactory
from tests.certificates.factories import AwardFactory, CertificateFactory
from tests.courses.factories import CourseFactory


def moment(text: str):
    """An aware moment from 'YYYY-MM-DD HH:MM', in UK time."""
    return timezone.make_aware(datetime.fromisoformat(text))


def member(organisation, *, tier=RoleTier.ALL_STAFF, role=Membership.Role.LEARNER, **fields):
    """A person who is (or was) a member of the organisation; `user=` to reuse one."""
    user = fields.pop("user", None) or UserFactory(
        **{k: fields.pop(k) for k in ("full_name", "email") if k in fields}
    )
    return MembershipFactory(
        user=user, organisation=organisation, role_tier=tier, role=role, **fields
    ).user


def certificate(user, award, **fields):
    """A certificate for `award`; give status= with status_changed_at=, valid_until= etc."""
    if fields.get("status", Certificate.Status.ACTIVE) != Certificate.Status.ACTIVE:
        fields.setdefault("status_changed_at", timezone.now())
    return CertificateFactory(learner=user, award=award, **fields)


def report_for(organisation, *, now=None, first=None, last=None, **filters):
    now = now or timezone.now()
    this_month = timezone.localdate(now).replace(day=1)
    return compliance(
        organisation=organisation,
        filters=Filters(first_month=first or this_month, last_month=last or this_month, **filters),
        now=now,
        with_people=True,
    )


def course_award(catalogue, title="Welcoming complaints", expectations=()):
    """A published course's completion award, tagged with `expectations`."""
    award = AwardFactory(course=CourseFactory(parent=catalogue, title=title))
    award.expectations.set(expectations)
    return award


__all__ = ["certificate", "course_award", "member", "moment", "report_for"]
