"""The e-mails the organisations app sends, in plain text and HTML. Building only; no sending."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateformat import format as date_format

SUBJECT_PREFIX = "[PHSO Academy] "


def item_url(assignment) -> str:
    """The full address of what the assignment names, for e-mails and the dashboard."""
    if assignment.kind == assignment.Kind.PROGRAMME:
        path = reverse("accreditation:programme", args=[assignment.programme.slug])
        return settings.ACADEMY_SITE_URL + path
    return assignment.item.full_url or ""


def reminder_message(*, personal_assignment, overdue: bool, today) -> EmailMultiAlternatives:
    """The reminder before the due date (`overdue` False) or once it has passed."""
    assignment = personal_assignment.assignment
    learner = personal_assignment.user
    due = date_format(personal_assignment.due_on, "j F Y")
    title = str(assignment.item)
    context = {
        "learner": learner,
        "assignment": assignment,
        "organisation": assignment.organisation,
        "item": assignment.item,
        "item_url": item_url(assignment),
        "due_on": personal_assignment.due_on,
        "days_left": (personal_assignment.due_on - today).days,
        "overdue": overdue,
        "dashboard_url": settings.ACADEMY_SITE_URL + reverse("dashboard"),
    }
    subject = f"Overdue since {due}: {title}" if overdue else f"Due by {due}: {title}"
    message = EmailMultiAlternatives(
        subject=SUBJECT_PREFIX + subject,
        body=render_to_string("organisations/email/assignment_reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[learner.email],
    )
    message.attach_alternative(
        render_to_string("organisations/email/assignment_reminder.html", context), "text/html"
    )
    return message


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
