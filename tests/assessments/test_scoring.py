"""Properties of the scoring engine: what a learner's answers earn, and whether they pass."""

import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from assessments import scoring
from assessments.scoring import (
    MULTIPLE_RESPONSE,
    NUMBER_MAX_EXPONENT,
    NUMERICAL,
    OUT_OF_RANGE,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    accepts,
    has_passed,
    normalise_text,
    parse_number,
    percentage,
    read_number,
    score_answer,
    score_matching,
    score_multiple_response,
    score_numerical,
    score_ordering,
    score_response,
    score_short_answer,
    to_decimal,
)
from tests.assessments.steps import Steps

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


# Multiple response with a fraction per option ---------------------------------------------------

# Weights as Choice.fraction keeps them: five places, from -1 to 1.
kept_weights = st.integers(min_value=-100_000, max_value=100_000).map(
    lambda n: Fraction(n, 100_000)
)


def chosen_total(weights, selected, penalty=Fraction(0)) -> Fraction:
    return sum((weights.get(key, -penalty) for key in selected), Fraction(0))


def clamped(value: Fraction) -> Fraction:
    return min(Fraction(1), max(Fraction(0), value))


@st.composite
def weighted_questions(draw):
    """(options, weights, penalty, the learner's selection): at least one positive weight. Some
    of the selection may be options without a weight (they take the penalty away)."""
    options = draw(option_keys)
    weighted = draw(st.lists(st.sampled_from(options), min_size=1, unique=True))
    weights = {key: draw(kept_weights) for key in weighted}
    assume(any(w > 0 for w in weights.values()))
    penalty = draw(st.fractions(min_value=0, max_value=1, max_denominator=10))
    selected = frozenset(draw(st.lists(st.sampled_from(options), unique=True)))
    return options, weights, penalty, selected


@st.composite
def right_shares(draw):
    """Weights whose positive ones add up to exactly 1 (as the admin asks), and wrong ones at 0 or
    below, with the learner's selection."""
    options = draw(option_keys)
    right = draw(st.lists(st.sampled_from(options), min_size=1, unique=True))
    places = st.integers(1, 99_999)
    cuts = sorted(
        draw(st.lists(places, min_size=len(right) - 1, max_size=len(right) - 1, unique=True))
    )
    shares = [Fraction(b - a, 100_000) for a, b in zip([0, *cuts], [*cuts, 100_000], strict=True)]
    weights = dict(zip(right, shares, strict=True))
    weights.update({key: -draw(kept_weights.map(abs)) for key in options if key not in weights})
    selected = frozenset(draw(st.lists(st.sampled_from(options), unique=True)))
    return options, weights, selected


@given(weighted_questions())
def test_multiple_response_adds_the_chosen_fractions_and_keeps_them_between_0_and_1(question):
    """Moodle's rule, wherever the right options' fractions add up to 1 or are plainly off it."""
    _options, weights, penalty, selected = question
    positive = [w for w in weights.values() if w > 0]
    assume(sum(positive) == 1 or abs(sum(positive) - 1) > Fraction(len(positive), 200_000))
    expected = clamped(chosen_total(weights, selected, penalty))
    assert score_multiple_response(weights, selected, penalty=penalty) == expected


@given(weighted_questions(), st.data())
def test_weighted_multiple_response_is_in_range_and_ignores_where_options_are_shown(question, data):
    options, weights, penalty, selected = question
    score = score_multiple_response(weights, selected, penalty=penalty)
    assert 0 <= score <= 1
    relabel = dict(zip(options, data.draw(st.permutations(options)), strict=True))
    moved = {relabel[k]: w for k, w in weights.items()}
    assert (
        score_multiple_response(moved, frozenset(relabel[k] for k in selected), penalty=penalty)
        == score
    )


@given(right_shares())
def test_when_the_right_options_make_the_mark_only_all_of_them_and_no_wrong_one_earn_it(question):
    _options, weights, selected = question
    right = {k for k, w in weights.items() if w > 0}
    wrong = {k for k, w in weights.items() if w < 0}
    full = score_multiple_response(weights, selected) == 1
    assert full == (right <= selected and not (selected & wrong))


@given(
    count=st.integers(min_value=1, max_value=12),
    wrong=st.integers(min_value=0, max_value=3),
    data=st.data(),
)
def test_shares_rounded_to_five_places_earn_exactly_their_part_of_the_mark(count, wrong, data):
    """n right options of round(1/n, 5) each (0.33333 for a third): ticking k of them earns
    exactly k/n, so all of them make the full mark, as Moodle's 0.3333333 do."""
    share = Fraction(round(Decimal(1) / count, 5))
    weights = {f"right{n}": share for n in range(count)}
    weights |= {f"wrong{n}": Fraction(0) for n in range(wrong)}
    selected = frozenset(data.draw(st.lists(st.sampled_from(sorted(weights)), unique=True)))
    ticked = sum(1 for key in selected if key.startswith("right"))
    assert score_multiple_response(weights, selected) == Fraction(ticked, count)


@pytest.mark.parametrize(
    ("weights", "ticked", "expected"),
    [
        ({"a": "0.5", "b": "0.49", "c": "0"}, "ab", "0.99"),  # Moodle: 50% + 49% = 99%
        ({"a": "0.5", "b": "0.49", "c": "0"}, "abc", "0.99"),  # a wrong option at 0 costs nothing
        ({"a": "0.5", "b": "0.5", "c": "-0.25"}, "abc", "0.75"),
        ({"a": "0.5", "b": "0.5", "c": "-1"}, "ac", "0"),  # never below nothing
        ({"a": "0.6", "b": "0.6"}, "ab", "1"),  # nor above the mark
        ({"a": "0.6", "b": "0.6"}, "a", "0.6"),
        ({"a": "0.5", "b": "0.5", "c": "0"}, "", "0"),
    ],
)
def test_multiple_response_scores_as_moodle_does(weights, ticked, expected):
    weights = {key: Fraction(value) for key, value in weights.items()}
    assert score_multiple_response(weights, frozenset(ticked)) == Fraction(expected)


def test_rounded_thirds_still_add_up_to_the_full_mark():
    third = Fraction("0.33333")
    weights = {"a": third, "b": third, "c": third, "d": Fraction(-1, 2)}
    assert score_multiple_response(weights, frozenset("abc")) == 1
    # Every weight is scaled by the same amount, so a penalty of 0.5 costs half the mark.
    assert to_decimal(score_multiple_response(weights, frozenset("abcd"))) == Decimal("0.500")
    assert score_multiple_response(weights, frozenset("ad")) == 0


@given(weighted_questions())
def test_versions_frozen_before_issue_13_keep_dividing_by_the_right_options_total(question):
    """How they were scored (migration 0017 marks them "scaled_fractions")."""
    _options, weights, penalty, selected = question
    positive = sum(w for w in weights.values() if w > 0)
    expected = clamped(chosen_total(weights, selected, penalty) / positive)
    assert score_multiple_response(weights, selected, penalty=penalty, scaled=True) == expected


def test_a_stored_version_is_scored_by_the_rules_its_settings_name():
    options = [
        {"key": "a", "text": "A", "correct": True, "fraction": "0.5", "feedback": ""},
        {"key": "b", "text": "B", "correct": True, "fraction": "0.49", "feedback": ""},
        {"key": "c", "text": "C", "correct": False, "fraction": "0", "feedback": ""},
    ]
    assert score_response(MULTIPLE_RESPONSE, options, ["a", "b"]) == Fraction("0.99")
    before = {"scaled_fractions": True}
    assert score_response(MULTIPLE_RESPONSE, options, ["a", "b"], settings=before) == 1
    assert score_response(MULTIPLE_RESPONSE, options, ["a"], settings=before) == Fraction(50, 99)


# Short answer ----------------------------------------------------------------------------------

words = st.text(alphabet="abcXYZ é", min_size=0, max_size=8)
marks = st.fractions(min_value=0, max_value=1, max_denominator=20)


@st.composite
def short_questions(draw):
    accepted = draw(st.lists(st.tuples(words.filter(str.strip), marks), min_size=1, max_size=5))
    accepted.append((draw(words.filter(str.strip)), Fraction(1)))
    answer = draw(st.one_of(words, st.sampled_from([a for a, _ in accepted])))
    return accepted, answer, draw(st.booleans())


@given(short_questions(), st.data())
def test_a_short_answer_score_is_in_range_and_ignores_the_order_answers_were_written(
    question, data
):
    accepted, answer, case_sensitive = question
    score = score_short_answer(accepted, answer, case_sensitive=case_sensitive)
    assert 0 <= score <= 1
    shuffled = data.draw(st.permutations(accepted))
    assert score_short_answer(shuffled, answer, case_sensitive=case_sensitive) == score


@given(short_questions())
def test_a_short_answer_earns_full_marks_only_when_it_is_an_accepted_answer(question):
    accepted, answer, case_sensitive = question
    full = {normalise_text(a, case_sensitive=case_sensitive) for a, m in accepted if m == 1}
    assert (score_short_answer(accepted, answer, case_sensitive=case_sensitive) == 1) == (
        normalise_text(answer, case_sensitive=case_sensitive) in full
        and bool(normalise_text(answer))
    )


@pytest.mark.parametrize(
    ("accepted", "typed", "same"),
    [
        ("café", "cafe\u0301", True),  # é as one character or as e and an accent: one letter
        ("Straße", "STRAßE", True),  # case folds, the letter stays
        ("Straße", "Strasse", False),  # ß is not ss, as in Moodle
        ("fine", "\ufb01ne", False),  # the ligature ﬁ is not f and i
        ("New York", "  new   york ", True),  # ends trimmed; a run of spaces inside is one
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευς", True),
    ],
)
def test_short_answers_compare_as_moodle_compares_them(accepted, typed, same):
    assert (score_short_answer([(accepted, Fraction(1))], typed) == 1) == same


@given(st.text(max_size=30))
def test_composed_and_decomposed_forms_of_an_answer_score_alike(text):
    accepted = [(text, Fraction(1))]
    decomposed = unicodedata.normalize("NFD", text)
    assert score_short_answer(accepted, decomposed) == score_short_answer(accepted, text)


@given(short_questions(), st.sampled_from(["  {}  ", "{}", " {} "]))
def test_spaces_around_and_case_never_change_a_short_answer_mark_unless_case_counts(
    question, padding
):
    accepted, answer, _case_sensitive = question
    changed = padding.format(answer.upper().replace(" ", "  "))
    assert score_short_answer(accepted, changed) == score_short_answer(accepted, answer)


# Short answer wildcards, as Moodle's -----------------------------------------------------------

# Texts without stars, backslashes or spaces, in both cases: they normalise piece by piece.
plain = st.text(alphabet="abcXYZéÉßİ19.-'", max_size=8)


@given(st.text(max_size=20).filter(lambda t: "*" not in t), st.text(max_size=20), st.booleans())
def test_an_accepted_answer_without_a_star_is_matched_exactly(accepted, answer, case_sensitive):
    given_ = normalise_text(answer, case_sensitive=case_sensitive)
    exact = bool(given_) and given_ == normalise_text(accepted, case_sensitive=case_sensitive)
    assert accepts(accepted, answer, case_sensitive=case_sensitive) == exact


@given(st.text(max_size=50), st.sampled_from(["*", "**", " * ", "***"]), st.booleans())
def test_a_star_alone_accepts_any_answer_but_an_empty_one(answer, star, case_sensitive):
    assert accepts(star, answer, case_sensitive=case_sensitive) == bool(normalise_text(answer))


@given(plain.filter(bool), plain, plain)
def test_a_text_with_a_star_accepts_every_answer_it_stands_for(text, before, after):
    assert accepts(f"{text}*", text + after)
    assert accepts(f"*{text}", before + text)
    assert accepts(f"*{text}*", before + text + after)
    if text.upper().lower() == text.lower():  # not "ß", whose capitals are "SS"
        assert accepts(f"{text.upper()}*", text + after)  # case still folds


@given(plain.filter(bool), st.text(max_size=12))
def test_a_text_with_a_star_accepts_only_answers_that_start_with_it(text, answer):
    if accepts(f"{text}*", answer):
        assert normalise_text(answer).startswith(normalise_text(text))


@given(plain, plain, st.text(alphabet="abc*\\ ", max_size=12))
def test_an_escaped_star_is_a_star(before, after, answer):
    given_ = normalise_text(answer)
    exact = bool(given_) and given_ == normalise_text(f"{before}*{after}")
    assert accepts(f"{before}\\*{after}", answer) == exact


def _as_regular_expression(accepted: str) -> str:
    """Moodle's reading of an accepted answer, written out one character at a time."""
    out, position = [], 0
    while position < len(accepted):
        if accepted.startswith("\\*", position):
            out.append(re.escape("*"))
            position += 2
        else:
            char = accepted[position]
            out.append(".*" if char == "*" else re.escape(char))
            position += 1
    return "".join(out)


@given(st.text(alphabet="ab*\\", max_size=10), st.text(alphabet="ab*\\", max_size=14))
def test_stars_match_as_moodles_regular_expression_does(accepted, answer):
    """Against an independent reading: Moodle's own way, a regular expression (fine on texts this
    short; on long ones it may take exponential time, which is why accepts does not use one)."""
    expected = bool(answer) and re.fullmatch(_as_regular_expression(accepted), answer) is not None
    assert accepts(accepted, answer) == expected


@given(st.text(max_size=20), st.text(max_size=20))
def test_versions_frozen_before_issue_13_match_a_star_as_a_star(accepted, answer):
    given_ = normalise_text(answer)
    exact = bool(given_) and given_ == normalise_text(accepted)
    assert accepts(accepted, answer, literal_stars=True) == exact


@pytest.mark.parametrize(
    ("accepted", "typed", "accepted_or_not"),
    [
        ("Par*", "Paris", True),
        ("Par*", "par", True),  # a star stands for nothing too
        ("Par*", "Pa", False),
        ("Par*", "The Paris office", False),
        ("*ombudsman*", "the Ombudsman service", True),
        ("*ombudsman*", "Ombudsman", True),
        ("*ombudsman*", "ombudsmen", False),
        ("*ombudsman*", "", False),  # an empty answer matches nothing
        ("*", "anything at all", True),
        ("Par\\*", "Par*", True),  # an escaped star is a star
        ("Par\\*", "Paris", False),
        ("\\**", "*ly", True),  # an escaped star, then a wildcard
        ("\\\\*", "\\*", True),  # a backslash before a star escapes it, as in Moodle
        ("C:\\files", "c:\\files", True),  # any other backslash is a backslash
        ("a*b*c", "a-b-c", True),
        ("a*b*c", "a-c-b", False),
        ("a**c", "ac", True),  # a run of stars is one
        ("New * York", "new  big  york", True),  # runs of spaces still count as one
        ("New * York", "New York", False),
    ],
)
def test_short_answer_wildcards_work_as_in_moodle(accepted, typed, accepted_or_not):
    assert accepts(accepted, typed) == accepted_or_not
    marks = score_short_answer([(accepted, Fraction(1))], typed)
    assert marks == (1 if accepted_or_not else 0)


def test_a_wildcard_follows_the_questions_case_rule():
    assert not accepts("Par*", "paris", case_sensitive=True)
    assert accepts("Par*", "Paris", case_sensitive=True)
    assert accepts("*NHS*", "the nhs trust")
    assert not accepts("*NHS*", "the nhs trust", case_sensitive=True)


def test_the_best_matching_accepted_answer_counts_and_a_catch_all_earns_its_own_mark():
    accepted = [("*", Fraction(0)), ("Par*", Fraction(1, 2)), ("Paris", Fraction(1))]
    assert score_short_answer(accepted, "Paris") == 1
    assert score_short_answer(accepted, "Pardon") == Fraction(1, 2)
    assert score_short_answer(accepted, "London") == 0


def test_a_stored_short_answer_version_is_matched_by_the_rules_its_settings_name():
    options = [{"key": "k1", "text": "Par*", "correct": True, "feedback": ""}]
    assert score_response(SHORT_ANSWER, options, ["Paris"]) == 1
    assert score_response(SHORT_ANSWER, options, ["Paris"], settings={"literal_stars": True}) == 0
    assert score_response(SHORT_ANSWER, options, ["par*"], settings={"literal_stars": True}) == 1
    assert score_response(SHORT_ANSWER, options, ["paris"], settings={"case_sensitive": True}) == 0


def _worst_patterns(length: int) -> dict[str, str]:
    """Accepted answers of about `length` characters that a matcher going back over the answer
    would spend length² steps or more on, against an answer of as many a's."""
    return {
        "stars between each letter, no b at the end": "*" + "a*" * (length // 2 - 1) + "b*",
        "stars between each letter": "a*" * (length // 2),
        "a long piece that fails at its last letter": "*" + "a" * (length - 3) + "b*",
        "half as long": "*" + "a" * (length // 2) + "b*",
        "a piece that repeats itself": "*" + "ab" * (length // 2 - 1) + "*",
        "many short pieces, the last not there": "*" + "a*" * (length // 4) + "aab*",
    }


@pytest.mark.parametrize("name", list(_worst_patterns(500)))
def test_matching_the_worst_short_answers_does_work_in_proportion_to_their_length(name):
    """Counted, not timed: at most a few steps per character of the answer and of the accepted
    answer (a search that went back over the answer would take about 125,000 here), and twice
    the length takes twice the steps, not four times."""
    counts = {}
    for length in (250, 500):
        pattern, answer = _worst_patterns(length)[name], "a" * length
        with Steps(scoring) as steps:
            score_response(SHORT_ANSWER, [{"text": pattern, "correct": True}], [answer])
        counts[length] = steps.count
        assert steps.count <= 8 * (len(pattern) + len(answer)) + 100, steps.count
    assert counts[500] <= 2.2 * counts[250]


def test_scoring_a_long_answer_against_many_long_accepted_answers_is_linear_in_their_total():
    options = [{"text": pattern, "correct": True} for pattern in _worst_patterns(500).values()]
    options *= 5
    answer = "a" * 500
    with Steps(scoring) as steps:
        assert score_response(SHORT_ANSWER, options, [answer]) == 1
    total = sum(len(option["text"]) + len(answer) for option in options)
    assert steps.count <= 8 * total + 100 * len(options), steps.count


@pytest.mark.parametrize("items", [2, 50, 200])
def test_scoring_the_worst_orderings_does_work_in_proportion_to_the_items(items):
    correct = [f"{n:08x}" for n in range(items)]
    for given_ in (correct[::-1], correct[1:] + correct[:1], correct, [], correct[:-1]):
        with Steps(scoring) as steps:
            score_ordering(correct, given_)
        assert steps.count <= 6 * items + 20, (len(given_), steps.count)


# Numerical -------------------------------------------------------------------------------------

numbers = st.fractions(min_value=-1000, max_value=1000, max_denominator=100)


@st.composite
def numerical_questions(draw):
    ranges = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        value = draw(numbers)
        tolerance = draw(st.fractions(min_value=0, max_value=50, max_denominator=10))
        ranges.append((value - tolerance, value + tolerance, draw(marks)))
    low, high, _mark = draw(st.sampled_from(ranges))
    ranges.append((low, high, Fraction(1)))
    answer = draw(st.one_of(st.none(), st.decimals(-2000, 2000, places=2)))
    return ranges, answer


@given(numerical_questions(), st.data())
def test_a_numerical_score_is_in_range_and_ignores_the_order_of_accepted_answers(question, data):
    ranges, answer = question
    score = score_numerical(ranges, answer)
    assert 0 <= score <= 1
    assert score_numerical(data.draw(st.permutations(ranges)), answer) == score


@given(numerical_questions())
def test_a_numerical_answer_earns_full_marks_only_inside_a_full_mark_range(question):
    ranges, answer = question
    inside = answer is not None and any(
        low <= Fraction(answer) <= high for low, high, mark in ranges if mark == 1
    )
    assert (score_numerical(ranges, answer) == 1) == inside


def test_numbers_are_read_the_way_people_write_them():
    assert parse_number(" 1,250.5 ") == Decimal("1250.5")
    assert parse_number("\u22123") == Decimal("-3")
    assert parse_number("12,5") is None
    assert parse_number("Infinity") is None
    assert parse_number("NaN") is None
    assert parse_number("") is None


@pytest.mark.parametrize(
    "text",
    ["1e10000000", "1e100000000", "-1E+999999999", "1e-100000000", "9e31", "0.0000001e-30"],
)
def test_a_number_too_large_or_too_fine_to_mark_is_refused_with_a_reason(text):
    assert read_number(text) == (None, OUT_OF_RANGE)


@given(st.text(max_size=60))
def test_any_text_reads_as_nothing_or_a_number_within_the_bounds(text):
    number, problem = read_number(text)
    if number is None:
        assert problem
    else:
        assert number.is_finite() and not problem
        assert not number or abs(number.adjusted()) <= NUMBER_MAX_EXPONENT


class _CountingFraction(Fraction):
    """Fraction that remembers the largest integer any scoring step made, in bits."""

    largest = 0

    def __new__(cls, *args, **kwargs):
        made = super().__new__(cls, *args, **kwargs)
        size = max(made.numerator.bit_length(), made.denominator.bit_length())
        _CountingFraction.largest = max(_CountingFraction.largest, size)
        return made


@pytest.mark.parametrize(
    "answer",
    ["1e10000000", "1e100000000", "-1e-100000000", "0e999999999", "9" * 40, "1e30", "1e-30"],
)
def test_scoring_the_worst_numbers_does_bounded_work(monkeypatch, answer):
    """Counted, not timed: scoring never builds an integer beyond a few hundred bits."""
    monkeypatch.setattr("assessments.scoring.Fraction", _CountingFraction)
    _CountingFraction.largest = 0
    options = [{"value": "42", "tolerance": "0.5", "correct": True}]
    assert score_response(NUMERICAL, options, [answer]) in (0, 1)
    assert _CountingFraction.largest <= 256, _CountingFraction.largest


# Matching --------------------------------------------------------------------------------------


@st.composite
def matching_questions(draw):
    lefts = draw(st.lists(hex_keys, min_size=2, max_size=6, unique=True))
    rights = draw(st.lists(hex_keys.map(str.upper), min_size=2, max_size=6, unique=True))
    correct = {left: draw(st.sampled_from(rights)) for left in lefts}
    given = {left: draw(st.sampled_from(rights)) for left in draw(st.lists(st.sampled_from(lefts)))}
    return correct, given, rights


@given(matching_questions(), st.data())
def test_a_matching_score_is_in_range_and_ignores_where_items_are_shown(question, data):
    correct, given, rights = question
    score = score_matching(correct, given)
    assert 0 <= score <= 1
    relabel = dict(zip(rights, data.draw(st.permutations(rights)), strict=True))
    moved_correct = {k: relabel[v] for k, v in correct.items()}
    moved_given = {k: relabel[v] for k, v in given.items()}
    assert score_matching(moved_correct, moved_given) == score
    # The order the items come in (as shown) does not matter either.
    reordered = dict(reversed(list(given.items())))
    assert score_matching(correct, reordered) == score


@given(matching_questions())
def test_matching_earns_full_marks_only_when_every_item_is_matched_right(question):
    correct, given, _rights = question
    assert (score_matching(correct, given) == 1) == all(
        given.get(left) == right for left, right in correct.items()
    )
    assert score_matching(correct, correct) == 1


# Ordering --------------------------------------------------------------------------------------


@st.composite
def ordering_questions(draw):
    items = draw(st.lists(hex_keys, min_size=2, max_size=7, unique=True))
    given = draw(st.one_of(st.permutations(items), st.just([])))
    return items, given


@given(ordering_questions(), st.data())
def test_an_ordering_score_is_in_range_and_ignores_the_keys_and_shown_order(question, data):
    items, given = question
    score = score_ordering(items, given)
    assert 0 <= score <= 1
    relabel = dict(zip(items, data.draw(st.permutations(items)), strict=True))
    assert score_ordering([relabel[k] for k in items], [relabel[k] for k in given]) == score


@given(ordering_questions())
def test_ordering_earns_full_marks_only_for_the_right_order(question):
    items, given = question
    assert (score_ordering(items, given) == 1) == (list(given) == list(items))


def test_ordering_counts_neighbouring_pairs():
    assert score_ordering("abcd", "abcd") == 1
    assert score_ordering("abcd", "dcba") == 0
    assert score_ordering("abcd", "bcda") == Fraction(2, 3)  # one item moved to the end
    assert score_ordering("abcd", "abdc") == Fraction(1, 3)
    assert score_ordering("abcd", "abc") == 0  # incomplete


def test_score_response_reads_a_frozen_version_of_each_kind():
    options = [
        {"key": "k1", "text": "Sorry", "correct": True, "feedback": ""},
        {"key": "k2", "text": "Explain", "correct": False, "fraction": "0.5", "feedback": ""},
    ]
    assert score_response("short", options, [" sorry "]) == 1
    assert score_response("short", options, ["explain"]) == Fraction(1, 2)
    assert score_response("short", options, []) == 0
    numbers_ = [{"key": "k1", "value": "10", "tolerance": "0.5", "correct": True}]
    assert score_response("numerical", numbers_, ["10.5"]) == 1
    assert score_response("numerical", numbers_, ["10.51"]) == 0
    pairs = [
        {"key": "l1", "side": "left", "text": "A", "match": "r1", "feedback": ""},
        {"key": "l2", "side": "left", "text": "B", "match": "r2", "feedback": ""},
        {"key": "r1", "side": "right", "text": "1"},
        {"key": "r2", "side": "right", "text": "2"},
    ]
    assert score_response("matching", pairs, {"l1": "r1", "l2": "r1"}) == Fraction(1, 2)
    assert score_response("truefalse", options, ["k1"]) == 1
    with pytest.raises(ValueError, match="Unknown question kind"):
        score_response("essay", options, [])


# --- Single choice with part marks and several right options (Moodle's multiple choice) -------

single_choice_options = st.lists(
    st.builds(
        dict,
        key=hex_keys,
        correct=st.booleans(),
        fraction=st.none() | st.sampled_from(["0", "0.25", "0.5", "0.33333", "1"]),
    ),
    min_size=2,
    max_size=6,
    unique_by=lambda option: option["key"],
).filter(
    # At least one option earns full marks: a fraction of 1, or right with no fraction.
    lambda options: any(
        o["fraction"] == "1" or (o["fraction"] is None and o["correct"]) for o in options
    )
)


@given(single_choice_options, st.data())
def test_a_single_choice_answer_earns_the_chosen_options_mark(options, data):
    """One option chosen earns its own fraction, or full marks when it is right and has none;
    any other selection earns nothing. A fraction of 1 and a right option both earn full."""
    keys = [option["key"] for option in options]
    selected = data.draw(st.lists(st.sampled_from(keys), unique=True, max_size=3))
    score = score_response(SINGLE_CHOICE, options, selected)
    if len(selected) != 1:
        assert score == 0
        return
    (chosen,) = (option for option in options if option["key"] == selected[0])
    if chosen["fraction"] is not None:
        assert score == Fraction(chosen["fraction"])
    else:
        assert score == (1 if chosen["correct"] else 0)


def test_any_of_several_right_single_choice_options_earns_full_marks():
    options = [
        {"key": "a", "correct": True},
        {"key": "b", "correct": True},
        {"key": "c", "correct": False, "fraction": "0.5"},
        {"key": "d", "correct": False},
    ]
    assert [score_response(SINGLE_CHOICE, options, [key]) for key in "abcd"] == [
        1,
        1,
        Fraction(1, 2),
        0,
    ]
    assert score_response(SINGLE_CHOICE, options, ["a", "b"]) == 0
    assert score_answer(SINGLE_CHOICE, frozenset("ab"), frozenset("b")) == 1


def test_a_numerical_option_for_any_other_answer_earns_nothing():
    options = [
        {"key": "a", "value": "3", "tolerance": "0", "correct": True},
        {"key": "b", "value": None, "tolerance": "0", "correct": False},
    ]
    assert score_response(NUMERICAL, options, ["3"]) == 1
    assert score_response(NUMERICAL, options, ["4"]) == 0
