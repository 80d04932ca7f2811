"""Starting, answering and submitting attempts through the assessment services."""

from decimal import Decimal

import pytest

from assessments import services
from assessments.models import Attempt, Choice, QuestionKind, QuestionVersion, Response
from assessments.signals import attempt_submitted
from tests.academy.factories import UserFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    correct_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment():
    return AssessmentFactory(
        questions=[
            QuestionFactory(kind=QuestionKind.SINGLE_CHOICE),
            QuestionFactory(kind=QuestionKind.SINGLE_CHOICE),
            QuestionFactory(kind=QuestionKind.MULTIPLE_RESPONSE),
        ],
        pass_mark=75,
    )


@pytest.fixture
def learner():
    return UserFactory()


@pytest.fixture
def submissions():
    """Every attempt_submitted announcement, in order."""
    sent = []

    def receiver(sender, attempt, **kwargs):
        sent.append(attempt.pk)

    attempt_submitted.connect(receiver, dispatch_uid="test-submissions")
    yield sent
    attempt_submitted.disconnect(dispatch_uid="test-submissions")


def selections(attempt):
    return {r.pk: r.selected for r in Response.objects.filter(attempt=attempt)}


# Starting -----------------------------------------------------------------------------------------


def test_an_attempt_gives_every_question_in_order_with_its_options_shuffled_once(
    assessment, learner
):
    attempt = services.start_attempt(user=learner, assessment=assessment)
    responses = list(attempt.responses.select_related("version").order_by("position"))
    slot_questions = [slot.question_id for slot in assessment.assessment_questions.all()]
    assert [r.version.question_id for r in responses] == slot_questions
    for response in responses:
        assert sorted(response.option_order) == sorted(o["key"] for o in response.version.options)
    # Resuming returns the same attempt with the same frozen order.
    again = services.start_attempt(user=learner, assessment=assessment)
    assert again.pk == attempt.pk
    assert [r.option_order for r in again.responses.order_by("position")] == [
        r.option_order for r in responses
    ]


def test_editing_a_question_never_changes_a_started_attempt(assessment, learner):
    attempt = services.start_attempt(user=learner, assessment=assessment)
    first = attempt.responses.select_related("version").get(position=1)
    question = first.version.question
    original_stem = first.version.stem
    original_options = first.version.options

    question.stem = "A rewritten question after the attempt started?"
    question.save()
    # The right answer moves from the first option to the second.
    right, wrong = question.choices.order_by("sort_order")[:2]
    right.is_correct, wrong.is_correct = False, True
    right.save()
    wrong.save()

    first.refresh_from_db()
    frozen = QuestionVersion.objects.get(pk=first.version_id)
    assert frozen.stem == original_stem
    assert frozen.options == original_options

    # Answering as the question was when the attempt started still earns the mark.
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    submitted = services.submit_attempt(attempt=attempt)
    assert submitted.percent == Decimal("100.00")

    # The next attempt is given the edited question, as a new version.
    second = services.start_attempt(user=learner, assessment=assessment)
    second_first = second.responses.select_related("version").get(position=1)
    assert second_first.version_id != frozen.pk
    assert second_first.version.number == frozen.number + 1
    assert second_first.version.stem == "A rewritten question after the attempt started?"
    assert QuestionVersion.objects.filter(question=question).count() == 2


def test_an_unchanged_question_reuses_its_version(assessment, learner):
    first = services.start_attempt(user=learner, assessment=assessment)
    other = services.start_attempt(user=UserFactory(), assessment=assessment)
    assert {r.version_id for r in first.responses.all()} == {
        r.version_id for r in other.responses.all()
    }
    assert QuestionVersion.objects.count() == 3


def test_without_shuffling_options_keep_their_authored_order(learner):
    question = QuestionFactory()
    assessment = AssessmentFactory(questions=[question], shuffle_options=False)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    response = attempt.responses.select_related("version").get()
    texts = {o["key"]: o["text"] for o in response.version.options}
    assert [texts[k] for k in response.option_order] == list(
        question.choices.order_by("sort_order").values_list("text", flat=True)
    )


def test_the_attempt_limit_holds(assessment, learner):
    assessment.max_attempts = 2
    assessment.save()
    for _ in range(2):
        attempt = services.start_attempt(user=learner, assessment=assessment)
        services.submit_attempt(attempt=attempt)
    assert services.attempts_left(user=learner, assessment=assessment) == 0
    with pytest.raises(services.AssessmentError, match="used all the attempts"):
        services.start_attempt(user=learner, assessment=assessment)
    assert Attempt.objects.filter(user=learner, assessment=assessment).count() == 2
    # Another learner has attempts of their own.
    assert services.attempts_left(user=UserFactory(), assessment=assessment) == 2


def test_an_assessment_without_questions_cannot_be_started(learner):
    with pytest.raises(services.AssessmentError, match="no questions"):
        services.start_attempt(user=learner, assessment=AssessmentFactory())
    assert not Attempt.objects.exists()


def test_a_question_that_cannot_be_scored_is_refused():
    with pytest.raises(services.AssessmentError, match="exactly one correct"):
        services.check_question(
            kind=QuestionKind.SINGLE_CHOICE, choices=[{"is_correct": True}, {"is_correct": True}]
        )
    with pytest.raises(services.AssessmentError, match="at least one correct"):
        services.check_question(
            kind=QuestionKind.MULTIPLE_RESPONSE, choices=[{"is_correct": False}] * 3
        )
    with pytest.raises(services.AssessmentError, match="two options"):
        services.check_question(kind=QuestionKind.SINGLE_CHOICE, choices=[{"is_correct": True}])


def test_a_question_broken_after_authoring_cannot_be_given(learner):
    question = QuestionFactory(kind=QuestionKind.SINGLE_CHOICE)
    Choice.objects.filter(question=question).update(is_correct=False)
    assessment = AssessmentFactory(questions=[question])
    with pytest.raises(services.AssessmentError):
        services.start_attempt(user=learner, assessment=assessment)
    assert not Attempt.objects.exists()


# Answering ----------------------------------------------------------------------------------------


def test_answers_are_saved_and_can_be_changed_before_submitting(assessment, learner):
    attempt = services.start_attempt(user=learner, assessment=assessment)
    services.save_answers(attempt=attempt, answers=wrong_answers(attempt))
    assert selections(attempt) == wrong_answers(attempt)
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    assert selections(attempt) == correct_answers(attempt)


def test_an_option_from_another_question_is_refused_and_changes_nothing(assessment, learner):
    attempt = services.start_attempt(user=learner, assessment=assessment)
    services.save_answers(attempt=attempt, answers=wrong_answers(attempt))
    before = selections(attempt)
    first, second, _third = attempt.responses.order_by("position")
    tampered = correct_answers(attempt)
    tampered[first.pk] = [second.option_order[0]]
    with pytest.raises(services.AssessmentError, match="not in its question"):
        services.save_answers(attempt=attempt, answers=tampered)
    assert selections(attempt) == before


def test_an_invented_option_key_is_refused_and_changes_nothing(assessment, learner):
    attempt = services.start_attempt(user=learner, assessment=assessment)
    before = selections(attempt)
    first = attempt.responses.order_by("position").first()
    with pytest.raises(services.AssessmentError):
        services.save_answers(attempt=attempt, answers={first.pk: ["deadbeef"]})
    assert selections(attempt) == before


def test_answers_for_another_attempts_questions_are_refused_and_change_nothing(assessment, learner):
    mine = services.start_attempt(user=learner, assessment=assessment)
    theirs = services.start_attempt(user=UserFactory(), assessment=assessment)
    mine_before, theirs_before = selections(mine), selections(theirs)
    answers = correct_answers(mine)
    their_response = theirs.responses.first()
    answers[their_response.pk] = [their_response.option_order[0]]
    with pytest.raises(services.AssessmentError, match="do not match"):
        services.save_answers(attempt=mine, answers=answers)
    assert selections(mine) == mine_before
    assert selections(theirs) == theirs_before


def test_two_options_for_a_single_choice_question_are_refused(assessment, learner):
    attempt = services.start_attempt(user=learner, assessment=assessment)
    single = attempt.responses.select_related("version").get(position=1)
    assert single.version.kind == QuestionKind.SINGLE_CHOICE
    with pytest.raises(services.AssessmentError, match="only one"):
        services.save_answers(attempt=attempt, answers={single.pk: single.option_order[:2]})
    assert selections(attempt)[single.pk] == []


def test_a_submitted_attempt_cannot_be_changed(assessment, learner):
    attempt = services.start_attempt(user=learner, assessment=assessment)
    services.save_answers(attempt=attempt, answers=wrong_answers(attempt))
    services.submit_attempt(attempt=attempt)
    with pytest.raises(services.AssessmentError, match="already been submitted"):
        services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("0.00")
    assert selections(attempt) == wrong_answers(attempt)


# Submitting ---------------------------------------------------------------------------------------


def test_full_marks_pass(assessment, learner, submissions):
    attempt = services.start_attempt(user=learner, assessment=assessment)
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    result = services.submit_attempt(attempt=attempt)
    assert result.is_submitted
    assert result.submitted_at is not None
    assert (result.points, result.max_points, result.percent) == (
        Decimal("3.000"),
        3,
        Decimal("100.00"),
    )
    assert result.passed is True
    assert submissions == [attempt.pk]


def test_two_of_three_is_below_a_75_percent_pass_mark(assessment, learner):
    attempt = services.start_attempt(user=learner, assessment=assessment)
    answers = correct_answers(attempt)
    last = attempt.responses.order_by("position").last()
    answers[last.pk] = []
    services.save_answers(attempt=attempt, answers=answers)
    result = services.submit_attempt(attempt=attempt)
    assert result.percent == Decimal("66.67")
    assert result.passed is False
    assert [r.score for r in result.responses.order_by("position")] == [
        Decimal("1.000"),
        Decimal("1.000"),
        Decimal("0.000"),
    ]


def test_submitting_twice_scores_once_and_announces_once(assessment, learner, submissions):
    attempt = services.start_attempt(user=learner, assessment=assessment)
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    first = services.submit_attempt(attempt=attempt)
    second = services.submit_attempt(attempt=attempt)
    assert second.pk == first.pk
    assert second.submitted_at == first.submitted_at
    assert second.percent == first.percent
    assert submissions == [attempt.pk]
    assert Attempt.objects.filter(user=learner, status=Attempt.Status.SUBMITTED).count() == 1


def test_a_new_attempt_starts_after_submission(assessment, learner):
    first = services.start_attempt(user=learner, assessment=assessment)
    services.submit_attempt(attempt=first)
    second = services.start_attempt(user=learner, assessment=assessment)
    assert second.pk != first.pk
    assert second.number == 2
    assert not second.is_submitted
