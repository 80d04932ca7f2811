"""Starting, answering and submitting attempts through the assessment services."""

from decimal import Decimal

import pytest

from assessments import services
from assessments.models import Attempt, Choice, QuestionKind, QuestionVersion
from assessments.services import versions
from tests.academy.factories import UserFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    correct_answer,
    correct_answers,
    selections,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


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
    with pytest.raises(services.AssessmentError, match="at least one correct option"):
        services.check_question(
            kind=QuestionKind.SINGLE_CHOICE,
            choices=[{"text": "A", "fraction": Decimal("0.5")}, {"text": "B"}],
        )
    with pytest.raises(services.AssessmentError, match="at least one correct"):
        services.check_question(
            kind=QuestionKind.MULTIPLE_RESPONSE, choices=[{"is_correct": False}] * 3
        )
    with pytest.raises(services.AssessmentError, match="two options"):
        services.check_question(kind=QuestionKind.SINGLE_CHOICE, choices=[{"is_correct": True}])


def test_a_single_choice_may_have_several_right_options_and_part_marks_from_0_to_1():
    services.check_question(
        kind=QuestionKind.SINGLE_CHOICE,
        choices=[
            {"text": "A", "is_correct": True},
            {"text": "B", "is_correct": True},
            {"text": "C", "fraction": Decimal("0.5")},
            {"text": "D"},
        ],
    )
    refusals = [
        ({"text": "C", "fraction": Decimal("-0.5")}, "never takes marks away"),
        ({"text": "C", "fraction": Decimal("1.5")}, "from -1 to 1"),
        ({"text": "C", "is_correct": True, "fraction": Decimal("0.5")}, "untick it"),
    ]
    for option, message in refusals:
        with pytest.raises(services.AssessmentError, match=message):
            services.check_question(
                kind=QuestionKind.SINGLE_CHOICE,
                choices=[{"text": "A", "is_correct": True}, option],
            )


def test_one_numerical_option_without_a_value_is_the_feedback_for_any_other_answer():
    right = {"value": Decimal(6), "is_correct": True}
    services.check_question(
        kind=QuestionKind.NUMERICAL, choices=[right, {"value": None, "feedback": "Count again."}]
    )
    refusals = [
        ([right, {"value": None, "is_correct": True}], "cannot be correct, earn marks"),
        ([right, {"value": None, "fraction": Decimal("0.5")}], "cannot be correct, earn marks"),
        ([right, {"value": None, "tolerance": Decimal(1)}], "or have a tolerance"),
        ([right, {"value": None}, {"value": None}], "Options 2 and 3 have no value"),
        ([{"value": None}], "at least one answer that earns the full mark"),
    ]
    for choices, message in refusals:
        with pytest.raises(services.AssessmentError, match=message):
            services.check_question(kind=QuestionKind.NUMERICAL, choices=choices)


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


# Other kinds of question ------------------------------------------------------------------------

NEW_KINDS = [
    QuestionKind.TRUE_FALSE,
    QuestionKind.SHORT_ANSWER,
    QuestionKind.NUMERICAL,
    QuestionKind.MATCHING,
    QuestionKind.ORDERING,
]


def one_question_attempt(learner, question, **assessment_fields):
    assessment = AssessmentFactory(questions=[question], **assessment_fields)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    return attempt, attempt.responses.select_related("version").get()


def score_of(attempt, answer):
    response = attempt.responses.get()
    services.save_answers(attempt=attempt, answers={response.pk: answer})
    services.submit_attempt(attempt=attempt)
    response.refresh_from_db()
    return response.score


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_every_kind_scores_full_marks_for_the_right_answer_and_none_for_a_wrong_one(kind, learner):
    right = AssessmentFactory(questions=[QuestionFactory(kind=kind)])
    attempt = services.start_attempt(user=learner, assessment=right)
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    assert services.submit_attempt(attempt=attempt).percent == Decimal("100.00")

    attempt = services.start_attempt(user=learner, assessment=right)
    services.save_answers(attempt=attempt, answers=wrong_answers(attempt))
    assert services.submit_attempt(attempt=attempt).percent == Decimal("0.00")

    # Unanswered earns nothing too.
    attempt = services.start_attempt(user=learner, assessment=right)
    assert services.submit_attempt(attempt=attempt).percent == Decimal("0.00")


def test_true_or_false_keeps_its_two_options_in_the_written_order(learner):
    question = QuestionFactory(kind=QuestionKind.TRUE_FALSE)
    _attempt, response = one_question_attempt(learner, question, shuffle_options=True)
    texts = {o["key"]: o["text"] for o in response.version.options}
    assert [texts[k] for k in response.option_order] == ["True", "False"]


def test_a_typed_answer_shows_no_options(learner):
    for kind in (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERICAL):
        _attempt, response = one_question_attempt(learner, QuestionFactory(kind=kind))
        assert response.option_order == []


def test_ordering_items_are_never_shown_in_the_right_order_even_without_shuffling(learner):
    question = QuestionFactory(
        kind=QuestionKind.ORDERING, options=[{"text": "First"}, {"text": "Second"}]
    )
    for _ in range(5):
        attempt, response = one_question_attempt(learner, question, shuffle_options=False)
        assert response.option_order == [o["key"] for o in response.version.options][::-1]
        services.submit_attempt(attempt=attempt)


def test_matching_shows_each_right_hand_answer_once_and_shuffled(learner):
    question = QuestionFactory(
        kind=QuestionKind.MATCHING,
        options=[
            {"text": "Acknowledge", "match_text": "Within 3 days"},
            {"text": "Agree a plan", "match_text": "Within 3 days"},
            {"text": "Respond", "match_text": "Within 40 days"},
            {"text": "", "match_text": "Within a year"},
        ],
    )
    _attempt, response = one_question_attempt(learner, question, shuffle_options=False)
    options = response.version.options
    lefts = [o for o in options if o["side"] == "left"]
    rights = {o["key"]: o["text"] for o in options if o["side"] == "right"}
    assert [o["text"] for o in lefts] == ["Acknowledge", "Agree a plan", "Respond"]
    assert sorted(rights.values()) == ["Within 3 days", "Within 40 days", "Within a year"]
    assert lefts[0]["match"] == lefts[1]["match"]
    # Lefts in the written order (no shuffling asked), then every right-hand answer.
    assert response.option_order[:3] == [o["key"] for o in lefts]
    assert sorted(response.option_order[3:]) == sorted(rights)


def test_multiple_response_with_fractions_gives_part_marks_and_takes_marks_away(learner):
    question = QuestionFactory(
        kind=QuestionKind.MULTIPLE_RESPONSE,
        options=[
            {"text": "Listen", "is_correct": True, "fraction": Decimal("0.75")},
            {"text": "Apologise", "is_correct": True, "fraction": Decimal("0.25")},
            {"text": "Argue", "fraction": Decimal("-0.5")},
            {"text": "Wait", "fraction": Decimal("0")},
            {"text": "Blame"},  # no fraction: takes away one equal share (1/2)
        ],
    )

    def keys(attempt, *texts):
        version = attempt.responses.get().version
        return [o["key"] for o in version.options if o["text"] in texts]

    expected = [
        (("Listen",), Decimal("0.750")),
        (("Listen", "Apologise"), Decimal("1.000")),
        (("Listen", "Apologise", "Wait"), Decimal("1.000")),
        (("Listen", "Argue"), Decimal("0.250")),
        (("Apologise", "Argue"), Decimal("0.000")),  # floored at 0
        (("Listen", "Apologise", "Blame"), Decimal("0.500")),
    ]
    for texts, score in expected:
        attempt, _response = one_question_attempt(learner, question)
        assert score_of(attempt, keys(attempt, *texts)) == score, texts


def test_short_answers_ignore_case_and_spaces_unless_told_otherwise(learner):
    question = QuestionFactory(
        kind=QuestionKind.SHORT_ANSWER,
        options=[
            {"text": "Say sorry", "is_correct": True},
            {"text": "Apology", "is_correct": True},
            {"text": "Explain", "fraction": Decimal("0.5")},
        ],
    )
    cases = [
        ("  say   SORRY ", Decimal("1.000")),
        ("apology", Decimal("1.000")),
        ("explain", Decimal("0.500")),
        ("sorry", Decimal("0.000")),
    ]
    for typed, score in cases:
        attempt, _response = one_question_attempt(learner, question)
        assert score_of(attempt, [typed]) == score, typed

    question.case_sensitive = True
    question.save()
    attempt, response = one_question_attempt(learner, question)
    assert response.version.settings == {"case_sensitive": True}
    assert score_of(attempt, ["say sorry"]) == Decimal("0.000")
    attempt, _response = one_question_attempt(learner, question)
    assert score_of(attempt, [" Say  sorry"]) == Decimal("1.000")


def test_numerical_answers_within_a_tolerance_or_range_earn_their_marks(learner):
    question = QuestionFactory(
        kind=QuestionKind.NUMERICAL,
        options=[
            {"value": Decimal("40"), "is_correct": True},
            {"value": Decimal("35"), "tolerance": Decimal("10"), "fraction": Decimal("0.5")},
        ],
    )
    for typed, score in [
        ("40", "1.000"),
        ("40.000", "1.000"),
        ("4e1", "1.000"),
        ("45", "0.500"),
        ("25", "0.500"),
        ("24.99", "0.000"),
        ("1,040", "0.000"),
    ]:
        attempt, _response = one_question_attempt(learner, question)
        assert score_of(attempt, [typed]) == Decimal(score), typed


def test_matching_gives_a_share_per_right_pair(learner):
    question = QuestionFactory(kind=QuestionKind.MATCHING)
    attempt, response = one_question_attempt(learner, question)
    answer = correct_answer(response)
    first = next(iter(answer))
    answer[first] = ""  # one of three left unanswered
    assert score_of(attempt, answer) == Decimal("0.667")
    assert len(attempt.responses.get().selected) == 2


def test_ordering_gives_a_share_per_neighbouring_pair_in_the_right_order(learner):
    question = QuestionFactory(kind=QuestionKind.ORDERING)  # A, I, R, L
    attempt, response = one_question_attempt(learner, question)
    a, i, r, learn = (o["key"] for o in response.version.options)
    # I, R, L, A: "I then R" and "R then L" are right; "A then I" is not.
    answer = {i: "1", r: "2", learn: "3", a: "4"}
    assert score_of(attempt, answer) == Decimal("0.667")
    assert attempt.responses.get().selected == [i, r, learn, a]


@pytest.mark.parametrize(
    ("kind", "make_answer", "message"),
    [
        (QuestionKind.TRUE_FALSE, lambda r: r.option_order, "only one"),
        (QuestionKind.TRUE_FALSE, lambda r: {"x": "y"}, "do not match"),
        (QuestionKind.SHORT_ANSWER, lambda r: ["one", "two"], "do not match"),
        (QuestionKind.SHORT_ANSWER, lambda r: ["x" * 501], "under 500"),
        (QuestionKind.NUMERICAL, lambda r: ["twelve"], "enter a number"),
        (QuestionKind.NUMERICAL, lambda r: ["NaN"], "enter a number"),
        (QuestionKind.NUMERICAL, lambda r: ["1e10000000"], "at most 30 digits before"),
        (QuestionKind.NUMERICAL, lambda r: ["1e-100000000"], "at most 30 digits before"),
        (QuestionKind.MATCHING, lambda r: ["deadbeef"], "do not match"),
        (QuestionKind.MATCHING, lambda r: {"deadbeef": r.option_order[-1]}, "not in its question"),
        (QuestionKind.MATCHING, lambda r: {r.option_order[0]: "deadbeef"}, "not in its question"),
        # A left-hand item given as an answer to another.
        (
            QuestionKind.MATCHING,
            lambda r: {r.option_order[0]: r.option_order[1]},
            "not in its question",
        ),
        (QuestionKind.ORDERING, lambda r: {r.option_order[0]: "9"}, "do not match"),
        (QuestionKind.ORDERING, lambda r: {"deadbeef": "1"}, "not in its question"),
        (
            QuestionKind.ORDERING,
            lambda r: {key: "1" for key in r.option_order},
            "different position",
        ),
        (QuestionKind.ORDERING, lambda r: {r.option_order[0]: "1"}, "different position"),
    ],
)
def test_answers_that_cannot_belong_to_the_question_are_refused_and_change_nothing(
    kind, make_answer, message, learner
):
    attempt, response = one_question_attempt(learner, QuestionFactory(kind=kind))
    services.save_answers(attempt=attempt, answers={response.pk: correct_answer(response)})
    before = selections(attempt)
    with pytest.raises(services.AssessmentError, match=message):
        services.save_answers(attempt=attempt, answers={response.pk: make_answer(response)})
    assert selections(attempt) == before


def test_an_answer_naming_another_questions_items_is_refused(learner):
    assessment = AssessmentFactory(
        questions=[
            QuestionFactory(kind=QuestionKind.MATCHING),
            QuestionFactory(kind=QuestionKind.ORDERING),
        ]
    )
    attempt = services.start_attempt(user=learner, assessment=assessment)
    matching, ordering = attempt.responses.order_by("position")
    with pytest.raises(services.AssessmentError, match="not in its question"):
        services.save_answers(
            attempt=attempt, answers={ordering.pk: {matching.option_order[0]: "1"}}
        )
    assert all(selected == [] for selected in selections(attempt).values())


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        (QuestionKind.TRUE_FALSE, [{"text": "True", "is_correct": True}], "exactly two options"),
        (
            QuestionKind.TRUE_FALSE,
            [{"text": "True", "is_correct": True}, {"text": "False", "is_correct": True}],
            "one of them correct",
        ),
        (
            QuestionKind.TRUE_FALSE,
            [
                {"text": "True", "is_correct": True, "fraction": Decimal("1")},
                {"text": "False"},
            ],
            "does not use “Fraction of the mark”",
        ),
        (
            QuestionKind.MULTIPLE_RESPONSE,
            [
                {"text": "A", "is_correct": True, "fraction": Decimal("0.5")},
                {"text": "B", "is_correct": True, "fraction": Decimal("0.25")},
                {"text": "C"},
            ],
            "add up to 1",
        ),
        (
            QuestionKind.MULTIPLE_RESPONSE,
            [
                {"text": "A", "is_correct": True, "fraction": Decimal("0.5")},
                {"text": "B", "is_correct": True},
            ],
            "Give every correct option a fraction",
        ),
        (
            QuestionKind.MULTIPLE_RESPONSE,
            [{"text": "A", "is_correct": True}, {"text": "B", "fraction": Decimal("0.5")}],
            "wrong option",
        ),
        (
            QuestionKind.MULTIPLE_RESPONSE,
            [{"text": "A", "is_correct": True, "fraction": Decimal("-1")}, {"text": "B"}],
            "above 0",
        ),
        (QuestionKind.SHORT_ANSWER, [], "at least one option or answer"),
        (QuestionKind.SHORT_ANSWER, [{"text": "  ", "is_correct": True}], "enter its text"),
        (
            QuestionKind.SHORT_ANSWER,
            [{"text": "Sorry", "fraction": Decimal("0.5")}],
            "earns the full mark",
        ),
        (
            QuestionKind.SHORT_ANSWER,
            [{"text": "Sorry", "is_correct": True}, {"text": "No", "fraction": Decimal("-0.5")}],
            "no negative marks",
        ),
        (QuestionKind.NUMERICAL, [{"text": "15", "is_correct": True}], "not use “Text”"),
        (QuestionKind.NUMERICAL, [{"is_correct": True}], "enter the accepted value"),
        (
            QuestionKind.NUMERICAL,
            [{"value": Decimal(1), "is_correct": True, "tolerance": Decimal(-1)}],
            "cannot be negative",
        ),
        (
            QuestionKind.MATCHING,
            [{"text": "A", "match_text": "1"}, {"text": "B", "match_text": ""}],
            "enter what it matches",
        ),
        (
            QuestionKind.MATCHING,
            [{"text": "A", "match_text": "1"}, {"text": "", "match_text": "2"}],
            "at least two pairs",
        ),
        (
            QuestionKind.MATCHING,
            [{"text": "A", "match_text": "1"}, {"text": "B", "match_text": " 1 "}],
            "two different answers",
        ),
        (
            QuestionKind.MATCHING,
            [
                {"text": "A", "match_text": "1", "is_correct": True},
                {"text": "B", "match_text": "2"},
            ],
            "does not use “Correct”",
        ),
        (QuestionKind.ORDERING, [{"text": "Only one"}], "at least two items"),
        (QuestionKind.ORDERING, [{"text": "A"}, {"text": "B", "match_text": "x"}], "“Matches”"),
        ("drawing", [{"text": "A"}], "Choose what kind"),
    ],
)
def test_each_kind_of_question_is_checked_with_a_clear_reason(kind, choices, message):
    with pytest.raises(services.AssessmentError, match=message):
        services.check_question(kind=kind, choices=choices)


@pytest.mark.parametrize("kind", [*NEW_KINDS, QuestionKind.MULTIPLE_RESPONSE])
def test_the_default_questions_of_every_kind_pass_the_check(kind):
    question = QuestionFactory(kind=kind)
    version = services.current_version(question=question)
    assert version.kind == kind
    assert all(len(o["key"]) == 8 for o in version.options)


def test_editing_a_numerical_answer_makes_a_new_version_and_decimals_are_compared_exactly(
    learner,
):
    question = QuestionFactory(kind=QuestionKind.NUMERICAL)
    first = services.current_version(question=question)
    choice = question.choices.order_by("sort_order").first()
    choice.value = Decimal(choice.value)  # the same number read back with trailing zeros
    choice.save()
    assert services.current_version(question=question).pk == first.pk
    choice.value += 1
    choice.save()
    second = services.current_version(question=question)
    assert second.number == first.number + 1


def test_single_and_multiple_choice_versions_keep_their_earlier_shape():
    """Their content hash is unchanged by the new kinds, so existing versions are reused."""
    question = QuestionFactory(kind=QuestionKind.MULTIPLE_RESPONSE)
    content = versions._content_of(question)
    assert set(content) == {"kind", "stem", "general_feedback", "options"}
    assert all(set(o) == {"text", "correct", "feedback"} for o in content["options"])
