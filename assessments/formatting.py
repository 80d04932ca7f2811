"""How numbers and counts are written in the app's words, versions and audit entries. Pure: no
Django."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def plural(count: int, noun: str) -> str:
    """A count with its noun: "1 question", "2 questions"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def mark_number(value: Decimal | Fraction | int) -> str:
    """A number of marks as people write it: at most two decimal places, no trailing zeros
    ("2", "1.5", "0.33"), never "2.00"."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    rounded = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    text = format(rounded, "f")
    return "0" if text == "-0" else text


def marks_out_of(earned: Decimal | Fraction | int, out_of: int) -> str:
    """Marks earned of those available: "2 of 3 marks", "1.5 of 2 marks", "1 of 1 mark"."""
    return f"{mark_number(earned)} of {out_of} mark{'' if out_of == 1 else 's'}"


def canonical_number(value: Decimal | None) -> str | None:
    """A decimal as a canonical string, so 0.5 and 0.50000 give the same text (and a question
    version the same hash); None stays None."""
    if value is None:
        return None
    text = format(Decimal(value).normalize(), "f")
    return "0" if text == "-0" else text


def decimal_text(value: Decimal | None) -> str | None:
    """A stored decimal as it is kept in an audit entry, places and all ("62.50"); None stays
    None."""
    return None if value is None else format(value, "f")
