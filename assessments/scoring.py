"""How an answer is scored. Pure: no Django, so it can be property-tested on its own."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

SINGLE_CHOICE = "single"
MULTIPLE_RESPONSE = "multiple"


def score_answer(kind: str, correct: frozenset[str], selected: frozenset[str]) -> Fraction:
    """The fraction of a question's mark (0 to 1) that the selected options earn.

    Single choice: all or nothing. Multiple response: each correct option chosen earns an equal
    share, each wrong option chosen takes one share away, and the total never goes below zero, so
    only the exact set of correct options earns full marks.
    """
    if not correct:
        raise ValueError("A question needs at least one correct option.")
    if kind == SINGLE_CHOICE:
        return Fraction(1) if selected == correct and len(selected) == 1 else Fraction(0)
    if kind == MULTIPLE_RESPONSE:
        share = Fraction(1, len(correct))
        earned = share * len(selected & correct) - share * len(selected - correct)
        return max(Fraction(0), earned)
    raise ValueError(f"Unknown question kind: {kind!r}")


def percentage(points: Fraction, max_points: int) -> Decimal:
    """Points as a percentage with two decimals, rounded half up."""
    if max_points <= 0:
        raise ValueError("An assessment with no marks cannot be scored.")
    value = Decimal(points.numerator) * 100 / (Decimal(points.denominator) * max_points)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def has_passed(points: Fraction, max_points: int, pass_mark: int) -> bool:
    """Compared exactly, so rounding for display never turns a fail into a pass."""
    return points * 100 >= pass_mark * max_points


def to_decimal(value: Fraction, places: int = 3) -> Decimal:
    exponent = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        exponent, rounding=ROUND_HALF_UP
    )
