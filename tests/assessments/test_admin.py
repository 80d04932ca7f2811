"""Trainers write questions in the Wagtail admin; questions that cannot be scored are refused."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from assessments.models import Question, QuestionKind
from tests.assessments.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def question_form(kind, options):
    return nested_form_data(
        {
            "title": "Apologising",
            "kind": kind,
            "stem": "When should a response include an apology?",
            "general_feedback": "An apology is not an admission of liability.",
            "choices": inline_formset(
                [
                    {"text": text, "is_correct": is_correct, "feedback": ""}
                    for text, is_correct in options
                ],
                min=2,
            ),
        }
    )


def test_a_trainer_adds_a_single_choice_question(client, trainer):
    client.force_login(trainer)
    data = question_form(
        QuestionKind.SINGLE_CHOICE,
        [("Whenever something went wrong", True), ("Only if a lawyer agrees", False)],
    )
    response = client.post(reverse("question:add"), data)
    assert response.status_code == 302
    question = Question.objects.get(title="Apologising")
    assert [(c.text, c.is_correct) for c in question.choices.order_by("sort_order")] == [
        ("Whenever something went wrong", True),
        ("Only if a lawyer agrees", False),
    ]


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        (QuestionKind.SINGLE_CHOICE, [("A", True), ("B", True)], "exactly one correct option"),
        (QuestionKind.SINGLE_CHOICE, [("A", False), ("B", False)], "exactly one correct option"),
        (QuestionKind.MULTIPLE_RESPONSE, [("A", False), ("B", False)], "at least one correct"),
    ],
)
def test_a_question_that_cannot_be_scored_is_refused_with_a_reason(
    client, trainer, kind, options, message
):
    client.force_login(trainer)
    response = client.post(reverse("question:add"), question_form(kind, options))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_deleting_the_right_option_while_editing_is_refused(client, trainer):
    question = QuestionFactory(kind=QuestionKind.SINGLE_CHOICE)
    choices = list(question.choices.order_by("sort_order"))
    data = nested_form_data(
        {
            "title": question.title,
            "kind": question.kind,
            "stem": question.stem,
            "general_feedback": question.general_feedback,
            "choices": inline_formset(
                [
                    {
                        "id": choice.pk,
                        "text": choice.text,
                        "is_correct": choice.is_correct,
                        "feedback": choice.feedback,
                        "DELETE": choice.is_correct,
                    }
                    for choice in choices
                ],
                initial=len(choices),
                min=2,
            ),
        }
    )
    client.force_login(trainer)
    response = client.post(reverse("question:edit", args=[question.pk]), data)
    assert response.status_code == 200
    assert "exactly one correct option" in response.content.decode()
    assert question.choices.filter(is_correct=True).count() == 1
