"""Reading and writing Moodle XML as plain data (assessments.moodle_xml): Moodle's layout, hostile
and broken files refused with their line, and dump/parse inverses (texts are read by
assessments.texts, tested in test_texts.py)."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import moodle_xml as mx

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def refusal(data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(mx.MoodleXmlError) as caught:
        mx.parse(data)
    return [(problem.line, problem.message) for problem in caught.value.problems]


# --- Moodle's layout -------------------------------------------------------------------------


def test_every_question_and_category_is_read_in_order_with_its_line():
    items = mx.parse(read("moodle-complaints.xml"))
    assert [(type(item).__name__, item.line) for item in items] == [
        ("MoodleCategory", 4),
        ("MoodleQuestion", 15),
        ("MoodleQuestion", 71),
        ("MoodleCategory", 111),
        ("MoodleQuestion", 122),
        ("MoodleQuestion", 151),
        ("MoodleQuestion", 181),
        ("MoodleQuestion", 219),
        ("MoodleQuestion", 264),
        ("MoodleQuestion", 296),
        ("MoodleQuestion", 313),
    ]
    kinds = [item.type for item in items if isinstance(item, mx.MoodleQuestion)]
    assert kinds == [
        "multichoice",
        "multichoice",
        "truefalse",
        "shortanswer",
        "numerical",
        "matching",
        "ordering",
        "description",
        "essay",
    ]


def test_a_question_keeps_its_category_texts_fractions_settings_and_tags():
    items = mx.parse(read("moodle-complaints.xml"))
    first, remedies, anonymous = items[1], items[2], items[4]
    assert first.category == "$course$/top/Default for Complaint handling"
    assert anonymous.category == "$course$/top/Default for Complaint handling/Investigating"
    assert first.name == "First response"
    assert first.text.format == "html"
    assert first.text.text.startswith("<p>A complaint arrives by e-mail.</p>")
    assert first.settings["single"] == "true"
    assert first.tags == ["difficulty:easy", "week1"]
    assert [a.fraction for a in remedies.answers] == [
        Decimal("0.3333333"),
        Decimal("0.3333333"),
        Decimal("0.3333333"),
        Decimal("-0.5"),
        Decimal(0),
    ]
    assert remedies.answers[3].feedback.text == "That is not a remedy."
    assert remedies.answers[3].line == 100


def test_matching_pairs_numerical_tolerances_and_ordering_positions_are_read():
    items = {
        item.name: item
        for item in mx.parse(read("moodle-complaints.xml"))
        if isinstance(item, mx.MoodleQuestion)
    }
    pairs = items["Who does what"].subquestions
    assert [(p.text.text, p.answer) for p in pairs] == [
        ("<p>Complaints manager</p>", "Oversees responses"),
        ("<p>Investigator</p>", "Gathers evidence"),
        ("", "Sets the budget"),
    ]
    days = items["Working days"].answers
    assert [(a.text.text, a.fraction, a.tolerance) for a in days] == [
        ("3", 1, 0),
        ("4.5", Decimal("0.5"), Decimal("0.5")),
    ]
    steps = items["Stages of a complaint"].answers
    assert [(a.text.text, a.fraction) for a in steps] == [
        ("Investigate", 2),
        ("Acknowledge", 1),
        ("Respond", 3),
    ]


def test_a_fraction_that_is_not_a_number_is_a_problem_of_its_question_at_its_line():
    items = mx.parse(read("moodle-problems.xml"))
    distance = next(item for item in items if item.name == "Distance")
    assert distance.answers[0].fraction is None
    assert [(p.line, p.message) for p in distance.problems] == [
        (48, "the fraction “one hundred” is not a number")
    ]
    assert distance.units == 1


def test_embedded_files_are_named_in_the_text_that_holds_them():
    items = mx.parse(read("moodle-problems.xml"))
    picture = next(item for item in items if item.name == "A picture")
    assert picture.text.files == ["poster.png"]


# --- Hostile and broken files ----------------------------------------------------------------


def test_billion_laughs_is_refused_at_its_first_entity_before_anything_is_expanded():
    [(line, message)] = refusal(read("moodle-entities.xml"))
    assert line == 3
    assert message.startswith("the file declares an entity (“lol”), which is refused")


def test_an_external_entity_is_refused_and_the_file_it_names_is_never_read():
    [(line, message)] = refusal(read("moodle-external-entity.xml"))
    assert line == 3
    assert "an external entity (“secret” from file:///etc/passwd)" in message
    assert "root:" not in message


def test_an_external_dtd_is_refused():
    data = b'<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "http://example.org/quiz.dtd">\n<quiz/>'
    [(line, message)] = refusal(data)
    assert line == 2
    assert message.startswith("the file refers to an external document")


def test_a_file_that_is_not_well_formed_says_on_which_line():
    [(line, message)] = refusal(read("moodle-malformed.xml"))
    assert line == 8
    assert message.startswith("this is not well-formed XML (mismatched tag, at column")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", (1, "this is not well-formed XML (no element found, at column 1); nothing")),
        (b"<html><body/></html>", (1, "this is not a Moodle XML question file: it starts with")),
        (b"GIFT? {=yes}", (1, "this is not well-formed XML (syntax error, at column 1)")),
    ],
)
def test_a_file_that_is_not_a_moodle_xml_file_is_refused(data, problem):
    [(line, message)] = refusal(data)
    assert (line, message[: len(problem[1])]) == problem


# --- Writing ---------------------------------------------------------------------------------


def test_category_paths_split_and_join_as_moodle_writes_them():
    assert mx.split_category_path("$course$/top/Q//A/ B /") == ["$course$", "top", "Q/A", "B"]
    assert mx.join_category_path(["$course$", "top", "Q/A"]) == "$course$/top/Q//A"


# A name that starts or ends with a slash cannot be told from the separator next to it, in Moodle
# as here; every other name comes back.
category_names = st.text(alphabet=st.sampled_from("ab/ "), min_size=1).map(str.strip)


@given(st.lists(category_names.filter(lambda name: name and name[0] != "/" != name[-1])))
def test_joining_category_names_then_splitting_gives_them_back(names):
    assert mx.split_category_path(mx.join_category_path(names)) == names


# Texts as Moodle reads them back: trimmed, and only characters XML can hold.
texts = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"
        ),
        max_size=40,
    )
    .filter(lambda text: not mx.writer._NOT_XML.search(text))
    .map(str.strip)
)
numbers = st.decimals(min_value=-100, max_value=100, places=2, allow_nan=False)
moodle_texts = st.builds(mx.MoodleText, text=texts, format=st.sampled_from(mx.TEXT_FORMATS))
answers = st.builds(
    mx.MoodleAnswer,
    text=moodle_texts,
    fraction=numbers.map(lambda n: n.scaleb(-2)),
    feedback=moodle_texts,
    tolerance=st.none() | numbers.map(abs),
)
subquestions = st.builds(
    mx.MoodleSubquestion, text=moodle_texts, answer=texts, feedback=moodle_texts
)
questions = st.builds(
    mx.MoodleQuestion,
    type=st.sampled_from([mx.MULTICHOICE, mx.SHORTANSWER, mx.NUMERICAL, mx.MATCHING, mx.ESSAY]),
    name=texts,
    text=moodle_texts,
    general_feedback=moodle_texts,
    answers=st.lists(answers, max_size=3),
    subquestions=st.lists(subquestions, max_size=3),
    tags=st.lists(texts, max_size=3),
    settings=st.dictionaries(st.sampled_from(["single", "usecase", "shuffleanswers"]), texts),
)
categories = st.builds(mx.MoodleCategory, path=texts, info=moodle_texts)


def _with_categories(items):
    """What parse gives for these items: each question in the category before it."""
    category = ""
    for item in items:
        if isinstance(item, mx.MoodleCategory):
            category = item.path
        else:
            item.category = category
    return items


@given(st.lists(questions | categories, max_size=5).map(_with_categories))
def test_parse_reads_back_exactly_what_dump_wrote(items):
    for item in items:
        if isinstance(item, mx.MoodleQuestion):
            # A pair's empty feedback is not written (Moodle's pairs have none): it reads back as
            # an empty text in the default format.
            for sub in item.subquestions:
                sub.feedback.format = sub.feedback.format if sub.feedback.text else mx.HTML
    assert mx.parse(mx.dump(items).encode()) == items


def test_a_carriage_return_survives_the_round_trip():
    question = mx.MoodleQuestion(type=mx.ESSAY, name="Lines", text=mx.MoodleText("a\r\nb"))
    assert mx.parse(mx.dump([question]).encode())[0].text.text == "a\r\nb"


def test_a_text_xml_cannot_hold_is_refused_by_the_writer():
    question = mx.MoodleQuestion(type=mx.ESSAY, name="Bell", text=mx.MoodleText("ring\x07"))
    with pytest.raises(ValueError, match="control character"):
        mx.dump([question])
