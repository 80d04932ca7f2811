"""Properties of the scoring engine: what a learner's answers earn, and whether they pass."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from assessments.scoring import (
    MULTIPLE_RESPONSE,
    SINGLE_CHOICE,
    has_passed,
    percentage,
    score_answer,
    to_decimal,
)

hex_keys = st.text(alphabet="0123456789abcdef", min_size=8, max_size=8)
option_keys = st.lists(hex_keys, min_size=2, max_size=8, unique=True)


@st.composite
def answered_questions(draw, kinds=(SINGLE_CHOICE, MULTIPLE_RESPONSE)):
    """(kind, options in authored order, the right options, the learner's selection)."""
    kind = draw(st.sampled_from(kinds))
    options = draw(option_keys)
    if kind == SINGLE_CHOICE:
        correct = frozenset([draw(st.sampled_from(options))])
    else:
        correct = frozenset(draw(st.lists(st.sampled_from(options), min_size=1, unique=True)))
    selected = frozenset(draw(st.lists(st.sampled_from(options), unique=True)))
    return kind, options, correct, selected


@given(answered_questions())
def test_a_score_is_between_nothing_and_the_full_mark(question):
    kind, _options, correct, selected = question
    assert 0 <= score_answer(kind, correct, selected) <= 1


@given(answered_questions(), st.data())
def test_the_score_does_not_depend_on_where_options_are_shown(question, data):
    """Relabelling the options (as shuffling and random keys do) never changes the mark."""
    kind, options, correct, selected = question
    shuffled = data.draw(st.permutations(options))
    relabel = dict(zip(options, shuffled, strict=True))
    moved_correct = frozenset(relabel[key] for key in correct)
    moved_selected = frozenset(relabel[key] for key in selected)
    assert score_answer(kind, moved_correct, moved_selected) == score_answer(
        kind, correct, selected
    )


@given(answered_questions())
def test_full_marks_only_for_exactly_the_right_options(question):
    kind, _options, correct, selected = question
    assert (score_answer(kind, correct, selected) == 1) == (selected == correct)


@given(answered_questions(kinds=(SINGLE_CHOICE,)))
def test_single_choice_is_all_or_nothing(question):
    kind, _options, correct, selected = question
    assert score_answer(kind, correct, selected) in {Fraction(0), Fraction(1)}


@given(answered_questions(kinds=(MULTIPLE_RESPONSE,)))
def test_choosing_every_option_never_beats_choosing_only_the_right_ones(question):
    kind, options, correct, _selected = question
    everything = score_answer(kind, correct, frozenset(options))
    assert everything <= score_answer(kind, correct, correct)
    if len(options) - len(correct) >= len(correct):
        # As many wrong options as right ones: ticking every box earns nothing.
        assert everything == 0


def test_multiple_response_gives_a_share_per_right_option_and_takes_one_per_wrong_option():
    correct = frozenset({"a", "b"})
    assert score_answer(MULTIPLE_RESPONSE, correct, frozenset({"a"})) == Fraction(1, 2)
    assert score_answer(MULTIPLE_RESPONSE, correct, frozenset({"a", "b", "c"})) == Fraction(1, 2)
    assert score_answer(MULTIPLE_RESPONSE, correct, frozenset({"a", "c", "d"})) == 0
    assert score_answer(MULTIPLE_RESPONSE, correct, frozenset()) == 0


def test_a_single_choice_answer_with_two_options_ticked_earns_nothing():
    assert score_answer(SINGLE_CHOICE, frozenset({"a"}), frozenset({"a", "b"})) == 0


def test_questions_that_cannot_be_scored_are_refused():
    with pytest.raises(ValueError, match="at least one correct"):
        score_answer(MULTIPLE_RESPONSE, frozenset(), frozenset({"a"}))
    with pytest.raises(ValueError, match="Unknown question kind"):
        score_answer("essay", frozenset({"a"}), frozenset({"a"}))
    with pytest.raises(ValueError):
        percentage(Fraction(0), 0)


@st.composite
def results(draw):
    max_points = draw(st.integers(min_value=1, max_value=60))
    points = draw(st.fractions(min_value=0, max_value=max_points, max_denominator=1000))
    pass_mark = draw(st.integers(min_value=1, max_value=100))
    return points, max_points, pass_mark


@given(results())
def test_has_passed_compares_the_exact_score_with_the_pass_mark(result):
    points, max_points, pass_mark = result
    assert has_passed(points, max_points, pass_mark) == (points / max_points * 100 >= pass_mark)


@given(
    max_points=st.integers(min_value=1, max_value=60),
    pass_mark=st.integers(min_value=1, max_value=100),
    shortfall=st.integers(min_value=10**6, max_value=10**9),
)
def test_a_score_a_hair_below_the_pass_mark_fails_even_when_it_rounds_up(
    max_points, pass_mark, shortfall
):
    at_mark = Fraction(pass_mark * max_points, 100)
    just_below = at_mark - Fraction(1, shortfall)
    assume(just_below >= 0)
    assert has_passed(at_mark, max_points, pass_mark)
    assert not has_passed(just_below, max_points, pass_mark)
    # The displayed percentage rounds to the pass mark, yet the learner has not passed.
    assert percentage(just_below, max_points) == Decimal(pass_mark)


@given(results())
def test_the_percentage_shown_is_between_0_and_100_with_two_decimals(result):
    points, max_points, _pass_mark = result
    shown = percentage(points, max_points)
    assert Decimal(0) <= shown <= Decimal(100)
    assert shown == shown.quantize(Decimal("0.01"))
    exact = Decimal(points.numerator) * 100 / points.denominator / max_points
    assert abs(shown - exact) <= Decimal("0.005")


def test_two_of_three_is_shown_as_66_67_percent_and_rounded_half_up():
    assert percentage(Fraction(2), 3) == Decimal("66.67")
    assert percentage(Fraction(1, 8), 1) == Decimal("12.50")
    assert to_decimal(Fraction(1, 3)) == Decimal("0.333")
    assert to_decimal(Fraction(2, 3)) == Decimal("0.667")
