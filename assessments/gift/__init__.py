"""Read and write Moodle's GIFT question format. Pure: no Django, so it can be property-tested.

GIFT (https://docs.moodle.org/en/GIFT_format) is how trainers move question banks in and out of
Moodle. `parse` turns a file into plain `ParsedQuestion`s or raises `GiftError` listing every
problem it found, each with its line; it never returns part of a broken file, so an import built on
it is all-or-nothing. `read` gives the same questions one at a time, each with its own problems,
and can refuse a question with too many answers before reading them. `dump` writes questions
back so that `parse(dump(qs)) == qs`.

Where Moodle is lenient in ways that would silently lose a trainer's work (an unknown answer block,
a malformed weight, a second answer block), we report a problem instead.

A missing-word question has text after its answer block ("Grant is {~buried =entombed} in Grant's
tomb."). Moodle shows it with BLANK where the block was; `with_blank` gives that text and
`split_at_blank` turns such a text back into the two parts, so a question can go out of the
Academy in missing-word form and come back with the same text.
"""

from .questions import (
    BLANK,
    DEFAULT_FORMAT,
    DESCRIPTION,
    ESSAY,
    KINDS,
    MATCHING,
    MIN_MATCHING_PAIRS,
    MULTIPLE,
    NUMERICAL,
    SHORTANSWER,
    SINGLE,
    TEXT_FORMATS,
    TRUEFALSE,
    GiftError,
    GiftProblem,
    ParsedAnswer,
    ParsedQuestion,
    split_at_blank,
    with_blank,
)
from .reader import count_questions, parse, read
from .writer import dump

__all__ = [
    "BLANK",
    "DEFAULT_FORMAT",
    "DESCRIPTION",
    "ESSAY",
    "KINDS",
    "MATCHING",
    "MIN_MATCHING_PAIRS",
    "MULTIPLE",
    "NUMERICAL",
    "SHORTANSWER",
    "SINGLE",
    "TEXT_FORMATS",
    "TRUEFALSE",
    "GiftError",
    "GiftProblem",
    "ParsedAnswer",
    "ParsedQuestion",
    "count_questions",
    "dump",
    "parse",
    "read",
    "split_at_blank",
    "with_blank",
]
