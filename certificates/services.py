"""Issuing, rendering and the lifecycle of certificates (suspend, reinstate, revoke, correct)."""

import io

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from academy.audit import record

from . import codes, rendering, selectors
from .models import Award, Certificate


class CertificateError(Exception):
    """A rule about awards or certificates was broken; the message is for the user."""


@transaction.atomic
def award_for_course(*, course) -> Award:
    award, _ = Award.objects.get_or_create(
        course=course,
        defaults={
            "kind": Award.Kind.COURSE_COMPLETION,
            "title": course.title,
            "cpd_hours": course.cpd_hours,
        },
    )
    return award


def _current(*, learner, award: Award, cycle: int) -> Certificate | None:
    return Certificate.objects.filter(
        learner=learner, award=award, cycle=cycle, superseded_at__isnull=True
    ).first()


def issue_certificate(*, learner, award: Award, issued_by=None, reason: str = "") -> Certificate:
    """Issue the learner's certificate for this award's first cycle; issuing again returns it.

    The certificate copies everything it prints (name, title, wording, CPD hours, signatory,
    validity) so later edits to the award or its design never change it.
    """
    existing = _current(learner=learner, award=award, cycle=1)
    if existing:
        return existing
    if not learner.full_name.strip():
        raise CertificateError("The learner has no name to print on the certificate.")
    design = selectors.design_for(award=award)
    issued_at = timezone.now()
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                code=codes.new_code(),
                learner=learner,
                award=award,
                cycle=1,
                name_on_certificate=learner.full_name.strip(),
                title_on_certificate=award.title,
                wording_on_certificate=_wording(award, design),
                cpd_hours=award.cpd_hours,
                signatory_name=design.signatory_name if design else "",
                signatory_role=design.signatory_role if design else "",
                design=design,
                issued_at=issued_at,
                valid_until=award.valid_until(issued_at),
                issued_by=issued_by,
            )
            record(
                actor=issued_by,
                action="certificate.issued",
                target=certificate,
                reason=reason or ("Issued by hand" if issued_by else "Course completed"),
                code=certificate.code,
            )
            transaction.on_commit(lambda: _enqueue_render(certificate.pk))
    except IntegrityError:
        # Issued by a concurrent request between the check and the insert.
        return Certificate.objects.get(
            learner=learner, award=award, cycle=1, superseded_at__isnull=True
        )
    return certificate


def _wording(award: Award, design) -> str:
    parts = [award.wording.strip(), design.extra_wording.strip() if design else ""]
    return "\n\n".join(part for part in parts if part)


def _enqueue_render(certificate_id: int) -> None:
    from .tasks import render_certificate_pdf  # tasks import this module

    render_certificate_pdf.delay(certificate_id)


def issue_for_course(*, learner, course, issued_by=None, reason: str = "") -> Certificate:
    return issue_certificate(
        learner=learner, award=award_for_course(course=course), issued_by=issued_by, reason=reason
    )


def render_pdf(*, certificate: Certificate) -> bool:
    """Render and store the certificate's PDF unless it already has one. True if it rendered."""
    if certificate.pdf:
        return False
    content = rendering.certificate_pdf(certificate)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.pdf:
            return False
        locked.pdf.save(f"{certificate.code}.pdf", ContentFile(content), save=False)
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_rendered_at"])
    certificate.refresh_from_db(fields=["pdf", "pdf_rendered_at"])
    return True


def open_pdf(*, certificate: Certificate) -> io.BufferedReader:
    if not certificate.pdf:
        raise CertificateError("The PDF of this certificate is still being prepared.")
    return certificate.pdf.open("rb")


# Lifecycle ---------------------------------------------------------------------------------------


def _required(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CertificateError(f"Give {what}.")
    return text


def _lock_current(certificate: Certificate) -> Certificate:
    """The certificate's row, locked for this transaction; refused if a correction replaced it."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.superseded_at is not None:
        replacement = Certificate.objects.filter(pk=locked.superseded_by_id).first()
        raise CertificateError(
            "This certificate was replaced by a corrected one"
            + (f" ({replacement.display_code})" if replacement else "")
            + "; act on that one instead."
        )
    return locked


def _set_status(
    *,
    certificate: Certificate,
    by,
    status: str,
    allowed_from: set[str],
    refusal: str,
    reason: str,
    public_reason: str,
    action: str,
) -> Certificate:
    locked = _lock_current(certificate)
    previous = locked.status
    if previous not in allowed_from:
        raise CertificateError(refusal)
    locked.status = status
    locked.status_changed_at = timezone.now()
    locked.public_reason = public_reason
    locked.save(update_fields=["status", "status_changed_at", "public_reason"])
    record(
        actor=by,
        action=action,
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
        certificate=certificate,
        by=by,
        status=Certificate.Status.REVOKED,
        allowed_from={Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED},
        refusal="This certificate is already revoked.",
        reason=_required(reason, "the reason for the audit log"),
        public_reason=_required(public_reason, "the reason to show on the verification page"),
        action="certificate.revoked",
    )


@transaction.atomic
def suspend(*, certificate: Certificate, by, reason: str, public_reason: str = "") -> Certificate:
    """Stop a certificate counting as valid while something is looked into; reinstate undoes it."""
    return _set_status(
        certificate=certificate,
        by=by,
        status=Certificate.Status.SUSPENDED,
        allowed_from={Certificate.Status.ACTIVE},
        refusal="Only an active certificate can be suspended.",
        reason=_required(reason, "the reason for the audit log"),
        public_reason=(public_reason or "").strip(),
        action="certificate.suspended",
    )


@transaction.atomic
def reinstate(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Lift a suspension. Revocation is final and cannot be undone."""
    return _set_status(
        certificate=certificate,
        by=by,
        status=Certificate.Status.ACTIVE,
        allowed_from={Certificate.Status.SUSPENDED},
        refusal="Only a suspended certificate can be reinstated; a revocation is final.",
        reason=_required(reason, "the reason for the audit log"),
        public_reason="",
        action="certificate.reinstated",
    )


def correct_name(*, certificate: Certificate, by, new_name: str, reason: str) -> Certificate:
    """Supersede a certificate with one that prints the corrected name; returns the new one.

    The replacement keeps the learner, award, cycle, issue date, validity and everything else the
    old one printed; it gets a new code and its own PDF. The old one points at it.
    """
    new_name = _required(new_name, "the corrected name")
    reason = _required(reason, "the reason for the audit log")
    with transaction.atomic():
        old = _lock_current(certificate)
        if old.status != Certificate.Status.ACTIVE:
            raise CertificateError(
                f"This certificate is {old.get_status_display().lower()}; only an active "
                "certificate can be corrected."
            )
        if new_name == old.name_on_certificate:
            raise CertificateError("The corrected name is the same as the one on the certificate.")
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
        transaction.on_commit(lambda: _enqueue_render(replacement.pk))
    certificate.refresh_from_db()
    return replacement
