"""A certificate's lifecycle after issue: revoke, suspend, reinstate, and correcting the name
(which supersedes it with a new certificate)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from academy.audit import record
from academy.queueing import enqueue

from .. import codes, credentials
from ..errors import MissingDetailError, SupersededError, WrongStatusError
from ..models import Certificate, StatusNotice
from ._common import required
from .status_lists import status_changed

AUDIT_REASON = "the reason for the audit log"


def _lock_current(certificate: Certificate) -> Certificate:
    """The certificate's row, locked for this transaction; refused if a correction replaced it."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.superseded_at is not None:
        replacement = Certificate.objects.filter(pk=locked.superseded_by_id).first()
        raise SupersededError(
            "This certificate was replaced by a corrected one"
            + (f" ({replacement.display_code})" if replacement else "")
            + "; act on that one instead."
        )
    return locked


@dataclass(frozen=True)
class _StatusChange:
    status: str
    allowed_from: frozenset[str]
    refusal: str
    action: str
    notice: str
    public_reason_required: bool = False


_REVOKE = _StatusChange(
    status=Certificate.Status.REVOKED,
    allowed_from=frozenset({Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED}),
    refusal="This certificate is already revoked.",
    action="certificate.revoked",
    notice=StatusNotice.Change.REVOKED,
    public_reason_required=True,
)
_SUSPEND = _StatusChange(
    status=Certificate.Status.SUSPENDED,
    allowed_from=frozenset({Certificate.Status.ACTIVE}),
    refusal="Only an active certificate can be suspended.",
    action="certificate.suspended",
    notice=StatusNotice.Change.SUSPENDED,
)
_REINSTATE = _StatusChange(
    status=Certificate.Status.ACTIVE,
    allowed_from=frozenset({Certificate.Status.SUSPENDED}),
    refusal="Only a suspended certificate can be reinstated; a revocation is final.",
    action="certificate.reinstated",
    notice=StatusNotice.Change.REINSTATED,
)


def _set_status(
    *, certificate: Certificate, by, change: _StatusChange, reason: str, public_reason: str = ""
) -> Certificate:
    reason = required(reason, AUDIT_REASON)
    if change.public_reason_required:
        public_reason = required(public_reason, "the reason to show on the verification page")
    else:
        public_reason = (public_reason or "").strip()
    locked = _lock_current(certificate)
    previous = locked.status
    if previous not in change.allowed_from:
        raise WrongStatusError(change.refusal)
    locked.status = change.status
    locked.status_changed_at = timezone.now()
    locked.public_reason = public_reason
    locked.save(update_fields=["status", "status_changed_at", "public_reason"])
    status_changed(locked)
    notice = StatusNotice.objects.create(
        certificate=locked,
        change=change.notice,
        public_reason=public_reason,
        changed_at=locked.status_changed_at,
    )
    transaction.on_commit(lambda: enqueue("certificates.tasks.email_status_notice", notice.pk))
    record(
        actor=by,
        action=change.action,
        target=locked,
        reason=reason,
        code=locked.code,
        previous_status=previous,
        public_reason=public_reason,
    )
    certificate.refresh_from_db()
    return certificate


@transaction.atomic
def revoke(*, certificate: Certificate, by, reason: str, public_reason: str) -> Certificate:
    """Withdraw a certificate for good. The verification page shows the date and public reason."""
    return _set_status(
        certificate=certificate, by=by, change=_REVOKE, reason=reason, public_reason=public_reason
    )


@transaction.atomic
def suspend(*, certificate: Certificate, by, reason: str, public_reason: str = "") -> Certificate:
    """Stop a certificate counting as valid while something is looked into; reinstate undoes it."""
    return _set_status(
        certificate=certificate, by=by, change=_SUSPEND, reason=reason, public_reason=public_reason
    )


@transaction.atomic
def reinstate(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Lift a suspension. Revocation is final and cannot be undone."""
    return _set_status(certificate=certificate, by=by, change=_REINSTATE, reason=reason)


def correct_name(*, certificate: Certificate, by, new_name: str, reason: str) -> Certificate:
    """Supersede a certificate with one that prints the corrected name; returns the new one.

    The replacement keeps the learner, award, cycle, issue date, validity and everything else the
    old one printed; it gets a new code and its own PDF. The old one points at it.
    """
    new_name = required(new_name, "the corrected name")
    reason = required(reason, AUDIT_REASON)
    with transaction.atomic():
        old = _lock_current(certificate)
        if old.status != Certificate.Status.ACTIVE:
            raise WrongStatusError(
                f"This certificate is {old.get_status_display().lower()}; only an active "
                "certificate can be corrected."
            )
        if new_name == old.name_on_certificate:
            raise MissingDetailError(
                "The corrected name is the same as the one on the certificate."
            )
        now = timezone.now()
        # Leave the (learner, award, cycle) place first, so the replacement can take it.
        Certificate.objects.filter(pk=old.pk).update(superseded_at=now)
        replacement = Certificate.objects.create(
            code=codes.new_code(),
            learner_id=old.learner_id,
            award_id=old.award_id,
            cycle=old.cycle,
            name_on_certificate=new_name,
            title_on_certificate=old.title_on_certificate,
            wording_on_certificate=old.wording_on_certificate,
            cpd_hours=old.cpd_hours,
            signatory_name=old.signatory_name,
            signatory_role=old.signatory_role,
            design_id=old.design_id,
            issued_at=old.issued_at,
            valid_until=old.valid_until,
            issued_by=by,
        )
        Certificate.objects.filter(pk=old.pk).update(superseded_by=replacement)
        credentials.sign_at_issue(replacement)
        status_changed(old)
        record(
            actor=by,
            action="certificate.superseded",
            target=old,
            reason=reason,
            code=old.code,
            new_code=replacement.code,
            old_name=old.name_on_certificate,
            new_name=new_name,
        )
        record(
            actor=by,
            action="certificate.issued",
            target=replacement,
            reason=reason,
            code=replacement.code,
            supersedes=old.code,
        )
        transaction.on_commit(
            lambda: enqueue("certificates.tasks.render_certificate_pdf", replacement.pk)
        )
    certificate.refresh_from_db()
    return replacement
