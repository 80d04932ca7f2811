"""Reading and writing Moodle's GIFT format: what a trainer's import file turns into, and the
problems they are shown when it is broken."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import gift
from assessments.gift import GiftError, GiftProblem, ParsedAnswer, ParsedQuestion
from tests.assessments.conftest import shared_text

HALF = Decimal("0.5")
FIXTURES = Path(__file__).parent / "fixtures"


def problems_in(text: str) -> list[tuple[int, str]]:
    with pytest.raises(GiftError) as caught:
        gift.parse(text)
    return [(problem.line, problem.message) for problem in caught.value.problems]


# --- Moodle's own example file ---------------------------------------------------------------


@pytest.fixture(scope="module")
def moodle_questions(moodle_text: str) -> dict[int, ParsedQuestion]:
    return {question.line: question for question in gift.parse(moodle_text)}


def test_every_answer_block_in_moodles_examples_becomes_a_question(moodle_text, moodle_questions):
    lines = [line for line in moodle_text.splitlines() if not line.lstrip().startswith("//")]
    answer_blocks = len(re.findall(r"(?<!\\)\{", "\n".join(lines)))
    assert answer_blocks == 43  # counted by hand too
    assert len(moodle_questions) == answer_blocks


def test_a_missing_shared_file_skips_on_a_developer_machine_but_fails_in_ci(monkeypatch, tmp_path):
    missing = tmp_path / "moodle-examples.gift.txt"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        shared_text(missing)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="moodle-examples.gift.txt is not here"):
        shared_text(missing)


def test_moodle_multiple_choice_missing_word_and_escapes(moodle_questions):
    grant = moodle_questions[10]  # Grant is {~buried =entombed ~living} in Grant's tomb.
    assert (grant.kind, grant.stem, grant.stem_after) == ("single", "Grant is", "in Grant's tomb.")
    assert grant.missing_word
    assert [(a.text, a.fraction) for a in grant.answers] == [
        ("buried", 0),
        ("entombed", 1),
        ("living", 0),
    ]
    equals_five = moodle_questions[143]
    assert [a.text for a in equals_five.answers] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = moodle_questions[148]
    assert control.name == "GIFT Control Characters"
    assert [a.text for a in control.answers] == ["~", "=", "#", "{", "}", "\\"]
    assert control.answers[0].feedback == "~ is a control character."
    assert control.answers[-1].fraction == 1
    assert control.answers[-1].feedback.startswith("Correct! \\ (backslash) is not")
    assert control.answers[-1].feedback.endswith("(as shown in this example).")


def test_moodle_missing_word_questions_show_a_blank_where_the_answers_were(moodle_questions):
    blanks = {line: gift.with_blank(q) for line, q in moodle_questions.items() if q.missing_word}
    assert blanks == {
        10: "Grant is _____ in Grant's tomb.",
        27: "Grant is _____ in Grant's tomb.",
        29: "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November.",
        45: "Two plus two equals _____.",
        72: "What is the value of pi (to 3 decimal places)? _____.",
        74: "What is the value of pi (to 3 decimal places)? _____.",
        93: "The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday of "
        "November.",
        117: "Jesus Christ was from _____.",
        169: "Grant is _____ in Grant's tomb.",
        184: "Grant is _____ in Grant's tomb.",
        195: "Jesus Christ was from _____.",
    }
    assert moodle_questions[45].kind == "shortanswer"  # {=four =4} in the text: short answer
    # Text with its answers at the end keeps its stem as written.
    assert gift.with_blank(moodle_questions[8]) == "Who's buried in Grant's tomb?"


def test_each_answer_knows_its_line(moodle_questions):
    hometown = moodle_questions[117]
    assert [answer.line for answer in hometown.answers] == [118, 119, 120, 121]
    assert [answer.line for answer in moodle_questions[61].answers] == [62, 63, 64, 65]
    assert [answer.line for answer in moodle_questions[202].answers] == [204, 205]
    assert {answer.line for answer in moodle_questions[113].answers} == {113}


def test_moodle_weights_feedback_names_and_formats(moodle_questions):
    hometown = moodle_questions[117]
    assert (hometown.kind, hometown.name, hometown.stem_after) == ("single", "Jesus' hometown", ".")
    assert (hometown.space_before_blank, hometown.space_after_blank) == (True, False)
    assert [a.fraction for a in hometown.answers] == [0, Decimal("0.25"), Decimal("0.5"), 1]
    assert hometown.answers[1].feedback == "He was born here, but not raised here."
    spelled = moodle_questions[123]
    assert spelled.kind == "shortanswer"
    assert [(a.text, a.fraction) for a in spelled.answers][:2] == [
        ("Nazareth", 1),
        ("Nazereth", Decimal("0.75")),
    ]
    penalised = moodle_questions[136]
    assert penalised.kind == "multiple"
    assert [a.fraction for a in penalised.answers] == [-HALF, HALF, HALF, -HALF]
    markdown = moodle_questions[108]
    assert (markdown.text_format, markdown.stem) == (
        "markdown",
        "Who's buried in **Grant's tomb**?",
    )
    kanji = moodle_questions[90]
    assert kanji.name == "Kanji Origins"
    assert kanji.stem == "Japanese characters originally\ncame from what country?"
    assert all(q.text_format == "moodle" for line, q in moodle_questions.items() if line != 108)


def test_moodle_true_false_puts_the_first_feedback_on_the_wrong_answer(moodle_questions):
    false = moodle_questions[113]  # {FALSE#No one is buried in Grant's tomb.}
    assert false.kind == "truefalse"
    assert [(a.text, a.fraction, a.feedback) for a in false.answers] == [
        ("true", 0, "No one is buried in Grant's tomb."),
        ("false", 1, ""),
    ]
    assert moodle_questions[51].answers[0].fraction == 1  # The sun rises in the east.{T}


def test_moodle_numerical_tolerance_range_and_partial_credit(moodle_questions):
    exact, tolerance, range_ = moodle_questions[70], moodle_questions[72], moodle_questions[74]
    assert (exact.answers[0].value, exact.answers[0].tolerance) == (1822, 0)
    assert tolerance.answers[0].value == Decimal("3.1415")
    assert tolerance.answers[0].tolerance == Decimal("0.0005")
    assert range_.answers[0].minimum == Decimal("3.141")
    assert range_.answers[0].maximum == Decimal("3.142")
    assert range_.stem_after == "."
    several = moodle_questions[202]
    assert several.name == "Numerical example"
    assert [(a.value, a.tolerance, a.fraction) for a in several.answers] == [
        (1822, 0, 1),
        (1822, 2, Decimal("0.5")),
    ]
    assert several.answers[0].feedback == "Correct! 100% credit"
    assert several.answers[1].feedback.startswith("He was born in 1822.\n")


def test_moodle_matching(moodle_questions):
    capitals = moodle_questions[177]  # written on one line: {=Canada->Ottawa =Italy->Rome ...}
    assert capitals.kind == "matching"
    assert [(a.text, a.match) for a in capitals.answers] == [
        ("Canada", "Ottawa"),
        ("Italy", "Rome"),
        ("Japan", "Tokyo"),
    ]
    assert moodle_questions[61].answers[3].match == "New Delhi"


def test_moodle_examples_survive_a_round_trip(moodle_questions):
    questions = list(moodle_questions.values())
    assert gift.parse(gift.dump(questions)) == questions


# --- Our own fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ours() -> dict[str, ParsedQuestion]:
    questions = gift.parse((FIXTURES / "complaint-handling.gift").read_text())
    return {question.name or question.kind: question for question in questions}


def test_our_fixture_has_every_kind_in_its_category(ours):
    assert sorted(q.kind for q in ours.values()) == sorted(
        # Two numerical questions (several answers; a tolerance) and two single choice ones.
        [*gift.KINDS, "numerical", "single"]
    )
    assert ours["Acknowledge"].category == "complaint-standards/welcoming"
    assert ours["Roles"].category == "complaint-standards/investigating"
    assert ours["Acknowledge"].line == 6


def test_our_choice_questions(ours):
    acknowledge = ours["Acknowledge"]
    assert acknowledge.kind == "single"
    assert [a.text for a in acknowledge.answers if a.fraction == 1] == ["Three"]
    assert acknowledge.answers[1].feedback == "Right: acknowledge within three working days."
    assert (
        acknowledge.general_feedback == "The Complaint Standards ask for a prompt acknowledgement."
    )
    good = ours["Good practice"]
    assert good.kind == "multiple"
    assert [a.fraction for a in good.answers] == [HALF, HALF, -HALF, -HALF]
    assert good.answers[2].feedback == "This is a barrier."


def test_our_true_false_short_answer_and_missing_word(ours):
    channel = ours["truefalse"]
    assert [(a.fraction, a.feedback) for a in channel.answers] == [
        (1, "Yes: any channel is fine."),
        (0, "Anyone may raise a concern in the way that suits them."),
    ]
    remedy = ours["Remedy"]
    assert (remedy.kind, remedy.stem_after) == ("shortanswer", "as far as possible.")
    assert [(a.text, a.fraction) for a in remedy.answers] == [
        ("had the failing not happened", 1),
        ("without the failing", Decimal("0.5")),
    ]


def test_our_numerical_matching_essay_and_description(ours):
    final = ours["Final response"]
    assert final.answers[0] == ParsedAnswer.numeric(value=Decimal(6), feedback="Correct.")
    assert (final.answers[1].minimum, final.answers[1].maximum) == (4, 8)
    assert final.answers[1].fraction == Decimal("0.5")
    assert ours["Upheld"].answers[0].text == "42.5:0.05"
    roles = ours["Roles"]
    assert [a.text for a in roles.answers] == [
        "Complaint handler",
        "Senior leader",
        "Ombudsman",
        "",
    ]
    assert roles.answers[-1].match == "Sets the budget"  # a distractor with no item
    reflection = ours["Reflection"]
    assert (reflection.kind, reflection.text_format, reflection.answers) == (
        "essay",
        "markdown",
        [],
    )
    assert reflection.general_feedback.startswith("A good answer names the change")
    description = ours["description"]
    assert description.text_format == "html"
    assert "{Escaped braces} and a colon: stay as text." in description.stem


def test_our_escapes(ours):
    escapes = ours["Escapes"]
    assert [a.text for a in escapes.answers] == ["~", "=", "#", "\\"]
    assert escapes.answers[0].feedback == "Yes: a tilde.\nWell spotted."


def test_our_fixture_round_trips(ours):
    questions = list(ours.values())
    assert gift.parse(gift.dump(questions)) == questions


def test_every_problem_in_a_file_is_reported_by_line_and_nothing_is_kept():
    text = (FIXTURES / "broken-several.gift").read_text()
    assert problems_in(text) == [
        (6, "'%150%' is not a percentage between -100% and 100%"),
        (10, "'three' is not a number"),
        (14, "a matching pair needs '->', as in =item -> match"),
        (
            18,
            "unrecognised answer block: start answers with '=' or '~', or write {T}, {F}, "
            "{#number}, or {} for an essay",
        ),
        (20, "an option has no text"),
    ]


def test_an_unclosed_answer_block_is_reported_where_it_opens():
    text = (FIXTURES / "broken-unclosed.gift").read_text()
    assert problems_in(text) == [
        (
            2,
            "the answer block opened with '{' is not closed before the '{' on line 5",
        ),
        (7, "the answer block opened with '{' is never closed with '}'"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("::Unnamed\nIs this named?{T}", 1, "the question name is not closed with '::'"),
        ("Close before open}{=a}", 1, "'}' closes no answer block"),
        ("One {=a}\nTwo {=b}", 2, "a second answer block: separate questions with a blank line"),
        ("::Name only::", 1, "the question has no text"),
        ("Lost weight?{\n~%50 wrong\n=right}", 2, "a weight opened with '%' has no closing '%'"),
        ("Text weight?{~%half%a =b}", 1, "'%half%' is not a percentage"),
        ("Negative?{=%-50%no =yes}", 1, "only multiple-choice options can have a negative"),
        ("Nobody scores?{~a ~%-50%b}", 1, "no option has a positive weight such as ~%50%"),
        ("Only one?{~%100%a}", 1, "a multiple-choice question needs at least two options"),
        ("Half right?{=%50%a ~b}", 1, "no option is worth 100%"),
        ("Partial only?{=%50%a}", 1, "no accepted answer is worth 100%"),
        ("Stray text?{\nfirst ~a =b}", 2, "text before the first answer"),
        ("Tolerance?{#5:-1}", 1, "a tolerance cannot be negative"),
        ("Tolerance?{#5:a}", 1, "the tolerance 'a' is not a number"),
        ("Empty number?{#}", 1, "a numerical answer needs a number"),
        ("Wrong number?{#=5 ~4}", 1, "after '~' a numerical question takes only '#feedback'"),
        ("Weighted other?{#=5 ~%50%#near}", 1, "after '~' a numerical question takes only"),
        ("Only other?{#~#no}", 1, "a numerical answer needs a number"),
        ("Weighted pair?{=%50%a -> b =c -> d}", 1, "matching pairs cannot have a weight"),
        ("One pair?{=a -> b}", 1, "matching needs at least 2 pairs"),
        ("No match?{=a -> =c -> d}", 1, "a matching pair has nothing after '->'"),
        ("{=a}", 1, "the question has no text"),
    ],
)
def test_each_mistake_gets_a_clear_message_on_its_line(text, line, message):
    [(reported_line, reported)] = problems_in(text)
    assert reported_line == line
    assert reported.startswith(message)


def test_comments_blank_lines_and_windows_line_endings():
    text = "// heading\r\n\r\n// about the next one\r\nFirst?{T}\r\n\r\n\r\nSecond?{F}\r\n"
    first, second = gift.parse(text)
    assert (first.line, first.stem, second.line) == (4, "First?", 7)
    assert gift.parse("") == gift.parse("// only a comment\n\n") == []


def test_a_category_line_applies_until_the_next_and_an_empty_one_clears_it():
    text = "$CATEGORY: bank/a\n\nQ1{T}\n\nQ2{T}\n\n$CATEGORY:\n\nQ3{T}"
    assert [q.category for q in gift.parse(text)] == ["bank/a", "bank/a", None]


@pytest.mark.parametrize(
    ("text", "stem", "after", "spaces"),
    [
        (
            "Moodle costs {~lots of money =nothing} to download.",
            "Moodle costs",
            "to download.",
            (True, True),
        ),
        ("Grant was born in {#1822}.", "Grant was born in", ".", (True, False)),
        ("A fee(s){=charge}x", "A fee(s)", "x", (False, False)),
        ("::Name::{=Listening ~Arguing} comes first.", "", "comes first.", (True, True)),
        ("Two plus\n two {=four =4}\n", "Two plus\n two", "", (True, True)),
    ],
)
def test_missing_word_text_and_the_spaces_either_side_of_the_blank(text, stem, after, spaces):
    (question,) = gift.parse(text)
    assert (question.stem, question.stem_after) == (stem, after)
    assert (question.space_before_blank, question.space_after_blank) == spaces
    assert gift.parse(gift.dump([question])) == [question]


def test_a_moodle_missing_word_question_maps_to_our_text_and_back():
    (question,) = gift.parse("Moodle costs {~lots of money =nothing ~a small amount} to download.")
    assert question.kind == "single"
    assert gift.with_blank(question) == "Moodle costs _____ to download."
    parts = gift.split_at_blank("Moodle costs _____ to download.")
    assert parts == {
        "stem": "Moodle costs",
        "stem_after": "to download.",
        "space_before_blank": True,
        "space_after_blank": True,
    }
    assert gift.split_at_blank("_____ comes first.")["stem"] == ""
    assert gift.split_at_blank("Jesus was from _____.")["space_after_blank"] is False


@pytest.mark.parametrize(
    "text",
    [
        "No blank at all.",
        "Two _____ blanks _____ here.",
        "Ends with a blank _____",
        "Six underscores ______ are a line, not a blank.",
        "Two spaces  _____ before.",
        "A line break\n_____ before.",
        " _____ after a space.",
    ],
)
def test_a_text_is_split_only_where_the_blank_reads_back_the_same(text):
    assert gift.split_at_blank(text) is None


def test_format_markers_are_taken_off_options_feedback_and_general_feedback():
    text = (
        "[html]<p>Pick one</p>{\n"
        "=[plain]<b> is a tag#[markdown]**Yes**\n"
        "~%50%[html]close#[html]nearly\n"
        "~wrong#<i>no</i>\n"
        "####[moodle]Read the guide.\n}"
    )
    (question,) = gift.parse(text)
    assert (question.text_format, question.stem) == ("html", "<p>Pick one</p>")
    assert [(a.text, a.text_format, a.feedback, a.feedback_format) for a in question.answers] == [
        ("<b> is a tag", "plain", "**Yes**", "markdown"),
        # A marker naming the question's own format is taken off and not recorded.
        ("close", None, "nearly", None),
        ("wrong", None, "<i>no</i>", None),
    ]
    assert (question.general_feedback, question.general_feedback_format) == (
        "Read the guide.",
        "moodle",
    )
    assert gift.parse(gift.dump([question])) == [question]


def test_format_markers_in_true_false_matching_and_numerical_feedback():
    true_false, matching, numerical = gift.parse(
        "Is it?{T#[html]<b>No</b>#[plain]Yes}\n\n"
        "Pair them.{=[html]<i>a</i> -> [b] =c -> d#[markdown]*why*}\n\n"
        "How many?{#=5#[html]<b>Right</b> ~#[plain]Count again}"
    )
    assert [(a.feedback, a.feedback_format) for a in true_false.answers] == [
        ("Yes", "plain"),
        ("<b>No</b>", "html"),
    ]
    # As in Moodle, only the left side of a pair may name a format; the match is kept as text.
    assert [(a.text, a.text_format, a.match) for a in matching.answers] == [
        ("<i>a</i>", "html", "[b]"),
        ("c", None, "d"),
    ]
    assert matching.answers[1].feedback_format == "markdown"
    assert [(a.feedback, a.feedback_format) for a in numerical.answers] == [
        ("<b>Right</b>", "html"),
        ("Count again", "plain"),
    ]
    for question in (true_false, matching, numerical):
        assert gift.parse(gift.dump([question])) == [question]


def test_several_equals_in_a_choice_question_make_single_choice_with_several_right():
    (question,) = gift.parse("Which is a day?{=Monday =Tuesday ~June}")
    assert question.kind == "single"
    assert [a.fraction for a in question.answers] == [1, 1, 0]
    assert gift.dump([question]) == "Which is a day? {\n    =Monday\n    =Tuesday\n    ~June\n}\n\n"


def test_a_numerical_question_has_feedback_for_any_other_answer_after_its_tilde():
    (question,) = gift.parse(
        "How many days?{#\n=10#Right.\n=%50%8..12#Close.\n~#Count the working days.\n}"
    )
    assert [(a.is_any_other, a.fraction, a.feedback) for a in question.answers] == [
        (False, 1, "Right."),
        (False, HALF, "Close."),
        (True, 0, "Count the working days."),
    ]
    assert question.answers[2].line == 4
    (lone,) = gift.parse("How many?{#10 ~#Count again.}")
    assert [(a.value, a.is_any_other) for a in lone.answers] == [(10, False), (None, True)]
    for parsed in (question, lone):
        assert gift.parse(gift.dump([parsed])) == [parsed]


def test_a_range_written_high_to_low_is_the_same_range_as_in_moodle():
    (forwards,) = gift.parse("Between?{#1..5}")
    (backwards,) = gift.parse("Between?{#5..1}")
    assert backwards == forwards
    assert (backwards.answers[0].minimum, backwards.answers[0].maximum) == (1, 5)


def test_an_error_lists_its_problems_in_its_message():
    error = GiftError([GiftProblem(9, "b"), GiftProblem(2, "a")])
    assert str(error) == "line 2: a\nline 9: b"


# --- Properties ------------------------------------------------------------------------------

# Characters GIFT gives a meaning to, mixed into arbitrary text so escaping is always exercised.
GIFT_CHARACTERS = "~=#{}:\\%->[]/$TF.\n "
any_character = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r")
raw_text = st.text(st.sampled_from(GIFT_CHARACTERS) | any_character, max_size=20)
texts = raw_text.map(str.strip).filter(bool)  # GIFT trims text, so ours starts trimmed
optional_texts = raw_text.map(str.strip)
pair_items = texts.filter(lambda text: "->" not in text and not text.startswith("%"))
fractions = st.integers(-10000, 10000).map(lambda n: Decimal(n).scaleb(-4))
credits = st.integers(0, 10000).map(lambda n: Decimal(n).scaleb(-4))
numbers = st.decimals(allow_nan=False, allow_infinity=False)
tolerances = st.decimals(min_value=0, allow_nan=False, allow_infinity=False)


formats = st.none() | st.sampled_from(gift.TEXT_FORMATS)


def answers(text_strategy, fraction_strategy):
    return st.builds(
        ParsedAnswer,
        text=text_strategy,
        fraction=fraction_strategy,
        feedback=optional_texts,
        text_format=formats,
        feedback_format=formats,
    )


@st.composite
def with_a_right_answer(draw, answer, min_others=0):
    """Answers of which at least one is worth full marks, wherever it comes."""
    others = draw(st.lists(answer, min_size=min_others, max_size=3))
    right = draw(answer)
    right.fraction = Decimal(1)
    others.insert(draw(st.integers(0, len(others))), right)
    return others


@st.composite
def numerical_answers(draw):
    if draw(st.booleans()):
        low, high = sorted([draw(numbers), draw(numbers)])
        spelling = {"minimum": low, "maximum": high}
    else:
        spelling = {"value": draw(numbers), "tolerance": draw(tolerances)}
    return ParsedAnswer.numeric(
        **spelling,
        fraction=draw(credits),
        feedback=draw(optional_texts),
        feedback_format=draw(formats),
    )


@st.composite
def numerical_question_answers(draw):
    """Accepted numbers, one at least worth 100%, and perhaps 'any other answer' last."""
    accepted = draw(with_a_right_answer(numerical_answers()))
    if draw(st.booleans()):
        other = ParsedAnswer.any_other(feedback=draw(optional_texts), feedback_format=draw(formats))
        accepted.append(other)
    return accepted


@st.composite
def true_false_answers(draw):
    truth = draw(st.booleans())
    return [
        ParsedAnswer(
            text="true",
            fraction=Decimal(truth),
            feedback=draw(optional_texts),
            feedback_format=draw(formats),
        ),
        ParsedAnswer(
            text="false",
            fraction=Decimal(not truth),
            feedback=draw(optional_texts),
            feedback_format=draw(formats),
        ),
    ]


matching_pairs = st.lists(
    st.builds(
        ParsedAnswer,
        text=pair_items,
        match=texts,
        feedback=optional_texts,
        text_format=formats,
        feedback_format=formats,
    ),
    min_size=gift.MIN_MATCHING_PAIRS,
    max_size=4,
)
distractors = st.lists(st.builds(ParsedAnswer, text=st.just(""), match=texts), max_size=2)
ANSWERS = {
    "single": with_a_right_answer(answers(texts, fractions), min_others=1),
    "multiple": st.lists(answers(texts, fractions), min_size=2, max_size=4).filter(
        lambda options: any(option.fraction > 0 for option in options)
    ),
    "truefalse": true_false_answers(),
    "shortanswer": with_a_right_answer(answers(texts.filter(lambda t: "->" not in t), credits)),
    "numerical": numerical_question_answers(),
    "matching": st.builds(lambda pairs, extra: pairs + extra, matching_pairs, distractors),
    "essay": st.just([]),
}


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(gift.KINDS))
    question = ParsedQuestion(
        kind=kind,
        name=draw(st.none() | texts),
        stem=draw(texts),
        text_format=draw(st.sampled_from(gift.TEXT_FORMATS)),
        category=draw(st.none() | texts.filter(lambda text: "\n" not in text)),
    )
    if kind != "description":
        question.stem_after = draw(optional_texts)
        question.general_feedback = draw(optional_texts)
        question.general_feedback_format = draw(formats)
        question.answers = draw(ANSWERS[kind])
    if question.missing_word:  # text after the answers: the blank may touch it on either side
        question.stem = draw(optional_texts)
        question.space_before_blank = not question.stem or draw(st.booleans())
        question.space_after_blank = draw(st.booleans())
    return _own_formats_only(question)


def _own_formats_only(question: ParsedQuestion) -> ParsedQuestion:
    """A text's format is recorded only where it differs from the question's and the text is
    not empty, as `parse` records it."""

    def own(text: str, text_format: str | None) -> str | None:
        return text_format if text and text_format != question.text_format else None

    question.general_feedback_format = own(
        question.general_feedback, question.general_feedback_format
    )
    for answer in question.answers:
        answer.feedback_format = own(answer.feedback, answer.feedback_format)
        numbers_only = question.kind in ("numerical", "truefalse")
        answer.text_format = None if numbers_only else own(answer.text, answer.text_format)
    return question


@given(st.lists(questions(), max_size=5))
def test_written_questions_read_back_the_same(written):
    assert gift.parse(gift.dump(written)) == written


@given(questions())
def test_a_text_with_a_blank_splits_back_into_the_same_missing_word_parts(question):
    text = gift.with_blank(question)
    parts = gift.split_at_blank(text)
    touching = (not question.space_before_blank and question.stem.endswith("_")) or (
        not question.space_after_blank and question.stem_after.startswith("_")
    )
    typed = gift.BLANK in question.stem or gift.BLANK in question.stem_after
    if question.missing_word and not (touching or typed):
        assert parts is not None
        assert gift.with_blank(ParsedQuestion(kind=question.kind, **parts)) == text
        assert parts == {
            "stem": question.stem,
            "stem_after": question.stem_after,
            "space_before_blank": question.space_before_blank,
            "space_after_blank": question.space_after_blank,
        }
    elif parts is not None:  # a blank typed into the text itself: still reads back the same
        assert gift.with_blank(ParsedQuestion(kind=question.kind, **parts)) == text


@given(st.lists(questions(), min_size=1, max_size=5))
def test_each_question_read_says_the_line_it_starts_on(written):
    lines = gift.dump(written).split("\n")
    for question in gift.parse("\n".join(lines)):
        assert lines[question.line - 1].strip()
        assert question.line == 1 or not lines[question.line - 2].strip()


@given(st.text(max_size=200) | st.text(st.sampled_from(GIFT_CHARACTERS + "a1"), max_size=200))
def test_any_text_either_parses_or_reports_problems_on_real_lines(text):
    try:
        questions = gift.parse(text)
    except GiftError as error:
        assert error.problems
        line_count = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        assert all(1 <= problem.line <= line_count for problem in error.problems)
    else:
        assert all(question.kind in gift.KINDS for question in questions)


@given(st.lists(questions(), min_size=1, max_size=3), st.data())
def test_a_damaged_file_either_parses_or_reports_problems(written, data):
    """Near-valid GIFT (a written file with a few characters inserted) reaches deeper paths."""
    text = gift.dump(written)
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.sampled_from(GIFT_CHARACTERS)) + text[at:]
    try:
        gift.parse(text)
    except GiftError as error:
        assert error.problems


def test_dump_escapes_what_gift_would_otherwise_read_as_syntax():
    question = ParsedQuestion(
        kind="shortanswer",
        name="Costs: {fees}",
        stem="[html] is not a format here; 1 = 1 ~ #2 \\ done\nnext line",
        answers=[ParsedAnswer(text="%5 fee", fraction=Decimal(1), feedback="Yes # indeed")],
    )
    assert gift.dump([question]) == (
        "::Costs\\: \\{fees\\}::[moodle][html] is not a format here; 1 \\= 1 \\~ \\#2 \\\\ done"
        "\\nnext line {\n    =%100%%5 fee#Yes \\# indeed\n}\n\n"
    )
    assert gift.parse(gift.dump([question])) == [question]


@pytest.mark.parametrize(
    "question",
    [
        ParsedQuestion(
            kind="matching", stem="Pairs", answers=[ParsedAnswer(text="a->b", match="c")]
        ),
        ParsedQuestion(kind="single", stem="None right", answers=[ParsedAnswer(text="a")]),
        ParsedQuestion(kind="description", stem=""),
        ParsedQuestion(kind="ordering", stem="Not a GIFT type"),
        ParsedQuestion(kind="essay", stem="No blank", space_after_blank=False),
        ParsedQuestion(kind="essay", stem="", stem_after="after", space_before_blank=False),
        ParsedQuestion(kind="essay", stem="Options?", answers=[ParsedAnswer(text="a")]),
    ],
)
def test_dump_refuses_what_gift_cannot_say(question):
    with pytest.raises(ValueError):
        gift.dump([question])
