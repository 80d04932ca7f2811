"""How numbers and counts are written in the app's words, versions and audit entries. Pure: no
Django."""

from decimal import Decimal


def plural(count: int, noun: str) -> str:
    """A count with its noun: "1 question", "2 questions"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


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
