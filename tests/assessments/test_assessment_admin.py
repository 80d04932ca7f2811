"""Trainers set an assessment's questions (fixed and drawn), order, pages, timing, attempts and
grading method in the Wagtail admin."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from assessments.models import Assessment, GradingMethod
from tests.assessments.factories import QuestionBankFactory, QuestionFactory
from tests.complaint_standards.factories import ExpectationFactory

pytestmark = pytest.mark.django_db


def assessment_form(**fields):
    return nested_form_data(
        {
            "title": "Complaint Standards check",
            "instructions": "",
            "pass_mark": 80,
            "shuffle_options": "on",
            "questions_per_page": "",
            "time_limit_minutes": "",
            "opens_at": "",
            "closes_at": "",
            "max_attempts": "",
            "attempt_delay_minutes": "",
            "grading_method": GradingMethod.HIGHEST,
            "second_marking_percent": 0,
            "moderation_tolerance": 10,
            "assessment_questions": inline_formset(
                [{"question": QuestionFactory().pk, "marks": 1}], min=1
            ),
            **fields,
        }
    )


def test_a_trainer_sets_the_timing_attempts_and_grading_method(client, trainer):
    client.force_login(trainer)
    form = client.get(reverse("assessment:add")).content.decode()
    for label in ("Time limit (minutes)", "Opens", "Closes", "Grading method"):
        assert label in form
    response = client.post(
        reverse("assessment:add"),
        assessment_form(
            time_limit_minutes=45,
            opens_at="2026-12-01 09:00",
            closes_at="2026-12-08 17:00",
            max_attempts=3,
            attempt_delay_minutes=60,
            grading_method=GradingMethod.AVERAGE,
        ),
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.time_limit_minutes == 45
    assert assessment.max_attempts == 3
    assert assessment.attempt_delay_minutes == 60
    assert assessment.grading_method == GradingMethod.AVERAGE
    # Entered as UK time (Europe/London): 09:00 in December is 09:00 UTC.
    assert assessment.opens_at.isoformat() == "2026-12-01T09:00:00+00:00"


def test_closing_before_opening_is_refused(client, trainer):
    client.force_login(trainer)
    response = client.post(
        reverse("assessment:add"),
        assessment_form(opens_at="2026-12-08 09:00", closes_at="2026-12-01 17:00"),
    )
    assert response.status_code == 200
    assert "The closing time must be after the opening time." in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_trainer_sets_how_essays_are_marked(client, trainer):
    client.force_login(trainer)
    response = client.post(
        reverse("assessment:add"),
        assessment_form(
            anonymous_marking="on",
            second_marking_percent=25,
            moderation_tolerance=15,
            hold_results="on",
        ),
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.anonymous_marking and assessment.hold_results
    assert (assessment.second_marking_percent, assessment.moderation_tolerance) == (25, 15)


def test_a_second_marking_share_over_100_is_refused(client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("assessment:add"), assessment_form(second_marking_percent=150))
    assert response.status_code == 200
    assert "less than or equal to 100" in response.content.decode()
    assert not Assessment.objects.exists()


# Fixed questions, random draws, shuffling and pages ---------------------------------------------


def rows(*items):
    """The assessment's rows of questions as the inline panel posts them."""
    return inline_formset(
        [
            {
                "question": item.get("question", ""),
                "bank": item.get("bank", ""),
                "expectation": item.get("expectation", ""),
                "draw_count": item.get("draw_count", ""),
                "marks": item.get("marks", 1),
            }
            for item in items
        ],
        min=1,
    )


@pytest.fixture
def bank():
    return QuestionBankFactory(name="Responding to complaints")


def test_a_trainer_mixes_fixed_questions_and_draws_with_shuffling_and_pages(client, trainer, bank):
    expectation = ExpectationFactory()
    fixed = QuestionFactory(bank=bank)
    for _ in range(3):
        question = QuestionFactory(bank=bank)
        question.expectations.add(expectation)
        question.save()
    QuestionFactory(bank=bank)
    client.force_login(trainer)
    form = client.get(reverse("assessment:add")).content.decode()
    for label in (
        "Shuffle questions",
        "Questions per page",
        "Or draw from bank",
        "Only questions tagged with",
        "Number of questions to draw",
    ):
        assert label in form
    response = client.post(
        reverse("assessment:add"),
        assessment_form(
            shuffle_questions="on",
            questions_per_page=5,
            assessment_questions=rows(
                {"question": fixed.pk, "marks": 4},
                {"bank": bank.pk, "expectation": expectation.pk, "draw_count": 2},
                {"bank": bank.pk, "draw_count": 2, "marks": 2},
            ),
        ),
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.shuffle_questions and assessment.questions_per_page == 5
    saved = list(
        assessment.assessment_questions.order_by("sort_order").values_list(
            "question", "bank", "expectation", "draw_count", "marks"
        )
    )
    assert saved == [
        (fixed.pk, None, None, None, 4),
        (None, bank.pk, expectation.pk, 2, 1),
        (None, bank.pk, None, 2, 2),
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            lambda bank: {"bank": bank.pk, "draw_count": 5},
            "This draw asks for 5 questions, but “Responding to complaints” has 2 questions. "
            "Draw at most 2.",
        ),
        (
            lambda bank: {"question": bank.questions.first().pk, "bank": bank.pk, "draw_count": 1},
            "Choose a fixed question or a bank to draw from, not both.",
        ),
        (
            lambda bank: {"draw_count": 1},
            "Choose the bank to draw the questions from.",
        ),
        (
            lambda bank: {"bank": bank.pk},
            "Enter how many questions to draw from “Responding to complaints”.",
        ),
        (
            lambda bank: {"bank": QuestionBankFactory(name="Empty").pk, "draw_count": 1},
            "“Empty” has no questions yet, so nothing can be drawn.",
        ),
    ],
)
def test_rows_that_cannot_be_given_are_refused_with_a_message_on_the_row(
    client, trainer, bank, row, message
):
    QuestionFactory(bank=bank)
    QuestionFactory(bank=bank)
    client.force_login(trainer)
    response = client.post(
        reverse("assessment:add"), assessment_form(assessment_questions=rows(row(bank)))
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert not Assessment.objects.exists()


def test_a_fixed_question_also_in_a_draws_bank_leaves_fewer_to_draw(client, trainer, bank):
    fixed = QuestionFactory(bank=bank)
    QuestionFactory(bank=bank)
    client.force_login(trainer)
    response = client.post(
        reverse("assessment:add"),
        assessment_form(
            assessment_questions=rows({"question": fixed.pk}, {"bank": bank.pk, "draw_count": 2})
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The questions cannot be given as they are: see the problem below." in html
    assert (
        "has 2 questions, and 1 of them is a fixed question in this assessment. Draw at most 1."
        in html
    )
    assert not Assessment.objects.exists()

    response = client.post(
        reverse("assessment:add"),
        assessment_form(
            assessment_questions=rows({"question": fixed.pk}, {"bank": bank.pk, "draw_count": 1})
        ),
    )
    assert response.status_code == 302


def test_the_same_question_twice_is_refused(client, trainer):
    question = QuestionFactory()
    client.force_login(trainer)
    response = client.post(
        reverse("assessment:add"),
        assessment_form(
            assessment_questions=rows({"question": question.pk}, {"question": question.pk})
        ),
    )
    assert response.status_code == 200
    # Django's own message for a duplicate in an inline (services.check_slots says the same for
    # rows checked outside a form).
    assert "Please correct the duplicate data for assessment and question" in (
        response.content.decode()
    )
    assert not Assessment.objects.exists()


def test_the_form_runs_a_fixed_number_of_queries_whatever_the_expectations(
    client, trainer, django_assert_max_num_queries
):
    client.force_login(trainer)
    url = reverse("assessment:add")
    ExpectationFactory()
    client.get(url)  # first request: permissions and site settings cached
    with django_assert_max_num_queries(20) as one:
        assert client.get(url).status_code == 200
    for _ in range(15):
        ExpectationFactory()
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("<option") > 16
