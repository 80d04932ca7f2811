"""The assessments app's part of erasing a person (portal.privacy.erase_learner)."""

from django.db import transaction

from ..models import Adjustment, QuestionKind, Response

ERASED_REASON = "Erased with the learner's personal data."


@transaction.atomic
def erase_personal_data(*, user) -> None:
    """Blank the person's essays (their own writing, often about their casework) and the reasons
    recorded for their adjustments (often about their health). Their attempts, marks and results
    stay, with no name on them: the Academy's figures and item analysis count them. Short and
    numerical answers stay too: a word or a number judged against the question's key, they say
    nothing about the person. Safe to run again."""
    Response.objects.filter(attempt__user=user, version__kind=QuestionKind.ESSAY).update(
        selected=[]
    )
    Adjustment.objects.filter(learner=user).update(reason=ERASED_REASON)
