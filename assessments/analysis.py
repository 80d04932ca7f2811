"""Item analysis statistics from sums the database has already added up.

Pure functions, no Django: `assessments.statistics` asks the database for counts and sums over the
attempts analysed, and these functions turn them into the statistics Moodle's quiz statistics
report shows. An "item" is what the figures are about: a slot of the test (a place in it, which a
random draw fills with a different question from attempt to attempt), one question wherever it
was given, or one question in one slot. Notation, for one item over the n attempts that had it:

- x is the score on the item (0 to its maximum mark), T the attempt's total score, and
  R = T - x the score on the rest of the test;
- variances and covariances are sample ones (divided by n - 1), as in Moodle.

Definitions:

- facility index: the mean of x divided by the maximum mark (0: nobody scored, 1: everybody did);
- standard deviation: the sample standard deviation of x;
- discrimination index: 100 times the correlation of x with R;
- discriminative efficiency: 100 times the covariance of x and R divided by the largest
  covariance the same two sets of scores could have, which is when both are sorted in the same
  order and paired off (so it says how close the item comes to the best discrimination its
  facility allows);
- random guess score: the share of the marks a learner answering at random can expect;
- intended weight of a slot: its maximum mark as a share of all the slots' maximum marks;
- effective weight of a slot: the square root of the covariance of x with T, as a share of the
  sum of those square roots over the slots (a slot whose covariance is negative has none);
- Cronbach's alpha (KR-20 for right/wrong items): k / (k - 1) * (1 - sum of the slot variances /
  variance of T), for k slots. Slots, not questions: with random draws a question is missing
  from most attempts, and counting each question as an item adds up more variance than any
  attempt's total holds (docs/decisions.md, "Reliability per slot");
- error ratio: 100 * sqrt(1 - alpha), the standard error as a share of the SD of T; standard error
  of measurement: SD(T) * sqrt(1 - alpha);
- skewness and kurtosis of T: k3 / k2^(3/2) and k4 / k2^2, from the sample cumulants k2, k3, k4
  (kurtosis is the excess over a normal distribution's), as Moodle gives them.

Every statistic that would divide by zero (one attempt, a question everyone got right, a test on
which everyone scored the same) is None. Sums are taken as int, Decimal or Fraction and worked
with exactly (as Fractions), so a zero variance is exactly zero; results are floats.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from . import scoring

Number = int | Decimal | Fraction

# Counts of each distinct value: [(value, how many), ...] in any order.
Distribution = Iterable[tuple[Number, int]]


def exact(value: Number | float) -> Fraction:
    """The value as a Fraction (a float is taken as the binary number it is)."""
    return Fraction(value)


@dataclass(frozen=True)
class ItemSums:
    """Sums over the n attempts that were given one question (see the module's notation)."""

    count: int  # n
    score: Number  # sum of x
    score_squared: Number  # sum of x * x
    total: Number  # sum of T
    total_squared: Number  # sum of T * T
    score_total: Number  # sum of x * T

    @property
    def rest(self) -> Fraction:
        """Sum of R."""
        return exact(self.total) - exact(self.score)

    @property
    def rest_squared(self) -> Fraction:
        """Sum of R * R = T*T - 2*x*T + x*x."""
        return exact(self.total_squared) - 2 * exact(self.score_total) + exact(self.score_squared)

    @property
    def score_rest(self) -> Fraction:
        """Sum of x * R = x*T - x*x."""
        return exact(self.score_total) - exact(self.score_squared)


@dataclass(frozen=True)
class ItemStatistics:
    attempts: int
    facility: float | None
    sd: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None
    # The exact sample variance of x, which Cronbach's alpha adds up over the slots.
    variance: Fraction | None
    # The exact sample covariance of x with T, from which a slot's effective weight follows.
    covariance_with_total: Fraction | None


@dataclass(frozen=True)
class TotalStatistics:
    """The whole test: statistics of the attempts' total scores."""

    attempts: int
    mean: float | None
    median: float | None
    sd: float | None
    alpha: float | None
    sem: float | None
    error_ratio: float | None  # percent
    skewness: float | None
    kurtosis: float | None


def deviations_product(count: int, sum_a: Number, sum_b: Number, sum_ab: Number) -> Fraction:
    """Sum over the rows of (a - mean a) * (b - mean b), from sums: sum ab - sum a * sum b / n."""
    if count < 1:
        return Fraction(0)
    return exact(sum_ab) - exact(sum_a) * exact(sum_b) / count


def variance(count: int, total: Number, total_squared: Number) -> Fraction | None:
    """The sample variance (divided by n - 1); None for fewer than two values."""
    if count < 2:
        return None
    return deviations_product(count, total, total, total_squared) / (count - 1)


def _sqrt(value: Fraction | None) -> float | None:
    return None if value is None else math.sqrt(value)


def _as_integers(values: Distribution) -> tuple[list[tuple[int, int]], int]:
    """The values as integers over one common denominator, sorted: ([(numerator, how many)],
    denominator). Integers sort and add up far faster than Fractions, which matters with
    thousands of distinct totals."""
    exact_values = [(exact(value), times) for value, times in values if times]
    scale = math.lcm(*(value.denominator for value, _ in exact_values))
    return sorted(
        (value.numerator * (scale // value.denominator), times) for value, times in exact_values
    ), scale


def comonotone_product_sum(first: Distribution, second: Distribution) -> Fraction:
    """Sum of a * b when both sets of values are sorted from lowest to highest and paired off
    in that order (the pairing that makes the sum, and so the covariance, as large as it can be).

    Each set is given as its distribution (value, count), so the values never need listing one
    by one; both must hold the same number of values.
    """
    a, scale_a = _as_integers(first)
    b, scale_b = _as_integers(second)
    if sum(count for _, count in a) != sum(count for _, count in b):
        raise ValueError("Both distributions must count the same number of values.")
    result = 0
    i = j = 0
    left_a = a[0][1] if a else 0
    left_b = b[0][1] if b else 0
    while i < len(a) and j < len(b):
        paired = min(left_a, left_b)
        result += a[i][0] * b[j][0] * paired
        left_a -= paired
        left_b -= paired
        if not left_a:
            i += 1
            left_a = a[i][1] if i < len(a) else 0
        if not left_b:
            j += 1
            left_b = b[j][1] if j < len(b) else 0
    return Fraction(result, scale_a * scale_b)


def item_statistics(
    sums: ItemSums,
    *,
    score_counts: Distribution,
    rest_counts: Distribution,
    max_mark: Number = 1,
) -> ItemStatistics:
    """One question's statistics from its sums and the distributions of x and of R."""
    n = sums.count
    facility = float(exact(sums.score) / n / exact(max_mark)) if n and max_mark else None
    score_variance = variance(n, sums.score, sums.score_squared)
    if n < 2:
        return ItemStatistics(n, facility, None, None, None, score_variance, None)

    s_xx = deviations_product(n, sums.score, sums.score, sums.score_squared)
    s_rr = deviations_product(n, sums.rest, sums.rest, sums.rest_squared)
    s_xr = deviations_product(n, sums.score, sums.rest, sums.score_rest)

    discrimination = None
    if s_xx > 0 and s_rr > 0:
        correlation = float(s_xr) / math.sqrt(s_xx * s_rr)
        discrimination = max(-100.0, min(100.0, 100 * correlation))

    efficiency = None
    s_xr_max = comonotone_product_sum(score_counts, rest_counts) - exact(sums.score) * sums.rest / n
    if s_xr_max > 0:
        efficiency = float(100 * s_xr / s_xr_max)

    return ItemStatistics(
        attempts=n,
        facility=facility,
        sd=_sqrt(score_variance),
        discrimination_index=discrimination,
        discriminative_efficiency=efficiency,
        variance=score_variance,
        covariance_with_total=deviations_product(n, sums.score, sums.total, sums.score_total)
        / (n - 1),
    )


def cronbach_alpha(
    item_variances: Sequence[Fraction | None], total_variance: Fraction | None
) -> Fraction | None:
    """k / (k - 1) * (1 - sum of item variances / variance of the totals); None unless there are
    at least two items (slots), every variance is known and the totals vary."""
    k = len(item_variances)
    if k < 2 or total_variance is None or total_variance <= 0:
        return None
    if any(v is None for v in item_variances):
        return None
    return Fraction(k, k - 1) * (1 - sum(item_variances) / total_variance)


def error_ratio(alpha: Fraction | None) -> float | None:
    """100 * sqrt(1 - alpha): the standard error of measurement as a percentage of the SD of the
    totals. None without alpha, or for an alpha above 1, which totals made of the slots' scores
    cannot give."""
    if alpha is None or alpha > 1:
        return None
    return 100 * math.sqrt(1 - alpha)


def _median(values: Sequence[tuple[int, int]], count: int) -> Fraction:
    """The median of `count` values given sorted as (value, how many)."""
    wanted = {(count - 1) // 2, count // 2}  # the one or two middle places, from 0
    found: list[int] = []
    seen = 0
    for value, times in values:
        found.extend(value for place in wanted if seen <= place < seen + times)
        seen += times
    return Fraction(sum(found), len(found))


def shape(count: int, squares: Fraction, cubes: Fraction, fourths: Fraction):
    """Skewness and kurtosis from the sums of the 2nd, 3rd and 4th powers of the deviations
    from the mean, as Moodle works them out: with m_r = sum / n, the sample cumulants
    k2 = n m2 / (n - 1), k3 = n^2 m3 / ((n - 1)(n - 2)) and
    k4 = n^2 ((n + 1) m4 - 3 (n - 1) m2^2) / ((n - 1)(n - 2)(n - 3)); skewness k3 / k2^(3/2)
    (needs three values), kurtosis k4 / k2^2 (needs four). None when the totals do not vary."""
    n = count
    if n < 3 or squares <= 0:
        return None, None
    m2, m3, m4 = squares / n, cubes / n, fourths / n
    k2 = n * m2 / (n - 1)
    k3 = n * n * m3 / ((n - 1) * (n - 2))
    skewness = float(k3) / float(k2) ** 1.5
    if n < 4:
        return skewness, None
    k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
    return skewness, float(k4 / (k2 * k2))


def group_size(count: int) -> int:
    """How many attempts the top third and the bottom third each hold (the same number, so the
    two are compared fairly; with fewer than three attempts there are no groups)."""
    return count // 3


def total_statistics(
    *, totals: Distribution, item_variances: Sequence[Fraction | None]
) -> TotalStatistics:
    """The whole test's statistics from the distribution of the attempts' totals (value, how
    many) and each slot's score variance."""
    values, scale = _as_integers(totals)
    count = sum(times for _, times in values)
    if not count:
        return TotalStatistics(0, None, None, None, None, None, None, None, None)
    # Sums of the 1st to 4th powers of the values (as integers), and from them the sums of the
    # powers of the deviations from the mean: a few steps on Fractions however many totals.
    s1, s2, s3, s4 = (
        sum(value**power * times for value, times in values) for power in (1, 2, 3, 4)
    )
    mean = Fraction(s1, count)
    deviations = [
        s2 - s1 * mean,
        s3 - 3 * s2 * mean + 2 * s1 * mean**2,
        s4 - 4 * s3 * mean + 6 * s2 * mean**2 - 3 * s1 * mean**3,
    ]
    powers = [sum_ / scale**power for power, sum_ in enumerate(deviations, start=2)]
    mean_total = mean / scale
    total_variance = powers[0] / (count - 1) if count > 1 else None
    alpha = cronbach_alpha(item_variances, total_variance)
    ratio = error_ratio(alpha)
    sd = _sqrt(total_variance)
    skewness, kurtosis = shape(count, *powers)
    return TotalStatistics(
        attempts=count,
        mean=float(mean_total),
        median=float(_median(values, count) / scale),
        sd=sd,
        alpha=None if alpha is None else float(alpha),
        sem=None if ratio is None or sd is None else ratio * sd / 100,
        error_ratio=ratio,
        skewness=skewness,
        kurtosis=kurtosis,
    )


def intended_weights(max_marks: Sequence[Number]) -> list[float | None]:
    """Each slot's maximum mark as a percentage of all the slots' maximum marks."""
    whole = sum((exact(mark) for mark in max_marks), Fraction(0))
    return [float(100 * exact(mark) / whole) if whole else None for mark in max_marks]


def effective_weights(covariances: Sequence[Fraction | None]) -> list[float | None]:
    """Each slot's share, as a percentage, of the square roots of the slots' covariances with
    the totals, summed over the slots whose covariance is not negative. A slot with a negative
    (or unknown) covariance has no effective weight: it works against the rest of the test."""
    roots = [math.sqrt(c) if c is not None and c >= 0 else None for c in covariances]
    whole = sum(root for root in roots if root is not None)
    return [100 * root / whole if root is not None and whole else None for root in roots]


def random_guess_score(
    kind: str, options: Sequence[dict], settings: dict | None = None
) -> Fraction | None:
    """The share of the marks a learner can expect from answering at random, or None where it
    cannot sensibly be said.

    Single choice and true/false: the mean of what choosing each option alone earns (0.5 for
    true/false). Matching: one over the number of right-hand answers, since each item is
    matched right with that chance. Ordering: one over the number of items, since in a random
    order each pair that should be neighbours is, in the right order, with that chance, and the
    mark is the share of such pairs. Short answer: the mark of a catch-all answer ("*"), as in
    Moodle, else 0 (`settings` are the version's: one scored before wildcards has none);
    numerical: 0. Multiple response: None, as in Moodle, which does not estimate it (how many
    options a guesser ticks is anybody's guess); essays, marked by a person: None.
    """
    if kind in (scoring.SINGLE_CHOICE, scoring.TRUE_FALSE):
        if not options:
            return None
        earned = (scoring.score_response(kind, options, [option["key"]]) for option in options)
        return sum(earned, Fraction(0)) / len(options)
    if kind == scoring.SHORT_ANSWER:
        # A catch-all answer ("*") earns its mark whatever is typed; otherwise a guess earns 0.
        # (A version scored before wildcards, with `literal_stars`, has no catch-all.)
        literal = (settings or {}).get("literal_stars")
        catch_alls = [
            scoring.answer_mark(option)
            for option in options
            if not literal and option["text"].strip() and not option["text"].strip().strip("*")
        ]
        return max(catch_alls, default=Fraction(0))
    if kind == scoring.NUMERICAL:
        return Fraction(0)
    if kind == scoring.MATCHING:
        answers = sum(1 for option in options if option.get("side") == "right")
        return Fraction(1, answers) if answers else None
    if kind == scoring.ORDERING:
        return Fraction(1, len(options)) if len(options) > 1 else None
    return None
