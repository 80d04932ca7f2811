"""Reading offers and surveys, each in a fixed number of queries."""

from django.db.models import Count, Q, QuerySet

from assessments.models import Assessment
from courses.models import CoursePage, WebinarPage

from .models import Offer, Survey

_ITEMS = ("survey__course", "survey__webinar", "survey__assessment")


def open_offers(*, user) -> list[Offer]:
    """The surveys waiting for the person's answer, newest first (one query)."""
    if not user.is_authenticated:
        return []
    return list(
        Offer.objects.filter(user=user, state=Offer.State.OFFERED, survey__is_open=True)
        .select_related("survey", *_ITEMS)
        .order_by("-offered_at", "-pk")
    )


def _about(item) -> dict:
    if isinstance(item, CoursePage):
        return {"survey__course_id": item.pk}
    if isinstance(item, WebinarPage):
        return {"survey__webinar_id": item.pk}
    if isinstance(item, Assessment):
        return {"survey__assessment_id": item.pk}
    raise TypeError(f"Surveys are about courses, webinars and assessments, not {item!r}.")


def open_offer_for(*, user, item) -> Offer | None:
    """The person's open offer of the survey about this course, webinar or assessment, if any
    (one query): for a link on the item's own pages."""
    if not user.is_authenticated or item is None:
        return None
    return (
        Offer.objects.filter(
            user=user, state=Offer.State.OFFERED, survey__is_open=True, **_about(item)
        )
        .select_related("survey", *_ITEMS)
        .first()
    )


def offer_of(*, user, offer_id: int) -> Offer | None:
    """The person's own offer with this id (None for anyone else's)."""
    return Offer.objects.filter(pk=offer_id, user=user).select_related("survey", *_ITEMS).first()


def asked_questions(*, survey: Survey) -> list:
    return list(survey.questions.filter(retired=False))


def surveys_with_counts() -> QuerySet:
    """Every survey with its item and its number of responses and open offers (one query)."""
    return (
        Survey.objects.select_related("course", "webinar", "assessment")
        .annotate(
            response_count=Count("responses", distinct=True),
            waiting_count=Count(
                "offers", filter=Q(offers__state=Offer.State.OFFERED), distinct=True
            ),
        )
        .order_by("-created_at", "-pk")
    )


def personal_data(*, user) -> dict:
    """The surveys offered to the person and what they did with each, for their own download
    (portal.privacy). What they answered is not theirs to download, nor anyone's to trace: answers
    are kept without the person. One query."""
    offers = Offer.objects.filter(user=user).select_related("survey", *_ITEMS).order_by("pk")
    return {
        "feedback_surveys": {
            "note": (
                "Your answers to surveys are kept without your name or account, so nobody, you "
                "included, can tell which answers were yours. This lists only which surveys you "
                "were offered and whether you answered or skipped them."
            ),
            "offers": [
                {
                    "about": offer.survey.item_title,
                    "offered": offer.offered_at,
                    "state": offer.get_state_display(),
                }
                for offer in offers
            ],
        }
    }
