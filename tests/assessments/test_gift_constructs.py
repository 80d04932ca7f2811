"""Each construct Moodle's GIFT import accepts, imported from a file of our own writing
(fixtures/moodle-constructs.gift), marked as Moodle marks it, and exported so that it imports
back the same."""

from decimal import Decimal
from fractions import Fraction

import pytest

from assessments import gift, scoring, services
from assessments.models import Question, QuestionBank, QuestionKind, Response
from assessments.selectors.review import reviewed
from assessments.services import importing
from tests.assessments.factories import QuestionBankFactory
from tests.assessments.test_importing import bank_contents, fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank() -> QuestionBank:
    return QuestionBankFactory(name="Imported")


@pytest.fixture
def imported(bank) -> dict[str, Question]:
    questions = importing.import_gift(text=fixture("moodle-constructs.gift"), bank=bank)
    return {question.title: question for question in questions}


def options(question: Question) -> list[tuple]:
    return [
        (c.text, c.is_correct, c.fraction, c.feedback)
        for c in question.choices.order_by("sort_order")
    ]


def marks(question: Question, *answers) -> list[Fraction]:
    """What each answer (option texts for a choice question, else typed text) earns on the
    version frozen for the question, scored as an attempt scores it."""
    version = services.current_version(question=question)
    keys = {option.get("text"): option["key"] for option in version.options}
    return [
        scoring.score_response(
            version.kind,
            version.options,
            [keys[answer]] if version.kind in ("single", "multiple") else [answer],
        )
        for answer in answers
    ]


# --- Text formats ---------------------------------------------------------------------------


def test_html_is_sanitised_and_kept_as_the_text_a_reader_sees(imported):
    question = imported["HTML"]
    assert question.stem == (
        "Which two things does a good acknowledgement do?\n\n"
        "- It thanks the person\n"
        "- It says what happens next\n\n"
        "See the standards (https://example.org/standards)."
    )
    everything = " ".join(
        [question.stem, question.general_feedback, *(str(option) for option in options(question))]
    )
    for unsafe in ("script", "alert", "onclick", "steal", "onmouseover", "<", ">"):
        assert unsafe not in everything
    # The options' and feedback's own markers are taken off, and each is read in its format.
    assert [(text, feedback) for text, _, _, feedback in options(question)] == [
        ("Thanks the person", "Yes, always."),
        ("Says what happens next", "Yes"),
        ("Promises an outcome", "No: an outcome cannot be promised yet."),
    ]
    assert question.general_feedback == "Read Welcoming complaints again."


@pytest.mark.parametrize(
    ("text", "stem"),
    [
        (
            "[html]<table><tr><th>Day</th><th>Step</th></tr><tr><td>3</td><td>Reply</td></tr>"
            "</table><p>12 m<sup>2</sup> of H<sub>2</sub>O, the 1<sup>st</sup> <em>time</em></p>",
            "Day | Step\n3 | Reply\n\n12 m² of H₂O, the 1st time",
        ),
        (
            # A blank line would end the question: a list may follow a line directly.
            "[markdown]Read **the standard**\\:\n1. [Listen](https\\://example.org)\n2. Reply",
            "Read the standard:\n\n1. Listen (https://example.org)\n2. Reply",
        ),
    ],
)
def test_texts_are_read_as_the_moodle_xml_import_reads_them(bank, text, stem):
    [question] = importing.import_gift(text=text + "{}", bank=bank)
    assert question.stem == stem


def test_markdown_is_rendered_then_kept_as_text(imported):
    question = imported["Markdown"]
    assert question.stem == "Is a complaint the same as a concern?"
    assert [
        (c.text, c.is_correct, c.feedback) for c in question.choices.order_by("sort_order")
    ] == [
        ("True", False, "Think again."),
        ("False", True, "Right: not always."),
    ]


def test_plain_and_moodle_texts_are_kept_as_typed_without_their_markers(imported):
    assert imported["Plain"].stem == "Is <this> text shown as typed?"
    moodle = imported["Moodle auto-format"]
    assert moodle.stem == "Name the body that reviews complaints last."
    assert [(text, correct, fraction) for text, correct, fraction, _ in options(moodle)] == [
        ("Ombudsman", True, None),  # "=[plain]Ombudsman": the marker is never kept as text
        ("the ombudsman service", False, Decimal("0.5")),
    ]


# --- Marks ----------------------------------------------------------------------------------


def test_a_single_choice_option_worth_part_of_the_mark(imported):
    question = imported["Part marks"]
    assert question.kind == QuestionKind.SINGLE_CHOICE
    assert options(question) == [
        ("A senior leader", True, None, "Right."),
        ("The complaint handler", False, Decimal("0.5"), "Part of the mark: they draft it."),
        ("The person complaining", False, None, "No."),
    ]
    assert marks(
        question, "A senior leader", "The complaint handler", "The person complaining"
    ) == [1, Fraction(1, 2), 0]


def test_several_right_options_in_a_single_choice_each_earn_full_marks(imported):
    question = imported["Several right"]
    assert question.kind == QuestionKind.SINGLE_CHOICE
    assert [(text, correct) for text, correct, _, _ in options(question)] == [
        ("Monday", True),
        ("Tuesday", True),
        ("Sunday", False),
    ]
    assert marks(question, "Monday", "Tuesday", "Sunday") == [1, 1, 0]


def test_numerical_answers_with_part_marks_and_feedback_for_any_other_answer(imported):
    question = imported["Numerical"]
    assert [
        (c.value, c.tolerance, c.is_correct, c.fraction, c.feedback)
        for c in question.choices.order_by("sort_order")
    ] == [
        (Decimal(3), None, True, None, "Right."),
        (Decimal("3.5"), Decimal("1.5"), False, Decimal("0.5"), "Close."),
        (None, None, False, None, "Count the working days in the standard."),
    ]
    assert marks(question, "3", "5", "2", "6", "-1") == [1, Fraction(1, 2), Fraction(1, 2), 0, 0]
    version = services.current_version(question=question)
    feedback = {
        typed: reviewed(
            Response(version=version, position=1, selected=[typed], max_marks=1)
        ).feedback
        for typed in ("3", "4", "9")
    }
    assert feedback == {
        "3": "Right.",
        "4": "Close.",
        "9": "Count the working days in the standard.",
    }


def test_a_range_written_high_to_low_covers_the_same_numbers(imported):
    question = imported["Range either way"]
    assert [(c.value, c.tolerance) for c in question.choices.all()] == [
        (Decimal("7.5"), Decimal("2.5"))
    ]
    assert marks(question, "5", "10", "7", "4.99", "10.01") == [1, 1, 1, 0, 0]


# --- Categories and descriptions ------------------------------------------------------------


def test_category_paths_become_sub_banks_under_the_chosen_bank(bank, imported):
    where = {title: question.bank for title, question in imported.items()}
    handling = QuestionBank.objects.get(parent=bank)
    assert handling.name == "Imported / Complaint handling"
    assert sorted(handling.children.values_list("name", flat=True)) == [
        "Imported / Complaint handling / A case study/scenario",  # '//' is a '/' in a name
        "Imported / Complaint handling / Formats",
        "Imported / Complaint handling / Marks",
    ]
    assert where["HTML"].name == "Imported / Complaint handling / Formats"
    assert where["Several right"] == where["Part marks"]
    assert not bank.questions.exists()
    # A second import of the file finds the same sub-banks rather than making more.
    importing.import_gift(text=fixture("moodle-constructs.gift"), bank=bank)
    assert QuestionBank.objects.filter(parent=handling).count() == 3
    assert where["HTML"].questions.count() == 8


def test_an_existing_sub_bank_is_found_by_its_own_name():
    bank = QuestionBankFactory(name="Root")
    mine = QuestionBankFactory(name="Welcoming", parent=bank)
    (question,) = importing.import_gift(text="$CATEGORY: Welcoming\n\nIs it?{T}", bank=bank)
    assert question.bank == mine


def test_a_description_is_the_case_study_of_the_questions_after_it(imported):
    apology, answers = imported["Apology first"], imported["Who answers"]
    assert apology.scenario == answers.scenario
    assert (apology.scenario.title, apology.scenario.text) == (
        "Mrs Shah's complaint",
        "Mrs Shah wrote to complain that her mother's care plan was changed\n"
        "without anyone telling the family.",
    )
    assert [title for title, q in imported.items() if q.scenario_id] == [
        "Apology first",
        "Who answers",
    ]
    version = services.current_version(question=apology)
    assert version.settings["scenario"]["title"] == "Mrs Shah's complaint"


def test_descriptions_one_after_another_are_one_case_study():
    text = "::Background::First part.\n\n[html]<p>Second <b>part</b>.</p>\n\nIs it?{T}\n\nAnd?{F}"
    first, second = importing.import_gift(text=text, bank=QuestionBankFactory())
    assert first.scenario == second.scenario
    assert (first.scenario.title, first.scenario.text) == (
        "Background",
        "First part.\n\nSecond part.",
    )


# --- Export and import again ----------------------------------------------------------------


def test_every_construct_is_exported_and_imports_back_the_same(bank, imported):
    exported = importing.export_gift(bank=bank)
    assert (exported.count, exported.skipped) == (len(imported), [])
    text = exported.text
    assert "$CATEGORY: Complaint handling/Formats\n" in text
    assert "$CATEGORY: Complaint handling/A case study//scenario\n" in text
    assert "    =Monday\n    =Tuesday\n    ~Sunday#Not a working day.\n" in text
    assert "    ~%50%The complaint handler#Part of the mark\\: they draft it.\n" in text
    assert "    ~#Count the working days in the standard.\n}" in text
    assert (
        "::Mrs Shah's complaint::Mrs Shah wrote to complain that her mother's care plan was "
        "changed\\nwithout anyone telling the family.\n\n::Apology first::"
    ) in text
    copy = QuestionBankFactory(name="Copy")
    importing.import_gift(text=text, bank=copy)
    assert bank_contents(copy) == bank_contents(bank)
    assert importing.export_gift(bank=copy).text == text


def test_questions_without_a_case_study_are_written_before_those_with_one(bank):
    text = "Mrs Shah's complaint was about her care plan.\n\nFirst?{T}\n\nSecond?{F}"
    first, second = importing.import_gift(text=text, bank=bank)
    loose = importing.import_gift(text="Third?{T}", bank=bank)[0]
    assert loose.pk > second.pk and loose.scenario is None
    exported = importing.export_gift(bank=bank).text
    assert [q.name for q in gift.parse(exported)] == [
        "Third?",
        "Mrs Shah's complaint was about her care plan.",
        "First?",
        "Second?",
    ]
    copy = QuestionBankFactory(name="Copy")
    again = {q.title: q.scenario for q in importing.import_gift(text=exported, bank=copy)}
    assert again["Third?"] is None
    assert again["First?"] == again["Second?"] is not None
