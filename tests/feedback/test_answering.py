"""Answering a survey: once, only one's own, nothing stored on bad input, and the response kept
apart from the person."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone

from academy.models import Membership
from feedback import services
from feedback.errors import FeedbackError
from feedback.models import Answer, Offer, Response
from tests.academy.factories import MembershipFactory, OrganisationFactory

from .factories import make_survey, offer_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(course):
    return make_survey(course=course)


@pytest.fixture
def offer(survey, learner):
    return offer_to(survey, learner)


def form_for(survey, *, ratings=(4, 5, 3, 4), text="More worked examples, please."):
    ratings = iter(ratings)
    data = {}
    for question in survey.questions.all():
        data[f"question_{question.pk}"] = next(ratings) if question.is_rating else text
    return data


def test_a_learner_answers_once_and_is_thanked(survey, offer, learner, learner_client):
    organisation = OrganisationFactory(name="Riverside NHS Trust")
    MembershipFactory(user=learner, organisation=organisation, role=Membership.Role.LEARNER)
    url = reverse("feedback:answer", args=[offer.pk])
    page = learner_client.get(url).content.decode()
    assert f"Tell us about {survey.course.title}" in page
    assert "Your answers are anonymous" in page
    assert "1 – Very unclear" in page and "5 – Very clear" in page
    assert "What one thing would make it better? (optional)" in page

    response = learner_client.post(url, form_for(survey), follow=True)
    assert f"Thank you for telling us about {survey.course.title}" in response.content.decode()
    stored = Response.objects.get()
    assert stored.month == timezone.localdate().replace(day=1)
    assert (stored.organisation, stored.organisation_kind) == (organisation, organisation.kind)
    ratings = sorted(Answer.objects.filter(rating__isnull=False).values_list("rating", flat=True))
    assert ratings == [3, 4, 4, 5]
    assert Answer.objects.get(rating__isnull=True).text == "More worked examples, please."
    offer.refresh_from_db()
    assert offer.state == Offer.State.ANSWERED

    # Twice: the page says it is done, and sending the form again stores nothing more.
    assert "already answered" in learner_client.get(url).content.decode()
    learner_client.post(url, form_for(survey, ratings=(1, 1, 1, 1)))
    assert Response.objects.count() == 1
    with pytest.raises(FeedbackError, match="already answered"):
        services.answer(offer=offer, user=learner, answers={})


def test_a_missing_rating_is_pointed_out_and_nothing_is_stored(survey, offer, learner_client):
    data = form_for(survey)
    first = survey.questions.first()
    del data[f"question_{first.pk}"]
    data[f"question_{survey.questions.last().pk}"] = '=HYPERLINK("http://x")'
    page = learner_client.post(reverse("feedback:answer", args=[offer.pk]), data)
    text = page.content.decode()
    assert "There is a problem" in text
    assert f'href="#id_question_{first.pk}_0"' in text
    assert "Choose a rating from 1 to 5." in text
    assert not Response.objects.exists() and not Answer.objects.exists()
    offer.refresh_from_db()
    assert offer.state == Offer.State.OFFERED


def test_the_service_refuses_what_the_form_would(survey, offer, learner):
    rating = survey.questions.filter(kind="rating").first()
    for answers, message in [
        ({}, "Choose a rating"),
        ({**{q.pk: 3 for q in survey.questions.all()}, rating.pk: 6}, "Choose a rating"),
        ({q.pk: 3 if q.is_rating else "x" * 2001 for q in survey.questions.all()}, "2000"),
        ({**{q.pk: 3 if q.is_rating else "" for q in survey.questions.all()}, 999999: 1}, "not"),
    ]:
        with pytest.raises(FeedbackError, match=message):
            services.answer(offer=offer, user=learner, answers=answers)
    assert not Response.objects.exists()


def test_nobody_answers_or_skips_someone_elses_offer(survey, offer, other_learner, client):
    client.force_login(other_learner)
    answer_url = reverse("feedback:answer", args=[offer.pk])
    assert client.get(answer_url).status_code == 404
    assert client.post(answer_url, form_for(survey)).status_code == 404
    assert client.post(reverse("feedback:skip", args=[offer.pk])).status_code == 404
    assert client.get(reverse("feedback:answer", args=[offer.pk + 1000])).status_code == 404
    with pytest.raises(FeedbackError, match="not offered to you"):
        services.answer(offer=offer, user=other_learner, answers={})
    offer.refresh_from_db()
    assert offer.state == Offer.State.OFFERED and not Response.objects.exists()


def test_a_survey_not_offered_cannot_be_answered(course, learner_client):
    make_survey(course=course)
    # No offer exists for the learner: there is no address to answer at.
    assert learner_client.get(reverse("feedback:answer", args=[1])).status_code == 404


def test_signing_in_comes_first(offer, client):
    response = client.get(reverse("feedback:answer", args=[offer.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_responses_cannot_be_traced_to_people():
    """No column of a response or an answer points at a person or tells the time of day, and
    their keys are random (no sequence to line up with the offers')."""
    user_model = get_user_model()
    for model in (Response, Answer):
        fields = model._meta.get_fields()
        assert not [f for f in fields if f.is_relation and f.related_model is user_model], model
        assert not [f for f in fields if isinstance(f, models.DateTimeField | models.TimeField)]
        assert isinstance(model._meta.pk, models.UUIDField)
        assert model._meta.pk.default is uuid.uuid4
    assert not [f for f in Offer._meta.get_fields() if f.name.startswith("answer")]
