"""Surveys (through the service, so they get the standard questions) and people answering them."""

from datetime import date
from unittest.mock import patch

from academy.models import Membership
from feedback import services
from feedback.models import Offer, Survey
from tests.academy.factories import MembershipFactory, UserFactory


def make_survey(**item) -> Survey:
    """A survey about `course=`, `webinar=` or `assessment=`, with the standard questions: four
    ratings then "What one thing would make it better?"."""
    return services.create_survey(survey=Survey(**item))


def offer_to(survey: Survey, user) -> Offer:
    return Offer.objects.create(survey=survey, user=user)


def answer_as(survey: Survey, *, ratings, text="", organisation=None, month=None, user=None):
    """A new person (in `organisation`, if given) answers the survey: `ratings` in the order of
    its rating questions, `text` for its one free-text question; answered in `month`."""
    if user is None:
        user = UserFactory()
        if organisation is not None:
            MembershipFactory(user=user, organisation=organisation, role=Membership.Role.LEARNER)
    offer = offer_to(survey, user)
    questions = list(survey.questions.filter(retired=False))
    ratings = iter(ratings)
    answers = {q.pk: next(ratings) if q.is_rating else text for q in questions}
    when = month or date.today().replace(day=1)
    with patch("feedback.services.timezone.localdate", return_value=when):
        services.answer(offer=offer, user=user, answers=answers)
    return user
