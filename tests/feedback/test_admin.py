"""Setting surveys in the admin, as trainers do: the standard questions to start with, one survey
per item, and questions with answers kept as they were asked."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from academy import services as people
from feedback.models import Question, Survey
from tests.academy.factories import UserFactory

from .factories import answer_as, make_survey

pytestmark = pytest.mark.django_db


def survey_form(*, course="", assessment="", questions=(), initial=0):
    return nested_form_data(
        {
            "course": course,
            "webinar": "",
            "assessment": assessment,
            "intro": "",
            "is_open": "on",
            "questions": inline_formset(list(questions), initial=initial),
        }
    )


def existing(survey, changes=None):
    """The survey's questions as the edit form sends them back, with `changes` by position."""
    rows = []
    for index, question in enumerate(survey.questions.all()):
        row = {
            "id": question.pk,
            "kind": question.kind,
            "text": question.text,
            "low_label": question.low_label,
            "high_label": question.high_label,
            "retired": "on" if question.retired else "",
        }
        row.update((changes or {}).get(index, {}))
        rows.append(row)
    return rows


def test_trainers_and_administrators_reach_surveys_and_others_do_not(
    client, trainer, administrator
):
    for allowed in (trainer, administrator):
        client.force_login(allowed)
        assert client.get(reverse("feedback_survey:index")).status_code == 200
        assert client.get(reverse("feedback_survey:add")).status_code == 200
    for group in (people.ASSESSORS, people.ANALYSTS):
        client.force_login(UserFactory(groups=[group], mfa=True))
        assert client.get(reverse("feedback_survey:index")).status_code in (302, 403)


def test_a_new_survey_starts_with_the_standard_questions(trainer_client, course):
    response = trainer_client.post(reverse("feedback_survey:add"), survey_form(course=course.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    survey = Survey.objects.get(course=course)
    assert [q.text for q in survey.questions.all()] == [
        "How clear was it?",
        "How useful will it be in your work?",
        "How well did it use your time?",
        "Overall, how would you rate it?",
        "What one thing would make it better?",
    ]
    # One survey per item.
    again = trainer_client.post(reverse("feedback_survey:add"), survey_form(course=course.pk))
    assert "already has a survey" in again.content.decode()
    assert Survey.objects.count() == 1


def test_a_survey_is_about_exactly_one_item(trainer_client, course_tree):
    for data in (
        survey_form(),
        survey_form(course=course_tree.course.pk, assessment=course_tree.assessment.pk),
    ):
        response = trainer_client.post(reverse("feedback_survey:add"), data)
        assert "Choose one course, one webinar or one assessment" in response.content.decode()
    assert not Survey.objects.exists()


def test_a_question_with_answers_keeps_its_wording_but_may_be_retired(trainer_client, course):
    survey = make_survey(course=course)
    answer_as(survey, ratings=(4, 4, 4, 4))
    url = reverse("feedback_survey:edit", args=[survey.pk])
    count = survey.questions.count()

    def post(questions):
        return trainer_client.post(
            url, survey_form(course=course.pk, questions=questions, initial=count)
        )

    reworded = existing(survey, {0: {"text": "How clear and short was it?"}})
    page = post(reworded)
    assert "“How clear was it?” has answers, so its wording" in page.content.decode()
    deleted = existing(survey, {1: {"DELETE": "1"}})
    page = post(deleted)
    assert "cannot be deleted" in page.content.decode()
    assert list(survey.questions.values_list("text", flat=True))[:2] == [
        "How clear was it?",
        "How useful will it be in your work?",
    ]

    retired = existing(survey, {0: {"retired": "on"}}) + [
        {
            "kind": "rating",
            "text": "How clear and short was it?",
            "low_label": "Very unclear",
            "high_label": "Very clear",
            "retired": "",
        }
    ]
    page = post(retired)
    assert page.status_code == 302, page.content.decode()[:3000]
    assert Question.objects.get(text="How clear was it?").retired
    assert survey.questions.filter(retired=False).count() == count
