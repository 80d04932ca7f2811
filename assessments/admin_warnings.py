"""Warnings the admin gives about an assessment's settings, wherever it is chosen or changed."""

from django.contrib import messages

from . import selectors, stakes
from .models import Assessment


def warn_if_answers_given_away(request, assessment: Assessment, leads: list[str] | None = None):
    """Warn the trainer when an assessment that leads somewhere (a certificate: `leads`, or what
    assessments.stakes says) shows feedback or the right answers while learners may try again:
    read from one attempt, they pass the next."""
    times = selectors.early_reveals(assessment)
    if not times:
        return
    leads = leads or stakes.leads_to(assessment=assessment)
    if not leads:
        return
    messages.warning(
        request,
        f"“{assessment.title}” leads to {' and '.join(leads)}, yet it shows feedback or the "
        f"right answers {'; '.join(times)}. A learner could read them from one attempt and pass "
        "the next: turn those review options off, or allow one attempt.",
    )
