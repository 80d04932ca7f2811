"""Trainers write questions in the Wagtail admin; questions that cannot be scored are refused."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from assessments import services
from assessments.models import Question, QuestionKind
from tests.assessments.factories import QuestionBankFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def question_form(kind, options):
    return nested_form_data(
        {
            "title": "Apologising",
            "bank": QuestionBankFactory().pk,
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
        (QuestionKind.SINGLE_CHOICE, [("A", False), ("B", False)], "at least one correct option"),
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
            "bank": question.bank_id,
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
    assert "at least one correct option" in response.content.decode()
    assert question.choices.filter(is_correct=True).count() == 1


def kind_form(kind, options, **fields):
    """The add form for a question of any kind; options are dicts of Choice fields."""
    blank = {
        "text": "",
        "is_correct": False,
        "fraction": "",
        "match_text": "",
        "value": "",
        "tolerance": "",
        "feedback": "",
    }
    return nested_form_data(
        {
            "title": f"A {kind} question",
            "bank": QuestionBankFactory().pk,
            "kind": kind,
            "stem": "How many working days may a first response take?",
            "general_feedback": "",
            **fields,
            "choices": inline_formset([{**blank, **option} for option in options], min=1),
        }
    )


@pytest.mark.parametrize(
    ("kind", "options", "fields"),
    [
        (
            QuestionKind.TRUE_FALSE,
            [{"text": "True", "is_correct": True}, {"text": "False"}],
            {},
        ),
        (
            QuestionKind.SHORT_ANSWER,
            [{"text": "Sorry", "is_correct": True}, {"text": "Apologise", "fraction": "0.5"}],
            {"case_sensitive": True},
        ),
        (
            QuestionKind.NUMERICAL,
            [
                {"value": "20", "is_correct": True},
                {"value": "20", "tolerance": "5", "fraction": "0.5"},
            ],
            {},
        ),
        (
            QuestionKind.MATCHING,
            [
                {"text": "Acknowledge", "match_text": "3 days"},
                {"text": "Respond", "match_text": "40 days"},
                {"text": "", "match_text": "A year"},
            ],
            {},
        ),
        (QuestionKind.ORDERING, [{"text": "Listen"}, {"text": "Act"}, {"text": "Learn"}], {}),
        (
            QuestionKind.SINGLE_CHOICE,
            [
                {"text": "Listen", "is_correct": True},
                {"text": "Hear them out", "is_correct": True},
                {"text": "Apologise", "fraction": "0.5"},
                {"text": "Argue"},
            ],
            {},
        ),
        (
            QuestionKind.NUMERICAL,
            [{"value": "20", "is_correct": True}, {"feedback": "Count the working days."}],
            {},
        ),
        (
            QuestionKind.MULTIPLE_RESPONSE,
            [
                {"text": "Listen", "is_correct": True, "fraction": "0.7"},
                {"text": "Apologise", "is_correct": True, "fraction": "0.3"},
                {"text": "Argue", "fraction": "-0.5"},
            ],
            {},
        ),
    ],
)
def test_a_trainer_adds_a_question_of_each_kind_and_it_can_be_given(
    client, trainer, kind, options, fields
):
    client.force_login(trainer)
    response = client.post(reverse("question:add"), kind_form(kind, options, **fields))
    assert response.status_code == 302, response.content.decode()
    question = Question.objects.get(kind=kind)
    assert question.choices.count() == len(options)
    version = services.current_version(question=question)
    assert version.kind == kind


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        (QuestionKind.TRUE_FALSE, [{"text": "True", "is_correct": True}], "exactly two options"),
        (QuestionKind.SHORT_ANSWER, [{"text": "Sorry"}], "earns the full mark"),
        (QuestionKind.NUMERICAL, [{"text": "20", "is_correct": True}], "not use “Text”"),
        (QuestionKind.NUMERICAL, [{"value": "20", "tolerance": "-1", "is_correct": True}], ""),
        (QuestionKind.MATCHING, [{"text": "Acknowledge", "match_text": "3 days"}], "two pairs"),
        (
            QuestionKind.ORDERING,
            [{"text": "Listen", "is_correct": True}, {"text": "Act"}],
            "Correct",
        ),
        (
            QuestionKind.MULTIPLE_RESPONSE,
            [{"text": "A", "is_correct": True, "fraction": "0.5"}, {"text": "B"}],
            "add up to 1",
        ),
        (QuestionKind.MULTIPLE_RESPONSE, [{"text": "A", "fraction": "2"}, {"text": "B"}], ""),
        (
            QuestionKind.SINGLE_CHOICE,
            [{"text": "A", "fraction": "0.5"}, {"text": "B"}],
            "at least one correct option",
        ),
        (
            QuestionKind.SINGLE_CHOICE,
            [{"text": "A", "is_correct": True}, {"text": "B", "fraction": "-0.5"}],
            "never takes marks away",
        ),
        (
            QuestionKind.NUMERICAL,
            [{"value": "20", "is_correct": True}, {"is_correct": True}],
            "the feedback for any other answer",
        ),
    ],
)
def test_a_question_of_any_kind_that_cannot_be_scored_is_refused_with_a_reason(
    client, trainer, kind, options, message
):
    client.force_login(trainer)
    response = client.post(reverse("question:add"), kind_form(kind, options))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_a_trainer_writes_wildcard_answers_with_a_catch_all_and_the_form_says_how(client, trainer):
    client.force_login(trainer)
    page = client.get(reverse("question:add")).content.decode()
    assert "* stands for any run of characters, none included" in page
    assert "\\* is a star itself" in page
    assert "kept between 0 and the full mark" in page  # how multiple-response fractions add
    options = [
        {"text": "Par*", "is_correct": True, "feedback": "Right."},
        {"text": "5 \\* 3", "is_correct": True},
        {"text": "*", "fraction": "0", "feedback": "Think of France."},  # Moodle's catch-all
    ]
    response = client.post(reverse("question:add"), kind_form(QuestionKind.SHORT_ANSWER, options))
    assert response.status_code == 302, response.content.decode()
    question = Question.objects.get(kind=QuestionKind.SHORT_ANSWER)
    assert [c.text for c in question.choices.order_by("sort_order")] == ["Par*", "5 \\* 3", "*"]
    version = services.current_version(question=question)
    assert [o["text"] for o in version.options] == ["Par*", "5 \\* 3", "*"]
