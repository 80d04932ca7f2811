"""How an answer is scored. Pure: no Django, so it can be property-tested on its own.

Each function returns the share (0 to 1) of its question's marks an answer earns; a question's
marks (its weight in the assessment, 1 unless a trainer says otherwise) multiply that share in
`weighted_total`. `score_response` reads a frozen question version's options (plain JSON, see
assessments.models.QuestionVersion) and calls the function for its kind.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

SINGLE_CHOICE = "single"
MULTIPLE_RESPONSE = "multiple"
TRUE_FALSE = "truefalse"
SHORT_ANSWER = "short"
NUMERICAL = "numerical"
MATCHING = "matching"
ORDERING = "ordering"

NOTHING = Fraction(0)
FULL = Fraction(1)


def score_answer(kind: str, correct: frozenset[str], selected: frozenset[str]) -> Fraction:
    """The mark for a choice question whose right options all count equally.

    Single choice and true/false: all or nothing (any one right option, when a single-choice
    question has several, as in Moodle). Multiple response: each correct option chosen
    earns an equal share, each wrong option chosen takes one share away, and the total never goes
    below zero, so only the exact set of correct options earns full marks.
    """
    if not correct:
        raise ValueError("A question needs at least one correct option.")
    if kind in (SINGLE_CHOICE, TRUE_FALSE):
        return FULL if len(selected) == 1 and selected <= correct else NOTHING
    if kind == MULTIPLE_RESPONSE:
        share = Fraction(1, len(correct))
        return score_multiple_response({key: share for key in correct}, selected, penalty=share)
    raise ValueError(f"Unknown question kind: {kind!r}")


# Half a unit in the last of the five places a fraction of the mark is kept to (Choice.fraction):
# the most a kept fraction can differ from the share its author meant (0.33333 for a third).
FRACTION_ROUNDING = Fraction(1, 200_000)


def adds_up_to_one(weights: Iterable[Fraction]) -> bool:
    """Whether the right options' fractions add up to 1, allowing each the rounding of five
    places (three times 0.33333, six times 0.16667)."""
    positive = [w for w in weights if w > 0]
    return abs(sum(positive, NOTHING) - 1) <= len(positive) * FRACTION_ROUNDING


def score_single_choice(marks: Mapping[str, Fraction], selected: frozenset[str]) -> Fraction:
    """Single choice with a mark per option (Moodle's "grade" per answer): the chosen option's
    mark, full for any right option and a part for a part-mark one; nothing when none or more
    than one is chosen."""
    if FULL not in marks.values():
        raise ValueError("A question needs at least one correct option.")
    if len(selected) != 1:
        return NOTHING
    (key,) = selected
    return min(FULL, max(NOTHING, marks.get(key, NOTHING)))


def score_multiple_response(
    weights: Mapping[str, Fraction],
    selected: frozenset[str],
    *,
    penalty: Fraction = NOTHING,
    scaled: bool = False,
) -> Fraction:
    """Multiple response with a weight per option (Moodle's "grade" per answer), as Moodle
    scores it: the weights of the chosen options added up, kept between 0 and 1.

    `weights` gives each option's share of the mark, positive for right options and zero or
    negative for wrong ones (a wrong option weighted 0 costs nothing); a chosen option not in
    `weights` takes `penalty` away. When the positive weights add up to 1 but for the rounding of
    five places (adds_up_to_one), the chosen weights are divided by their total, so three
    options of 0.33333 make exactly the full mark, as Moodle's 0.3333333 do (it counts
    0.9999999 as right). Otherwise they are added as they are: right options worth 0.5 and 0.49
    earn 0.99 together. `scaled` always divides by the positive total: how versions frozen before
    issue 13 were scored (see score_response).
    """
    positive = sum((w for w in weights.values() if w > 0), NOTHING)
    if positive <= 0:
        raise ValueError("A question needs at least one correct option.")
    earned = sum((weights.get(key, -penalty) for key in selected), NOTHING)
    if scaled or adds_up_to_one(weights.values()):
        earned /= positive
    return min(FULL, max(NOTHING, earned))


def normalise_text(text: str, *, case_sensitive: bool = False) -> str:
    """A short answer as it is compared, as Moodle compares one: NFC (so an "é" typed as one
    character or as "e" and an accent is the same letter, but "ﬁ" is not "fi"), no spaces at the
    ends, and lower case unless case counts ("ß" stays "ß", never "ss"). One deliberate
    difference from Moodle: a run of spaces inside counts as one (docs/decisions.md)."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text if case_sensitive else text.lower()


# A star not straight after a backslash: Moodle's wildcard.
_WILDCARD = re.compile(r"(?<!\\)\*")


def _pieces(accepted: str, *, case_sensitive: bool, literal_stars: bool) -> list[str]:
    """An accepted answer, compared as normalise_text compares, as the literal pieces between
    its wildcards: "Par*" is ["par", ""]; with no wildcard, one piece. "\\*" is a star itself,
    and any other backslash is a backslash, as in Moodle."""
    text = normalise_text(accepted, case_sensitive=case_sensitive)
    if literal_stars:
        return [text]
    return [piece.replace("\\*", "*") for piece in _WILDCARD.split(text)]


def _find(text: str, piece: str, start: int, end: int) -> int:
    """Where `piece` first starts in text[start:end], or -1, by Knuth, Morris and Pratt's search:
    at most two comparisons per character of the piece and of the text, however the two repeat
    themselves, where a plain search may compare "aaa…ab" with each "aaa…a" all over again."""
    # longest[i]: the length of the longest proper prefix of piece[: i + 1] that also ends it,
    # which is how much of the piece is still matched after a mismatch at i + 1.
    longest = [0] * len(piece)
    matched = 0
    for i in range(1, len(piece)):
        while matched and piece[i] != piece[matched]:
            matched = longest[matched - 1]
        if piece[i] == piece[matched]:
            matched += 1
        longest[i] = matched
    matched = 0
    for i in range(start, end):
        while matched and text[i] != piece[matched]:
            matched = longest[matched - 1]
        if text[i] == piece[matched]:
            matched += 1
            if matched == len(piece):
                return i + 1 - matched
    return -1


def accepts(
    accepted: str, answer: str, *, case_sensitive: bool = False, literal_stars: bool = False
) -> bool:
    """Whether a learner's answer matches an accepted answer, as Moodle's short answer matches:
    both compared after normalise_text, and each `*` in the accepted answer standing for any run
    of characters, none included ("Par*" accepts "Paris" and "Par"; "*ombudsman*" accepts "the
    Ombudsman service"); "\\*" is a star itself. An empty answer matches nothing, not even "*".

    Work grows with the lengths of the two texts added, never multiplied, whatever they hold:
    the pieces between the stars are looked for in turn, each at its first place after the one
    before (the first place is always as good as a later one: it leaves the most text for the
    pieces still to find), with a search that never goes back over the text (_find).
    """
    given = normalise_text(answer, case_sensitive=case_sensitive)
    if not given:
        return False
    pieces = _pieces(accepted, case_sensitive=case_sensitive, literal_stars=literal_stars)
    if len(pieces) == 1:
        return given == pieces[0]
    first, *middle, last = pieces
    if len(first) + len(last) > len(given):
        return False
    if not (given.startswith(first) and given.endswith(last)):
        return False
    position, end = len(first), len(given) - len(last)
    for piece in middle:
        if piece:
            found = _find(given, piece, position, end)
            if found < 0:
                return False
            position = found + len(piece)
    return True


def score_short_answer(
    accepted: Sequence[tuple[str, Fraction]],
    answer: str,
    *,
    case_sensitive: bool = False,
    literal_stars: bool = False,
) -> Fraction:
    """The best mark among the accepted answers the learner's answer matches (see accepts), or
    nothing. Several accepted answers may each earn full or part marks; where more than one
    matches, the best counts, wherever it is written (Moodle takes the first in the order
    written: the same mark when, as Moodle advises, a catch-all "*" comes last)."""
    marks = [
        mark
        for text, mark in accepted
        if accepts(text, answer, case_sensitive=case_sensitive, literal_stars=literal_stars)
    ]
    return max([NOTHING, *marks])


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


# The largest power of ten a learner's number may reach, up or down. Scoring compares numbers as
# exact fractions, and 1e10000000 as a fraction is an integer of ten million digits: seconds of
# work for one answer. Within 10^30 either way a fraction costs microseconds, and no answer to a
# question about complaints needs more.
NUMBER_MAX_EXPONENT = 30
NUMBER_MAX_CHARACTERS = 40

NOT_A_NUMBER = "enter a number, like 12 or 3.5 (or leave it empty)."
OUT_OF_RANGE = (
    f"enter a number with at most {NUMBER_MAX_EXPONENT} digits before the decimal point and "
    f"{NUMBER_MAX_EXPONENT} after it."
)


def read_number(text: str) -> tuple[Decimal | None, str]:
    """A learner's number and, when it cannot be marked, why (NOT_A_NUMBER or OUT_OF_RANGE):
    spaces ignored, '−' as minus, commas only as thousands separators (1,250.5)."""
    text = "".join(text.split()).replace("\u2212", "-")
    if not text or len(text) > NUMBER_MAX_CHARACTERS:
        return None, NOT_A_NUMBER
    if "," in text:
        if not _THOUSANDS.match(text):
            return None, NOT_A_NUMBER
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, NOT_A_NUMBER
    if not number.is_finite():
        return None, NOT_A_NUMBER
    # adjusted() reads the exponent without expanding the number; a zero is 0 however written.
    if number and not -NUMBER_MAX_EXPONENT <= number.adjusted() <= NUMBER_MAX_EXPONENT:
        return None, OUT_OF_RANGE
    return number if number else Decimal(0), ""


def parse_number(text: str) -> Decimal | None:
    """A learner's number, or None when it is not one the Academy can mark (read_number says
    why). Such an answer scores nothing."""
    return read_number(text)[0]


def score_numerical(
    ranges: Sequence[tuple[Fraction, Fraction, Fraction]], answer: Decimal | None
) -> Fraction:
    """The best mark among the accepted (low, high, mark) ranges the answer lies in (bounds
    included), or nothing. An exact answer is a range with low == high; a value with a
    tolerance is the range value ± tolerance."""
    if answer is None:
        return NOTHING
    given = Fraction(answer)
    return max([NOTHING, *(mark for low, high, mark in ranges if low <= given <= high)])


def score_matching(correct: Mapping[str, str], given: Mapping[str, str]) -> Fraction:
    """An equal share of the mark for each left-hand item matched with its right-hand item."""
    if not correct:
        raise ValueError("A matching question needs at least one pair.")
    right = sum(1 for left, match in correct.items() if given.get(left) == match)
    return Fraction(right, len(correct))


def score_ordering(correct: Sequence[str], given: Sequence[str]) -> Fraction:
    """The share of neighbouring pairs in the right order that the learner also put next to each
    other in that order (Moodle's "relative to the next item, excluding the last").

    Chosen over "items in the right place" because one item put too early then costs one or
    two pairs, not the place of every item after it. All pairs right means the whole order is
    right, so only the right order earns full marks. An incomplete answer earns nothing.
    """
    if len(correct) < 2:
        raise ValueError("An ordering question needs at least two items.")
    if sorted(given) != sorted(correct):
        return NOTHING
    follows = {a: b for a, b in zip(given, given[1:], strict=False)}
    right = sum(1 for a, b in zip(correct, correct[1:], strict=False) if follows.get(a) == b)
    return Fraction(right, len(correct) - 1)


def _fraction(text: str | None) -> Fraction | None:
    return None if text is None else Fraction(text)


def multiple_response_weights(options: Sequence[Mapping]) -> tuple[dict[str, Fraction], Fraction]:
    """Each option's weight in a frozen multiple-response question, and the penalty for a wrong
    option without a fraction of its own: right options without a fraction share the mark
    equally, and a wrong option without one takes one such share away."""
    correct = [o for o in options if o["correct"]]
    if not correct:
        raise ValueError("A question needs at least one correct option.")
    share = Fraction(1, len(correct))
    weights = {}
    for option in options:
        given = _fraction(option.get("fraction"))
        if given is not None:
            weights[option["key"]] = given
        else:
            weights[option["key"]] = share if option["correct"] else -share
    return weights, share


def answer_mark(option: Mapping) -> Fraction:
    """A single-choice option's or an accepted short or numerical answer's mark: its fraction,
    else all or nothing."""
    given = _fraction(option.get("fraction"))
    if given is not None:
        return given
    return FULL if option.get("correct") else NOTHING


def numerical_range(option: Mapping) -> tuple[Fraction, Fraction] | None:
    """The numbers an accepted numerical answer covers; None for "any other answer"."""
    if option.get("value") is None:
        return None
    value = Fraction(option["value"])
    tolerance = Fraction(option.get("tolerance") or "0")
    return value - tolerance, value + tolerance


# The settings of a frozen version (QuestionVersion.settings) that scoring reads. Besides a short
# answer's case rule, two mark versions frozen before issue 13 whose marks today's rules would
# change (migration 0017), so that answers given them keep the marks they had: "literal_stars" (a
# `*` in an accepted answer is only a star) and "scaled_fractions" (multiple response divided by
# the right options' total). No version frozen since has either.
SCORING_SETTINGS = ("case_sensitive", "literal_stars", "scaled_fractions")


def short_answer_rules(settings: Mapping) -> dict[str, bool]:
    """How a version's short answers are matched, as accepts and score_short_answer take it."""
    return {
        "case_sensitive": bool(settings.get("case_sensitive")),
        "literal_stars": bool(settings.get("literal_stars")),
    }


def score_response(
    kind: str, options: Sequence[Mapping], answer, *, settings: Mapping | None = None
) -> Fraction:
    """The mark a stored answer (Response.selected) earns on a frozen version's options and
    settings (SCORING_SETTINGS; none for today's rules, case insensitive)."""
    settings = settings or {}
    if kind == SINGLE_CHOICE:
        marks = {o["key"]: answer_mark(o) for o in options}
        return score_single_choice(marks, frozenset(answer))
    if kind == TRUE_FALSE:
        correct = frozenset(o["key"] for o in options if o["correct"])
        return score_answer(kind, correct, frozenset(answer))
    if kind == MULTIPLE_RESPONSE:
        weights, penalty = multiple_response_weights(options)
        scaled = bool(settings.get("scaled_fractions"))
        return score_multiple_response(weights, frozenset(answer), penalty=penalty, scaled=scaled)
    if kind == SHORT_ANSWER:
        accepted = [(o["text"], answer_mark(o)) for o in options]
        typed = answer[0] if answer else ""
        return score_short_answer(accepted, typed, **short_answer_rules(settings))
    if kind == NUMERICAL:
        ranges = [
            (*numerical_range(o), answer_mark(o)) for o in options if o.get("value") is not None
        ]
        return score_numerical(ranges, parse_number(answer[0]) if answer else None)
    if kind == MATCHING:
        correct = {o["key"]: o["match"] for o in options if o.get("side") == "left"}
        return score_matching(correct, answer or {})
    if kind == ORDERING:
        return score_ordering([o["key"] for o in options], answer or [])
    raise ValueError(f"Unknown question kind: {kind!r}")


def weighted_total(scores: Iterable[tuple[Fraction, int]]) -> Fraction:
    """The points an attempt earned: each answer's share of its question's marks, times them."""
    total = Fraction(0)
    for share, marks in scores:
        if marks < 1:
            raise ValueError("A question is worth at least one mark.")
        total += share * marks
    return total


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


def rubric_maximum(criteria: Sequence[Mapping]) -> Fraction:
    """The most points a frozen rubric gives: the top level of every criterion."""
    tops = (max(_fraction(level["points"]) for level in c["levels"]) for c in criteria)
    return sum(tops, Fraction(0))


def score_rubric(criteria: Sequence[Mapping], chosen: Mapping[str, str]) -> Fraction:
    """The share of the question's mark (0 to 1) for one level chosen per criterion, as points
    over the rubric's maximum. Every criterion must have a level of its own."""
    if set(chosen) != {criterion["key"] for criterion in criteria}:
        raise ValueError("Choose one level for every criterion.")
    points = Fraction(0)
    for criterion in criteria:
        levels = {level["key"]: _fraction(level["points"]) for level in criterion["levels"]}
        if chosen[criterion["key"]] not in levels:
            raise ValueError("A chosen level is not one of its criterion's levels.")
        points += levels[chosen[criterion["key"]]]
    maximum = rubric_maximum(criteria)
    if maximum <= 0:
        raise ValueError("The rubric gives no points.")
    return points / maximum


def marks_disagree(first: Fraction, second: Fraction, *, tolerance_percent: int) -> bool:
    """True when two markers' scores (shares of the mark) differ by more than the tolerance."""
    return abs(first - second) * 100 > tolerance_percent
