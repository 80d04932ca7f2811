"""Counts and marks in the app's words, for templates: "1 attempt", "2 of 3 marks"."""

from django import template

from .. import formatting

register = template.Library()


@register.filter
def counted(count, noun: str) -> str:
    """{{ assessment.max_attempts|counted:"attempt" }} gives "1 attempt" or "3 attempts"."""
    return formatting.plural(int(count), noun)


@register.filter
def marks_out_of(earned, out_of) -> str:
    """{{ response_points|marks_out_of:max_marks }} gives "1.5 of 2 marks"."""
    return formatting.marks_out_of(earned, int(out_of))


@register.filter
def marks(value) -> str:
    """A number of marks without trailing zeros: "2", "1.5"."""
    return formatting.mark_number(value)


@register.filter
def mark_share(score, out_of) -> str:
    """A share of a question's marks (0 to 1) as the marks it gives: "2.5 of 3 marks"."""
    return formatting.marks_out_of(score * int(out_of), int(out_of))
