"""Questions worth more than one mark: the marks of each row of an assessment, frozen into each
attempt when it starts, weight the score, the percentage, the item analysis and essay marking,
and are written "x of y marks" without stray decimals."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from assessments import scoring, services, statistics
from assessments.formatting import mark_number, marks_out_of
from assessments.models import AssessmentQuestion, QuestionKind
from assessments.services.marking import MarkGiven
from tests.academy.factories import UserFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    RubricFactory,
    answer_post,
    correct_answer,
    essay_question,
    wrong_answer,
)
from tests.assessments.test_marking import essay_of, give, levels

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("earned", "out_of", "text"),
    [
        (Decimal("2.000"), 3, "2 of 3 marks"),
        (Decimal("1.500"), 2, "1.5 of 2 marks"),
        (Decimal("1"), 1, "1 of 1 mark"),
        (Decimal("0"), 4, "0 of 4 marks"),
        (Fraction(1, 3), 1, "0.33 of 1 mark"),
        (Decimal("0.6665") * 3, 3, "2 of 3 marks"),
    ],
)
def test_marks_are_written_without_odd_decimals(earned, out_of, text):
    assert marks_out_of(earned, out_of) == text


def test_a_number_of_marks_never_has_trailing_zeros():
    assert [mark_number(v) for v in (Decimal("2.00"), Decimal("10"), Decimal("0.50"))] == [
        "2",
        "10",
        "0.5",
    ]


def test_weighted_total_multiplies_each_share_by_its_marks():
    assert scoring.weighted_total([(Fraction(1), 3), (Fraction(1, 2), 2), (Fraction(0), 1)]) == 4
    with pytest.raises(ValueError):
        scoring.weighted_total([(Fraction(1), 0)])


def weighted_assessment(**kwargs):
    """A one-click question worth 1 and a three-option question worth 3."""
    return AssessmentFactory(
        questions=[
            {"question": QuestionFactory(kind=QuestionKind.SINGLE_CHOICE), "marks": 1},
            {"question": QuestionFactory(kind=QuestionKind.SINGLE_CHOICE), "marks": 3},
        ],
        pass_mark=75,
        **kwargs,
    )


def answer(attempt, *, right_positions):
    answers = {}
    for response in attempt.responses.select_related("version"):
        right = response.position in right_positions
        answers[response.pk] = correct_answer(response) if right else wrong_answer(response)
    services.save_answers(attempt=attempt, answers=answers)


def test_marks_weight_the_score_and_the_pass(learner):
    assessment = weighted_assessment(shuffle_questions=False)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    assert (attempt.max_points, attempt.question_count) == (4, 2)
    assert [r.max_marks for r in attempt.responses.order_by("position")] == [1, 3]
    answer(attempt, right_positions={2})
    attempt = services.submit_attempt(attempt=attempt)
    # One question of two right, but it is worth three of the four marks.
    assert (attempt.points, attempt.percent, attempt.passed) == (3, Decimal("75.00"), True)


def test_an_attempt_keeps_the_marks_it_started_with(learner):
    assessment = weighted_assessment(shuffle_questions=False)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    AssessmentQuestion.objects.filter(assessment=assessment).update(marks=10)
    answer(attempt, right_positions={2})
    attempt = services.submit_attempt(attempt=attempt)
    assert (attempt.max_points, attempt.percent) == (4, Decimal("75.00"))
    later = services.start_attempt(user=learner, assessment=assessment)
    assert later.max_points == 20


def test_a_draw_gives_each_drawn_question_its_rows_marks(learner):
    bank = QuestionFactory().bank
    for _ in range(3):
        QuestionFactory(bank=bank)
    assessment = AssessmentFactory(questions=[{"bank": bank, "draw_count": 2, "marks": 2}])
    attempt = services.start_attempt(user=learner, assessment=assessment)
    assert (attempt.max_points, attempt.question_count, attempt.page_count) == (4, 2, 1)


def test_the_result_page_says_marks_as_x_of_y(learner_client, learner):
    assessment = weighted_assessment(shuffle_questions=False)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    answer(attempt, right_positions={2})
    services.submit_attempt(attempt=attempt)
    page = learner_client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert "3 of 4 marks." in page
    assert "Mark: 0 of 1 mark<" in page and "Mark: 3 of 3 marks<" in page
    assert ".00" not in page and "of 1<" not in page


def test_a_weighted_essay_is_marked_in_its_marks(client, learner, assessor):
    assessment = AssessmentFactory(
        questions=[
            {"question": QuestionFactory(kind=QuestionKind.SINGLE_CHOICE), "marks": 1},
            {"question": essay_question(rubric=RubricFactory()), "marks": 4},
        ],
        pass_mark=50,
    )
    attempt = services.start_attempt(user=learner, assessment=assessment)
    essay = essay_of(attempt)
    answers = {
        r.pk: (["My essay."] if r.pk == essay.pk else wrong_answer(r))
        for r in attempt.responses.select_related("version")
    }
    services.save_answers(attempt=attempt, answers=answers)
    services.submit_attempt(attempt=attempt)
    # Two criteria of 0-2 points: full marks on one, half on the other, so 3 of 4 points.
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 2, 1)))
    attempt.refresh_from_db()
    assert (attempt.points, attempt.max_points, attempt.percent) == (3, 5, Decimal("60.00"))
    client.force_login(assessor)
    page = client.get(reverse("marking_mark", args=[essay.pk])).content.decode()
    assert "4 marks" in page
    assert "The final mark: 3 of 4 marks (75%)" in page


def test_item_analysis_weights_each_question_by_its_marks(learner):
    assessment = weighted_assessment(shuffle_questions=False)
    for right in ({1, 2}, {2}, {1}, set()):
        attempt = services.start_attempt(user=UserFactory(), assessment=assessment)
        answer(attempt, right_positions=right)
        services.submit_attempt(attempt=attempt)
    report = statistics.item_analysis(assessment=assessment)
    assert report.summary.max_points == 4
    assert report.summary.mean == pytest.approx((4 + 3 + 1 + 0) / 4)
    heavy = report.questions[1]
    assert heavy.max_mark == 3
    # Half the attempts earned its three marks: facility 0.5, whatever it is worth.
    assert heavy.facility == pytest.approx(0.5)
    # Its marks vary by 3 (sample SD of 3, 3, 0, 0 is sqrt(3)), shown as a share of them.
    assert heavy.sd == pytest.approx(3**0.5)
    assert heavy.sd_percent == pytest.approx(100 * 3**0.5 / 3)
    # Its place is meant to count for 3 of the test's 4 marks.
    assert [slot.intended_weight for slot in report.slots] == [25, 75]


def test_a_row_is_worth_at_least_one_mark(db):
    assessment = AssessmentFactory(questions=[QuestionFactory()])
    row = assessment.assessment_questions.get()
    row.marks = 0
    with pytest.raises(Exception):  # noqa: B017, PT011 - the check constraint refuses it
        row.save()


def test_the_attempt_page_posts_are_unchanged_by_marks(learner_client, learner):
    attempt = services.start_attempt(user=learner, assessment=weighted_assessment())
    answers = {r.pk: correct_answer(r) for r in attempt.responses.select_related("version")}
    learner_client.post(
        reverse("assessments:attempt", args=[attempt.pk]), answer_post(answers, submit=True)
    )
    attempt.refresh_from_db()
    assert (attempt.points, attempt.percent) == (4, Decimal("100.00"))
