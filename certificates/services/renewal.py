"""Renewal: when a certificate can be renewed, renewing it, and issuing by an administrator
(which renews a certificate due for renewal)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from ..errors import RenewalRefusedError
from ..models import Award, BulkIssueLearner, Certificate
from ..validity import RENEWAL_WINDOW_DAYS
from .issuing import issue_certificate


def renewal_opens(*, certificate: Certificate) -> datetime | None:
    """From when meeting the award's renewal rule renews this certificate; None if it never
    expires. Never before its issue: a short validity is renewable from the start."""
    if certificate.valid_until is None:
        return None
    return max(certificate.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS), certificate.issued_at)


def renewal_course(*, certificate: Certificate):
    """The course whose final assessment, passed again, renews this certificate; None when the
    award has no such rule (no validity, not a course award, or a course with no assessment)."""
    award = certificate.award
    if certificate.valid_until is None or award.kind != Award.Kind.COURSE_COMPLETION:
        return None
    course = award.course
    return course if course.final_assessment_id else None


def renewal_refusal(*, certificate: Certificate, passed_at: datetime) -> str:
    """Why meeting the renewal rule at `passed_at` does not renew this certificate, for the user;
    empty when it does."""
    opens = renewal_opens(certificate=certificate)
    if opens is None:
        return "This certificate does not expire, so it is not renewed."
    if certificate.superseded_at is not None:
        return "This certificate was replaced by a corrected one; renew that one instead."
    if certificate.status != Certificate.Status.ACTIVE:
        return (
            f"This certificate is {certificate.get_status_display().lower()}, so it cannot be "
            "renewed."
        )
    # A pass the certificate was issued for (or one before it) is not a pass again.
    if passed_at < opens or passed_at <= certificate.issued_at:
        return (
            "Renewal opens on "
            + date_format(timezone.localtime(opens), "j F Y")
            + ": only a pass from then renews this certificate."
        )
    return ""


def _latest_current(certificates) -> Certificate | None:
    """The newest cycle among these certificates of one learner's award, not counting those a
    corrected certificate replaced: the one a renewal follows."""
    return (
        certificates.filter(superseded_at__isnull=True)
        .select_related("award", "learner")
        .order_by("-cycle")
        .first()
    )


@transaction.atomic
def renew_certificate(
    *,
    certificate: Certificate,
    passed_at: datetime,
    reason: str,
    issued_by=None,
    valid_for_years: int | None = None,
) -> Certificate:
    """Issue the next cycle's certificate to the holder of this one, who met the award's renewal
    rule at `passed_at`; renewing again returns it.

    The new certificate is valid for the award's period from its own issue date. The old one is
    left as it is (it still expires on its date, and its verification page points at the new
    one). Two renewals at once give one certificate: the second insert breaks the uniqueness on
    (learner, award, cycle) and issue_certificate returns the first.
    """
    refusal = renewal_refusal(certificate=certificate, passed_at=passed_at)
    if refusal:
        raise RenewalRefusedError(refusal)
    return issue_certificate(
        learner=certificate.learner,
        award=certificate.award,
        issued_by=issued_by,
        reason=reason,
        renews=certificate,
        valid_for_years=valid_for_years,
    )


def issue_by_administrator(
    *, learner, award: Award, issued_by, reason: str
) -> tuple[Certificate, str]:
    """An administrator's issue, by hand or in a bulk issue: the learner's first certificate for
    the award, or the next cycle's when their latest is due for renewal, or else the one they
    hold. Returns it and what happened: "issued", "renewed" or "already_held".

    Issuing again inside the renewal window is how an award with no assessment renews (a
    webinar's attendees, issued to again after this year's session); for a course award it
    renews without the assessment, as issuing by hand skips completing the course.
    """
    latest = _latest_current(Certificate.objects.filter(learner=learner, award=award))
    if latest is None:
        return issue_certificate(
            learner=learner, award=award, issued_by=issued_by, reason=reason
        ), BulkIssueLearner.Outcome.ISSUED
    now = timezone.now()
    if renewal_refusal(certificate=latest, passed_at=now):
        return latest, BulkIssueLearner.Outcome.ALREADY_HELD
    renewed = renew_certificate(
        certificate=latest, passed_at=now, reason=reason, issued_by=issued_by
    )
    return renewed, BulkIssueLearner.Outcome.RENEWED


def renew_for_course(*, learner, course, passed_at: datetime) -> Certificate | None:
    """Renew the learner's latest certificate for the course after a released pass of its final
    assessment, handed in at `passed_at`; None when there is nothing to renew or this pass does
    not renew it (outside the window, a certificate that does not expire, or one suspended or
    revoked)."""
    latest = _latest_current(Certificate.objects.filter(learner=learner, award__course=course))
    if latest is None or renewal_refusal(certificate=latest, passed_at=passed_at):
        return None
    return renew_certificate(
        certificate=latest, passed_at=passed_at, reason="Passed the final assessment again"
    )


def renew_for_programme(*, candidacy) -> Certificate | None:
    """Issue the next period's accreditation certificate to a candidate whose renewal
    accreditation has just recorded; None when they hold none that can be renewed (suspended,
    revoked, or never issued)."""
    latest = _latest_current(
        Certificate.objects.filter(
            learner=candidacy.candidate, award__programme_id=candidacy.programme_id
        )
    )
    now = timezone.now()
    if latest is None or renewal_refusal(certificate=latest, passed_at=now):
        return None
    return renew_certificate(
        certificate=latest,
        passed_at=now,
        reason="CPD and the renewal requirements met",
        valid_for_years=candidacy.version.validity_years,
    )
