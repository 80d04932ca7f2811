"""The same answers sent twice at the same moment (two tabs, a double click) give one response:
the offer row is locked while the response is written (PostgreSQL only)."""

import pytest
from django.db import connection

from feedback import services
from feedback.errors import FeedbackError
from feedback.models import Answer, Offer, Response
from tests.races import race

from .factories import make_survey, offer_to

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so no race",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_answering_twice_at_once_records_one_response(course, learner):
    survey = make_survey(course=course)
    questions = list(survey.questions.all())
    answers = {q.pk: 4 if q.is_rating else "Fine." for q in questions}
    for _ in range(5):
        Response.objects.all().delete()
        offer = offer_to(survey, learner)

        results, errors = race(
            2, lambda offer=offer: services.answer(offer=offer, user=learner, answers=answers)
        )
        assert len(results) == 1 and len(errors) == 1, (results, errors)
        assert isinstance(errors[0], FeedbackError)
        assert "already answered" in str(errors[0])
        assert Response.objects.count() == 1
        assert Answer.objects.count() == len(questions)
        offer.refresh_from_db()
        assert offer.state == Offer.State.ANSWERED
        offer.delete()
