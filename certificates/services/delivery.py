"""Delivering a certificate: its PDF rendered and stored once, e-mailed once, opened to download."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from academy.queueing import enqueue

from .. import emails, rendering
from ..errors import PdfNotReadyError
from ..models import Certificate, StatusNotice
from ._common import current_and_active


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
        transaction.on_commit(
            lambda: enqueue("certificates.tasks.email_certificate", certificate.pk)
        )
    certificate.refresh_from_db(fields=["pdf", "pdf_rendered_at"])
    return True


def email_certificate(*, certificate: Certificate) -> bool:
    """E-mail the learner their certificate with the PDF attached, once. True if it was sent.

    The row is locked, the e-mail sent, then `emailed_at` set, all in one transaction: a second
    task for the same certificate waits on the lock and then finds `emailed_at` set. If the
    process dies after sending and before the commit, a retry sends it again: we prefer a rare
    duplicate to a lost e-mail (see docs/decisions.md).
    """
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.emailed_at is not None or not locked.pdf:
            return False
        if not current_and_active(locked):
            return False  # a replacement is e-mailed on its own; a withdrawn one is not sent
        learner = locked.learner
        with locked.pdf.open("rb") as handle:
            pdf = handle.read()
        emails.certificate_message(certificate=locked, learner=learner, pdf=pdf).send()
        locked.emailed_at = timezone.now()
        locked.save(update_fields=["emailed_at"])
    certificate.refresh_from_db(fields=["emailed_at"])
    return True


def email_status_notice(*, notice: StatusNotice) -> bool:
    """Tell the learner their certificate was revoked, suspended or reinstated, once. True if
    sent. Lock, send, record, in one transaction, as for the certificate e-mail.

    A notice overtaken by a later change (suspended, then reinstated before the e-mail went) is
    still sent: each e-mail says what happened and when, and the learner's dashboard shows where
    things stand now.
    """
    with transaction.atomic():
        locked = StatusNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.emailed_at is not None:
            return False
        certificate = locked.certificate
        emails.status_notice_message(
            notice=locked, certificate=certificate, learner=certificate.learner
        ).send()
        locked.emailed_at = timezone.now()
        locked.save(update_fields=["emailed_at"])
    notice.refresh_from_db(fields=["emailed_at"])
    return True


def stored_pdf(*, certificate: Certificate) -> FieldFile:
    """The certificate's stored PDF, to be served by the caller once it has checked who asks."""
    if not certificate.pdf:
        raise PdfNotReadyError("The PDF of this certificate is still being prepared.")
    return certificate.pdf
