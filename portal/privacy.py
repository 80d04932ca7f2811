"""A person's data: the download of everything the Academy holds about them, and its erasure by
an administrator (docs/privacy.md).

Each app says what it holds and erases its own part: `personal_data(user=...)` in its selectors
gives the sections of the download, `erase_personal_data(user=...)` in its services erases. This
module, in the top room that may call every app, puts them together. To cover a new app, add its
two functions to SECTIONS and ERASERS."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from academy import audit
from academy import selectors as people
from academy import services as people_services
from academy.models import User
from accreditation import selectors as accreditation_selectors
from accreditation import services as accreditation_services
from assessments import selectors as assessment_selectors
from assessments import services as assessment_services
from certificates import selectors as certificate_selectors
from courses import selectors as course_selectors
from feedback import selectors as feedback_selectors
from feedback import services as feedback_services
from organisations import selectors as organisation_selectors
from organisations import services as organisation_services

ABOUT = (
    "Everything the PHSO Academy holds about you, as it was when you downloaded this file. "
    "Dates and times are in UTC. Files you uploaded (portfolio and CPD evidence) are named here, "
    "not included: download each from its page. Sections that are empty hold nothing about you."
)

# Each returns a dict of sections, in the order they appear in the file.
SECTIONS = (
    people.personal_data,
    organisation_selectors.personal_data,
    course_selectors.personal_data,
    course_selectors.attendance_personal_data,
    assessment_selectors.personal_data,
    certificate_selectors.personal_data,
    accreditation_selectors.personal_data,
    feedback_selectors.personal_data,
)

# From the top of the house down, and the people app last: the apps above it find some of the
# person's records by the e-mail address that the people app's part replaces. Certificates erase
# nothing: an issued certificate is a public record (docs/privacy.md).
ERASERS = (
    feedback_services.erase_personal_data,
    organisation_services.erase_personal_data,
    accreditation_services.erase_personal_data,
    assessment_services.erase_personal_data,
    people_services.erase_personal_data,
)

ERASED = "learner.erased"


class PrivacyError(Exception):
    """An erasure was refused; nothing was changed."""


def personal_data(*, user) -> dict:
    data = {"about": ABOUT, "downloaded": timezone.now()}
    for section in SECTIONS:
        data.update(section(user=user))
    return data


def personal_data_json(*, user) -> bytes:
    return json.dumps(
        personal_data(user=user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
    ).encode()


@transaction.atomic
def erase_learner(*, user: User, by: User, reason: str) -> bool:
    """Erase the person's personal data, every app's part in one transaction (files go from
    storage once it commits), and record who did it, when and why, by the person's id alone.
    Refused, with PrivacyError, without a reason, for staff and for oneself. True when it erased;
    False when the person's data had already been erased (nothing changes, nothing is recorded
    again)."""
    reason = reason.strip()
    if not reason:
        raise PrivacyError("Give the reason for erasing this person's data.")
    # Locked, so two administrators erasing the same person at once record it once.
    user = User.objects.select_for_update().get(pk=user.pk)
    refusal = people.erasure_refusal(person=user, by=by)
    if refusal:
        raise PrivacyError(refusal)
    if people.is_erased(user):
        return False
    for erase in ERASERS:
        erase(user=user)
    audit.record(actor=by, action=ERASED, target=user, reason=reason, user=user.pk)
    return True
