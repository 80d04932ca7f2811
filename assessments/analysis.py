"""Item analysis statistics from sums the database has already added up.

Pure functions, no Django: `assessments.statistics` asks the database for counts and sums over the
attempts analysed, and these functions turn them into the statistics Moodle's quiz statistics
report shows. Notation, for one question (an "item") over the n attempts that were given it:

- x is the score on the question (0 to its maximum mark), T the attempt's total score, and
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
- Cronbach's alpha (KR-20 for right/wrong items): k / (k - 1) * (1 - sum of the item variances /
  variance of T), for k items;
- standard error of measurement: SD(T) * sqrt(1 - alpha).

Every statistic that would divide by zero (one attempt, a question everyone got right, a test on
which everyone scored the same) is None. Sums are taken as int, Decimal or Fraction and worked
with exactly (as Fractions), so a zero variance is exactly zero; results are floats.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

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
    # The exact sample variance of x, which Cronbach's alpha adds up over the items.
    variance: Fraction | None


@dataclass(frozen=True)
class TotalStatistics:
    """The whole test: statistics of the attempts' total scores."""

    attempts: int
    mean: float | None
    median: float | None
    sd: float | None
    alpha: float | None
    sem: float | None


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


def mean(count: int, total: Number) -> float | None:
    return float(exact(total) / count) if count else None


def comonotone_product_sum(first: Distribution, second: Distribution) -> Fraction:
    """Sum of a * b when both sets of values are sorted from lowest to highest and paired off
    in that order (the pairing that makes the sum, and so the covariance, as large as it can be).

    Each set is given as its distribution (value, count), so the values never need listing one
    by one; both must hold the same number of values.
    """
    a = sorted((exact(value), count) for value, count in first if count)
    b = sorted((exact(value), count) for value, count in second if count)
    if sum(count for _, count in a) != sum(count for _, count in b):
        raise ValueError("Both distributions must count the same number of values.")
    result = Fraction(0)
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
    return result


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
        return ItemStatistics(n, facility, None, None, None, score_variance)

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
    )


def cronbach_alpha(
    item_variances: Sequence[Fraction | None], total_variance: Fraction | None
) -> Fraction | None:
    """k / (k - 1) * (1 - sum of item variances / variance of the totals); None unless there are
    at least two items, every variance is known and the totals vary."""
    k = len(item_variances)
    if k < 2 or total_variance is None or total_variance <= 0:
        return None
    if any(v is None for v in item_variances):
        return None
    return Fraction(k, k - 1) * (1 - sum(item_variances) / total_variance)


def median(middle: Sequence[Number]) -> float | None:
    """The median from the one or two middle values of the sorted totals (see middle_slice)."""
    if not middle:
        return None
    return float(sum(exact(value) for value in middle) / len(middle))


def middle_slice(count: int) -> slice:
    """Where the middle value(s) of `count` sorted values are: one when odd, two when even."""
    return slice((count - 1) // 2, count // 2 + 1)


def group_size(count: int) -> int:
    """How many attempts the top third and the bottom third each hold (the same number, so the
    two are compared fairly; with fewer than three attempts there are no groups)."""
    return count // 3


def total_statistics(
    *,
    count: int,
    total: Number,
    total_squared: Number,
    middle: Sequence[Number],
    item_variances: Sequence[Fraction | None],
) -> TotalStatistics:
    """The whole test's statistics from the attempts' totals (count, sum, sum of squares and the
    middle value(s) for the median) and each question's score variance."""
    total_variance = variance(count, total, total_squared)
    alpha = cronbach_alpha(item_variances, total_variance)
    sd = _sqrt(total_variance)
    return TotalStatistics(
        attempts=count,
        mean=mean(count, total),
        median=median(middle),
        sd=sd,
        alpha=None if alpha is None else float(alpha),
        sem=None if alpha is None or sd is None else sd * math.sqrt(1 - alpha),
    )
