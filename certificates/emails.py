"""The e-mails the certificate service sends, in plain text and HTML. Building only; no sending."""

import math

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

SUBJECT_PREFIX = "[PHSO Academy] "


def _message(*, subject: str, template: str, context: dict, to: str) -> EmailMultiAlternatives:
    context = {
        **context,
        "site_url": settings.ACADEMY_SITE_URL,
        "dashboard_url": settings.ACADEMY_SITE_URL + reverse("dashboard"),
    }
    message = EmailMultiAlternatives(
        subject=SUBJECT_PREFIX + subject,
        body=render_to_string(f"certificates/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"certificates/email/{template}.html", context), "text/html"
    )
    return message


def certificate_message(*, certificate, learner, pdf: bytes) -> EmailMultiAlternatives:
    message = _message(
        subject=f"Your certificate: {certificate.title_on_certificate}",
        template="certificate",
        context={"certificate": certificate, "learner": learner},
        to=learner.email,
    )
    message.attach(f"certificate-{certificate.display_code}.pdf", pdf, "application/pdf")
    return message


def expiry_reminder_message(
    *, certificate, learner, now, course=None, renew_from=None, candidacy=None
) -> EmailMultiAlternatives:
    """The reminder; with `course` and `renew_from`, it says that passing the course's final
    assessment again from that moment renews the certificate; with `candidacy` (an
    accreditation), that keeping up CPD and meeting the renewal requirements renews it, and
    where the candidate sees what is left."""
    days_left = max(math.ceil((certificate.valid_until - now).total_seconds() / 86400), 0)
    return _message(
        subject="Your certificate expires on "
        + date_format(timezone.localtime(certificate.valid_until), "j F Y"),
        template="expiry_reminder",
        context={
            "certificate": certificate,
            "learner": learner,
            "days_left": days_left,
            "course": course,
            "course_url": course.full_url if course else "",
            "renew_from": renew_from,
            "candidacy": candidacy,
            "candidacy_url": (
                settings.ACADEMY_SITE_URL + reverse("accreditation:candidacy", args=[candidacy.pk])
                if candidacy
                else ""
            ),
        },
        to=learner.email,
    )


_NOTICE_SUBJECTS = {
    "revoked": "Your certificate has been revoked",
    "suspended": "Your certificate has been suspended",
    "reinstated": "Your certificate counts again",
}


def status_notice_message(*, notice, certificate, learner) -> EmailMultiAlternatives:
    return _message(
        subject=f"{_NOTICE_SUBJECTS[notice.change]}: {certificate.title_on_certificate}",
        template="status_notice",
        context={"notice": notice, "certificate": certificate, "learner": learner},
        to=learner.email,
    )
