"""Issuing and rendering certificates."""

import io

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from academy.audit import record

from . import codes, rendering
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


def issue_certificate(*, learner, award: Award, issued_by=None, reason: str = "") -> Certificate:
    """Issue the learner's certificate for this award's first cycle; issuing again returns it."""
    existing = Certificate.objects.filter(learner=learner, award=award, cycle=1).first()
    if existing:
        return existing
    if not learner.full_name.strip():
        raise CertificateError("The learner has no name to print on the certificate.")
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                code=codes.new_code(),
                learner=learner,
                award=award,
                cycle=1,
                name_on_certificate=learner.full_name.strip(),
                title_on_certificate=award.title,
                cpd_hours=award.cpd_hours,
                issued_at=timezone.now(),
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
        return Certificate.objects.get(learner=learner, award=award, cycle=1)
    return certificate


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
