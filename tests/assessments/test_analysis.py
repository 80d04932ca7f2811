"""The item analysis statistics (assessments.analysis): properties, a naive check, known values."""

import itertools
import math
import random
import statistics
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import analysis, scoring

# Scores as the scoring engine gives them: 1 mark a question, part marks in steps.
score = st.sampled_from([Fraction(0), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2), Fraction(1)])
right_or_wrong = st.sampled_from([Fraction(0), Fraction(1)])


def score_tables(scores=score, min_attempts=1, max_attempts=25):
    """Rows of attempts, each a list of its question scores (every attempt given every question)."""
    return st.integers(1, 6).flatmap(
        lambda k: st.lists(
            st.lists(scores, min_size=k, max_size=k), min_size=min_attempts, max_size=max_attempts
        )
    )


# Through the sums, as the database would give them ---------------------------------------------


def item_sums(rows, item):
    xs = [row[item] for row in rows]
    ts = [sum(row) for row in rows]
    return analysis.ItemSums(
        count=len(rows),
        score=sum(xs),
        score_squared=sum(x * x for x in xs),
        total=sum(ts),
        total_squared=sum(t * t for t in ts),
        score_total=sum(x * t for x, t in zip(xs, ts, strict=True)),
    )


def item_stats(rows, item):
    return analysis.item_statistics(
        item_sums(rows, item),
        score_counts=Counter(row[item] for row in rows).items(),
        rest_counts=Counter(sum(row) - row[item] for row in rows).items(),
    )


def total_stats(rows):
    return analysis.total_statistics(
        totals=Counter(sum(row) for row in rows).items(),
        item_variances=[item_stats(rows, i).variance for i in range(len(rows[0]))],
    )


# The same statistics computed directly from the rows, the long way ------------------------------


def naive_item(rows, item):
    xs = [row[item] for row in rows]
    rest = [sum(row) - row[item] for row in rows]
    n = len(xs)
    facility = float(sum(xs) / n)
    if n < 2:
        return facility, None, None, None
    mean_x, mean_r = sum(xs) / n, sum(rest) / n
    cov = sum((x - mean_x) * (r - mean_r) for x, r in zip(xs, rest, strict=True)) / (n - 1)
    var_x, var_r = statistics.variance(xs), statistics.variance(rest)
    di = 100 * float(cov) / math.sqrt(var_x * var_r) if var_x and var_r else None
    cov_max = sum(
        (x - mean_x) * (r - mean_r) for x, r in zip(sorted(xs), sorted(rest), strict=True)
    ) / (n - 1)
    de = float(100 * cov / cov_max) if cov_max else None
    return facility, math.sqrt(var_x), di, de


def naive_alpha(rows):
    k = len(rows[0])
    if len(rows) < 2 or k < 2:
        return None
    totals = [sum(row) for row in rows]
    total_variance = statistics.variance(totals)
    if not total_variance:
        return None
    item_variances = [statistics.variance([row[i] for row in rows]) for i in range(k)]
    return float(Fraction(k, k - 1) * (1 - sum(item_variances) / total_variance))


def naive_shape(totals):
    """Skewness and excess kurtosis as the textbook sample estimators G1 and G2, built on the
    population moments g1 = m3 / m2^1.5 and g2 = m4 / m2^2 - 3 (another route to Moodle's
    cumulant formulas, which give the same numbers)."""
    n = len(totals)
    if n < 3:
        return None, None
    mean = statistics.fmean(totals)
    m2, m3, m4 = (sum((float(t) - mean) ** p for t in totals) / n for p in (2, 3, 4))
    if m2 == 0:
        return None, None
    g1 = m3 / m2**1.5
    skewness = math.sqrt(n * (n - 1)) / (n - 2) * g1
    if n < 4:
        return skewness, None
    g2 = m4 / m2**2 - 3
    return skewness, (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6)


def close(a, b):
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# Properties -------------------------------------------------------------------------------------


@given(score_tables())
def test_the_statistics_from_sums_equal_a_direct_computation_over_the_rows(rows):
    for item in range(len(rows[0])):
        got = item_stats(rows, item)
        facility, sd, di, de = naive_item(rows, item)
        assert close(got.facility, facility)
        assert close(got.sd, sd)
        assert close(got.discrimination_index, di)
        assert close(got.discriminative_efficiency, de)
    totals = [sum(row) for row in rows]
    summary = total_stats(rows)
    assert close(summary.mean, float(statistics.mean(totals)))
    assert close(summary.median, float(statistics.median(totals)))
    assert close(summary.sd, math.sqrt(statistics.variance(totals)) if len(rows) > 1 else None)
    assert close(summary.alpha, naive_alpha(rows))
    skewness, kurtosis = naive_shape(totals)
    assert close(summary.skewness, skewness)
    assert close(summary.kurtosis, kurtosis)
    if summary.alpha is not None:
        assert close(summary.error_ratio, 100 * math.sqrt(1 - naive_alpha(rows)))
        assert close(summary.sem, summary.error_ratio * summary.sd / 100)


@given(score_tables())
def test_statistics_stay_in_their_ranges(rows):
    for item in range(len(rows[0])):
        stats = item_stats(rows, item)
        assert 0 <= stats.facility <= 1
        if stats.sd is not None:
            # Sample SD of scores from 0 to 1: at most sqrt(1/2), with two attempts 0 and 1.
            assert 0 <= stats.sd <= math.sqrt(0.5) + 1e-12
        if stats.discrimination_index is not None:
            assert -100 <= stats.discrimination_index <= 100
        if stats.discriminative_efficiency is not None:
            assert stats.discriminative_efficiency <= 100
    summary = total_stats(rows)
    if summary.alpha is not None:
        assert summary.alpha <= 1
        assert summary.sem is not None and summary.sem >= 0


@given(score_tables(), st.randoms(use_true_random=False))
def test_the_order_of_the_attempts_and_of_the_counts_changes_nothing(rows, rnd):
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    for item in range(len(rows[0])):
        assert item_stats(shuffled, item) == item_stats(rows, item)
        reversed_counts = analysis.item_statistics(
            item_sums(rows, item),
            score_counts=list(reversed(Counter(row[item] for row in rows).items())),
            rest_counts=list(reversed(Counter(sum(row) - row[item] for row in rows).items())),
        )
        assert reversed_counts == item_stats(rows, item)
    assert total_stats(shuffled) == total_stats(rows)


@given(score_tables(scores=right_or_wrong, min_attempts=2))
def test_alpha_of_right_or_wrong_items_is_kr20(rows):
    k, n = len(rows[0]), len(rows)
    totals = [sum(row) for row in rows]
    summary = total_stats(rows)
    population_variance = statistics.pvariance(totals)
    if k < 2 or not population_variance:
        assert summary.alpha is None
        return
    p = [sum(row[i] for row in rows) / n for i in range(k)]
    kr20 = Fraction(k, k - 1) * (1 - sum(q * (1 - q) for q in p) / population_variance)
    assert close(summary.alpha, float(kr20))


@given(
    st.lists(st.tuples(st.integers(-5, 5), st.integers(1, 4)), min_size=1, max_size=6),
    st.randoms(use_true_random=False),
)
def test_the_comonotone_pairing_is_the_largest_sum_of_products(counts, rnd):
    values = [value for value, count in counts for _ in range(count)]
    others = [rnd.randint(-3, 3) for _ in values]
    best = analysis.comonotone_product_sum(Counter(values).items(), Counter(others).items())
    assert best == sum(a * b for a, b in zip(sorted(values), sorted(others), strict=True))
    rnd.shuffle(others)
    assert best >= sum(a * b for a, b in zip(values, others, strict=True))


# Known values and degenerate cases --------------------------------------------------------------

# Six attempts at three right/wrong questions, worked by hand:
#   totals 3, 2, 2, 1, 1, 0 (mean 1.5, median 1.5, variance 5.5 / 5 = 1.1);
#   Q1 right in attempts 1-3: facility 0.5, variance 0.3, rest 2, 1, 1, 1, 1, 0;
#   Q2 right in 1, 2, 4; Q3 right in 1, 3, 5.
KNOWN = [
    [1, 1, 1],
    [1, 1, 0],
    [1, 0, 1],
    [0, 1, 0],
    [0, 0, 1],
    [0, 0, 0],
]


def test_known_values():
    q1 = item_stats(KNOWN, 0)
    assert q1.facility == 0.5
    assert q1.sd == pytest.approx(math.sqrt(0.3))
    # Q1 against the rest: sum of deviation products 1.0, of squares 1.5 and 2.0.
    assert q1.discrimination_index == pytest.approx(100 * 1.0 / math.sqrt(1.5 * 2.0))
    # Sorted pairing puts the three 1s with rests 1, 1, 2: sum of products 4 - 3 * 6 / 6 = 1.0.
    assert q1.discriminative_efficiency == pytest.approx(100.0)
    q3 = item_stats(KNOWN, 2)
    # Q3 against the rest (2, 2, 1, 1, 0, 0): deviation products sum to 0.
    assert q3.discrimination_index == pytest.approx(0)
    summary = total_stats(KNOWN)
    assert (summary.mean, summary.median) == (1.5, 1.5)
    assert summary.sd == pytest.approx(math.sqrt(1.1))
    # Each item variance 0.3: alpha = 3/2 * (1 - 0.9 / 1.1) = 3/11.
    assert summary.alpha == pytest.approx(3 / 11)
    assert summary.sem == pytest.approx(math.sqrt(1.1) * math.sqrt(8 / 11))


def test_one_attempt_gives_no_spread_statistics():
    stats = item_stats([[1, 0]], 0)
    assert stats.facility == 1
    assert (stats.sd, stats.discrimination_index, stats.discriminative_efficiency) == (None,) * 3
    summary = total_stats([[1, 0]])
    assert summary.mean == 1 and summary.median == 1
    assert (summary.sd, summary.alpha, summary.sem) == (None, None, None)


def test_a_question_everyone_got_right_discriminates_nothing():
    rows = [[1, 1], [1, 0], [1, 1]]
    stats = item_stats(rows, 0)
    assert stats.facility == 1 and stats.sd == 0
    assert stats.discrimination_index is None
    assert stats.discriminative_efficiency is None


def test_everyone_scoring_the_same_has_no_alpha():
    summary = total_stats([[1, 0], [0, 1], [1, 0]])
    assert summary.sd == 0
    assert summary.alpha is None and summary.sem is None


def test_no_attempts():
    summary = analysis.total_statistics(totals=[], item_variances=[])
    assert summary.attempts == 0
    assert (summary.mean, summary.median, summary.sd, summary.alpha, summary.skewness) == (
        None,
    ) * 5


def test_group_sizes_and_median():
    assert [analysis.group_size(n) for n in (0, 2, 3, 10, 30)] == [0, 0, 1, 3, 10]
    values = random.Random(1).choices(range(6), k=9)
    for count in (9, 8):
        summary = analysis.total_statistics(
            totals=Counter(values[:count]).items(), item_variances=[]
        )
        assert summary.median == statistics.median(values[:count])


def test_skewness_and_kurtosis_need_three_and_four_attempts():
    two = analysis.total_statistics(totals=[(1, 1), (2, 1)], item_variances=[])
    assert (two.skewness, two.kurtosis) == (None, None)
    three = analysis.total_statistics(totals=[(0, 1), (1, 1), (3, 1)], item_variances=[])
    assert three.skewness is not None and three.kurtosis is None
    flat = analysis.total_statistics(totals=[(2, 5)], item_variances=[])
    assert (flat.skewness, flat.kurtosis) == (None, None)


def test_known_shape():
    # Totals 0, 0, 0, 3, by hand: mean 3/4; m2 = 27/16, m3 = 81/32, m4 = 1701/256;
    # k2 = 4/3 m2 = 9/4, k3 = 16/6 m3 = 27/4, k4 = 16/6 (5 m4 - 9 m2^2) = 81/4;
    # skewness (27/4) / (9/4)^1.5 = 2, kurtosis (81/4) / (81/16) = 4.
    summary = analysis.total_statistics(totals=[(0, 3), (3, 1)], item_variances=[])
    assert summary.skewness == pytest.approx(2)
    assert summary.kurtosis == pytest.approx(4)
    assert naive_shape([0, 0, 0, 3]) == pytest.approx((2, 4))


def test_distributions_of_different_sizes_are_refused():
    with pytest.raises(ValueError, match="same number"):
        analysis.comonotone_product_sum([(1, 2)], [(1, 3)])


# Weights of the slots --------------------------------------------------------------------------


@given(score_tables(min_attempts=2))
def test_effective_weights_equal_a_direct_computation(rows):
    # Exact, in Fractions (statistics.covariance returns a float), so that a covariance of 0
    # is not a float's 2e-18, whose square root would be a weight.
    totals = [sum(row) for row in rows]
    mean_total = Fraction(sum(totals), len(rows))

    def covariance(i):
        mean = Fraction(sum(row[i] for row in rows), len(rows))
        pairs = zip((row[i] for row in rows), totals, strict=True)
        return sum((x - mean) * (t - mean_total) for x, t in pairs) / (len(rows) - 1)

    covariances = [covariance(i) for i in range(len(rows[0]))]
    roots = sum(math.sqrt(c) for c in covariances if c >= 0)
    expected = [100 * math.sqrt(c) / roots if c >= 0 and roots else None for c in covariances]
    got = analysis.effective_weights(
        [item_stats(rows, i).covariance_with_total for i in range(len(rows[0]))]
    )
    assert all(close(a, b) for a, b in zip(got, expected, strict=True))
    if all(c >= 0 for c in covariances) and roots:
        assert math.isclose(sum(got), 100)


def test_a_slot_working_against_the_totals_has_no_effective_weight():
    # The third slot is right only in attempts whose first two slots are wrong.
    rows = [[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1], [1, 0, 0]]
    weights = analysis.effective_weights(
        [item_stats(rows, i).covariance_with_total for i in range(3)]
    )
    assert weights[2] is None
    assert weights[0] + weights[1] == pytest.approx(100)


def test_intended_weights_are_shares_of_the_marks():
    assert analysis.intended_weights([1, 1, 2]) == [25.0, 25.0, 50.0]
    assert analysis.intended_weights([]) == []


# Random guess scores ----------------------------------------------------------------------------


def choice_options(*correct: bool) -> list[dict]:
    return [{"key": f"k{i}", "text": f"Option {i}", "correct": c} for i, c in enumerate(correct)]


def mean_over(answers, score) -> Fraction:
    answers = list(answers)
    return sum((score(answer) for answer in answers), Fraction(0)) / len(answers)


def test_random_guess_score_of_choice_questions():
    assert analysis.random_guess_score("single", choice_options(True, False, False, False)) == (
        Fraction(1, 4)
    )
    assert analysis.random_guess_score("truefalse", choice_options(True, False)) == Fraction(1, 2)
    assert analysis.random_guess_score("truefalse", choice_options(False, True)) == Fraction(1, 2)
    # As in Moodle, not estimated for multiple response: it depends on how many a guesser ticks.
    assert analysis.random_guess_score("multiple", choice_options(True, True, False)) is None


def test_random_guess_score_of_typed_answers_and_essays():
    assert analysis.random_guess_score("short", [{"key": "a", "text": "Sorry"}]) == 0
    # Moodle's rule: a catch-all answer earns its mark for any guess.
    catch_all = [
        {"key": "a", "text": "Sorry", "correct": True},
        {"key": "b", "text": "*", "correct": False, "fraction": "0.25"},
    ]
    assert analysis.random_guess_score("short", catch_all) == Fraction(1, 4)
    assert scoring.score_response("short", catch_all, ["anything at all"]) == Fraction(1, 4)
    # A version frozen before wildcards took "*" literally: no catch-all, as its scoring says.
    old = {"literal_stars": True}
    assert analysis.random_guess_score("short", catch_all, old) == 0
    assert scoring.score_response("short", catch_all, ["anything"], settings=old) == 0
    assert analysis.random_guess_score("numerical", [{"key": "a", "value": "3"}]) == 0
    assert analysis.random_guess_score("essay", []) is None


@pytest.mark.parametrize(("items", "answers"), [(2, 2), (3, 4), (4, 4)])
def test_random_guess_score_of_matching_is_the_mean_over_every_possible_answer(items, answers):
    rights = [f"r{j}" for j in range(answers)]
    options = [{"key": f"l{i}", "side": "left", "match": rights[i]} for i in range(items)] + [
        {"key": r, "side": "right"} for r in rights
    ]
    correct = {f"l{i}": rights[i] for i in range(items)}
    lefts = list(correct)
    every_answer = (
        dict(zip(lefts, chosen, strict=True)) for chosen in itertools.product(rights, repeat=items)
    )
    expected = mean_over(every_answer, lambda answer: scoring.score_matching(correct, answer))
    assert analysis.random_guess_score("matching", options) == expected


@pytest.mark.parametrize("items", [2, 3, 4, 5])
def test_random_guess_score_of_ordering_is_the_mean_over_every_order(items):
    keys = [f"i{n}" for n in range(items)]
    options = [{"key": key, "text": key} for key in keys]
    expected = mean_over(
        itertools.permutations(keys), lambda order: scoring.score_ordering(keys, list(order))
    )
    assert analysis.random_guess_score("ordering", options) == expected


# Reliability with random draws ------------------------------------------------------------------


def test_alpha_over_slots_stays_sound_where_alpha_over_questions_goes_negative():
    # Six learners' right (1) and wrong (0) answers in three slots, each slot filled by one of six
    # questions at random; the same answers, question by question, leave most cells empty.
    slots = KNOWN
    filled_by = [[0, 1, 2], [3, 4, 5], [1, 3, 5], [0, 2, 4], [2, 4, 0], [5, 1, 3]]
    per_question = [[None] * 6 for _ in slots]
    for row, questions, answers in zip(per_question, filled_by, slots, strict=True):
        for question, answer in zip(questions, answers, strict=True):
            row[question] = answer
    totals = [sum(row) for row in slots]
    question_variances = [
        statistics.variance([row[q] for row in per_question if row[q] is not None])
        for q in range(6)
    ]
    old_alpha = 6 / 5 * (1 - sum(question_variances) / statistics.variance(totals))
    assert old_alpha < 0
    summary = total_stats(slots)
    assert summary.alpha == pytest.approx(naive_alpha(slots)) and summary.alpha > 0
    assert summary.sem < summary.sd
