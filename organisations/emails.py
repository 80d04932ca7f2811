"""The e-mails the organisations app sends, in plain text and HTML. Building only; no sending."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

SUBJECT_PREFIX = "[PHSO Academy] "


def invitation_message(*, invitation, url: str) -> EmailMultiAlternatives:
    """The invitation with its link (`url` holds the token, which only this e-mail carries)."""
    organisation = invitation.organisation
    context = {
        "invitation": invitation,
        "organisation": organisation,
        "inviter": invitation.invited_by,
        "url": url,
        "site_url": settings.ACADEMY_SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=f"{SUBJECT_PREFIX}{organisation.name} invites you to the PHSO Academy",
        body=render_to_string("organisations/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("organisations/email/invitation.html", context), "text/html"
    )
    return message
