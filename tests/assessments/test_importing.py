"""Importing and exporting question banks: GIFT files from Moodle and trainers, and a lossless
JSON copy. A file with any problem imports nothing and says what is wrong, by line."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from assessments import gift, importing, services
from assessments.importing import ImportRefused
from assessments.models import Choice, Question, QuestionBank, QuestionKind
from tests.assessments.factories import QuestionBankFactory, QuestionFactory
from tests.complaint_standards.factories import ExpectationFactory, PrincipleFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
MOODLE_EXAMPLES = (
    Path(__file__).resolve().parents[3] / "shared" / "interop" / "gift" / "moodle-examples.gift.txt"
)
MISSING_WORD = "missing-word questions (text after the answers) can't be imported yet"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def refused(text: str, bank: QuestionBank) -> list[str]:
    """The problems an import reports; the bank must be left exactly as it was."""
    before = (Question.objects.count(), Choice.objects.count())
    with pytest.raises(ImportRefused) as caught:
        importing.import_gift(text=text, bank=bank)
    assert (Question.objects.count(), Choice.objects.count()) == before
    return caught.value.problems


def without_questions_at(text: str, lines: set[int]) -> str:
    """The file with the questions starting on these lines removed (up to the next blank line)."""
    kept, dropping = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if number in lines:
            dropping = True
        if dropping and not line.strip():
            dropping = False
        if not dropping:
            kept.append(line)
    return "\n".join(kept) + "\n"


def options(question: Question) -> list[dict]:
    fields = ("text", "is_correct", "fraction", "match_text", "value", "tolerance", "feedback")
    return [
        {field: getattr(choice, field) for field in fields if getattr(choice, field) not in ("",)}
        for choice in question.choices.order_by("sort_order")
    ]


@pytest.fixture
def bank():
    return QuestionBankFactory(name="Complaint handling")


@pytest.fixture
def imported(bank) -> dict[str, Question]:
    questions = importing.import_gift(text=fixture("complaint-bank.gift"), bank=bank)
    return {question.title: question for question in questions}


# --- Our own file ----------------------------------------------------------------------------


def test_every_question_of_our_file_is_imported_into_the_bank_in_order(bank, imported):
    assert list(imported) == [
        "Acknowledging",
        "Welcoming complaints",
        "A complaint can be made by phone or in person, not only in…",
        "Apology",
        "Final response",
        "Upheld rate",
        "Roles",
        "Escapes: GIFT",
    ]
    assert set(bank.questions.all()) == set(imported.values())
    # Each one can be given in an attempt as it is.
    for question in imported.values():
        assert services.current_version(question=question).kind == question.kind


def test_single_choice_keeps_feedback_and_general_feedback(imported):
    question = imported["Acknowledging"]
    assert question.kind == QuestionKind.SINGLE_CHOICE
    assert question.stem == (
        "How many working days does an organisation have to acknowledge a complaint?"
    )
    assert question.general_feedback == "The Complaint Standards ask for a prompt acknowledgement."
    assert [(c["text"], c["is_correct"], c["feedback"]) for c in options(question)] == [
        ("One", False, "Quicker is fine, but not required."),
        ("Three", True, "Right: within three working days."),
        ("Ten", False, "That is too long to wait."),
    ]


def test_multiple_response_weights_become_fractions_of_the_mark(imported):
    question = imported["Welcoming complaints"]
    assert question.kind == QuestionKind.MULTIPLE_RESPONSE
    assert [(c["is_correct"], c["fraction"]) for c in options(question)] == [
        (True, Decimal("0.5")),
        (True, Decimal("0.5")),
        (False, Decimal("-0.5")),
        (False, Decimal("0")),  # a '~' without a weight costs nothing, as in Moodle
    ]
    assert options(question)[2]["feedback"] == "This is a barrier."


def test_true_false_has_true_and_false_options_with_moodles_feedback(imported):
    question = imported["A complaint can be made by phone or in person, not only in…"]
    assert question.kind == QuestionKind.TRUE_FALSE
    assert question.stem == "A complaint can be made by phone or in person, not only in writing."
    assert [(c["text"], c["is_correct"], c["feedback"]) for c in options(question)] == [
        ("True", True, "Yes: any channel is fine."),
        ("False", False, "Anyone may raise a concern in the way that suits them."),
    ]


def test_short_answers_keep_part_marks_and_feedback_for_known_wrong_answers(imported):
    question = imported["Apology"]
    assert question.kind == QuestionKind.SHORT_ANSWER
    assert not question.case_sensitive
    assert [(c["text"], c["is_correct"], c.get("fraction")) for c in options(question)] == [
        ("sorry", True, None),
        ("apologise", False, Decimal("0.5")),
        ("regret", False, Decimal("0")),
    ]
    assert options(question)[2]["feedback"] == "Regret is not an apology."


def test_numerical_ranges_become_a_midpoint_and_tolerance(imported):
    final = imported["Final response"]
    assert final.kind == QuestionKind.NUMERICAL
    assert [
        (c["value"], c["tolerance"], c["is_correct"], c["fraction"]) for c in options(final)
    ] == [
        (Decimal(6), None, True, None),
        (Decimal(6), Decimal(2), False, Decimal("0.5")),
    ]
    upheld = options(imported["Upheld rate"])
    assert [(c["value"], c["tolerance"]) for c in upheld] == [(Decimal("42.5"), Decimal("0.05"))]


def test_matching_pairs_keep_an_extra_wrong_match(imported):
    question = imported["Roles"]
    assert question.kind == QuestionKind.MATCHING
    assert [(c.get("text", ""), c["match_text"]) for c in options(question)] == [
        ("Complaint handler", "Investigates and responds"),
        ("Senior leader", "Signs off the final response"),
        ("Ombudsman", "Reviews complaints not resolved locally"),
        ("", "Sets the budget"),
    ]


def test_escaped_characters_are_plain_text(imported):
    question = imported["Escapes: GIFT"]
    assert question.stem == "Which symbol marks a wrong option in GIFT {the format}?"
    assert [c["text"] for c in options(question)] == ["~", "=", "#", "\\"]
    assert options(question)[0]["feedback"] == "Yes: a tilde.\nWell spotted."


def test_a_question_with_no_name_is_titled_by_the_start_of_its_text(bank):
    stem = "Who decides whether a complaint is upheld after an investigation is finished?"
    (question,) = importing.import_gift(text=stem + "{=The organisation ~Nobody}", bank=bank)
    assert question.title == "Who decides whether a complaint is upheld after an…"
    assert len(question.title) <= 61
    (short,) = importing.import_gift(text="Is this short?{T}", bank=bank)
    assert short.title == "Is this short?"


# --- Refusals: nothing changes ---------------------------------------------------------------


def test_unsupported_kinds_are_each_reported_by_line_and_nothing_is_imported(bank):
    text = fixture("complaint-handling.gift")
    assert refused(text, bank) == [
        f"line 22: {MISSING_WORD}: move the text after '}}' into the question",
        "line 43: essay questions can't be imported yet",
        "line 45: descriptions (text with no answers) can't be imported yet",
    ]
    assert not bank.questions.exists()


def test_the_rest_of_a_file_imports_once_unsupported_questions_are_removed(bank):
    text = without_questions_at(fixture("complaint-handling.gift"), {22, 43, 45})
    questions = importing.import_gift(text=text, bank=bank)
    assert [q.title for q in questions] == [
        "Acknowledge",
        "Good practice",
        "A complaint can be made by phone or in person, not only in…",
        "Final response",
        "Upheld",
        "Roles",
        "Escapes",
    ]


def test_every_syntax_problem_is_reported_by_line(bank):
    problems = refused(fixture("broken-several.gift"), bank)
    assert problems == [
        "line 6: '%150%' is not a percentage between -100% and 100%",
        "line 10: 'three' is not a number",
        "line 14: a matching pair needs '->', as in =item -> match",
        "line 18: unrecognised answer block: start answers with '=' or '~', or write {T}, {F}, "
        "{#number}, or {} for an essay",
        "line 20: an option has no text",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "// comment\n\n::Two right::Pick one.{=A =B ~C}",
            "line 3: A single-choice question needs exactly one correct option.",
        ),
        (
            "::Weights::Pick the good ones.{~%50%Listen ~%30%Apologise ~Argue}",
            "line 1: The correct options' fractions of the mark must add up to 1",
        ),
        (
            "::Partial::Pick one.{=Listen ~%50%Apologise ~Argue}",
            "line 1: option 2 (“Apologise”) is worth 50%, but a single-choice option is either "
            "right or wrong here",
        ),
        (
            "::" + "Long " * 41 + "::Too long a name?{T}",
            "line 1: title: Ensure this value has at most 200 characters",
        ),
        (
            "::Precise::How small?{#0.0000001}",
            "line 1: option 1: value: Ensure that there are no more than 6 decimal places.",
        ),
        (
            "[html]<p>Is this <b>HTML</b>?</p>{T}",
            "line 1: HTML questions can't be imported yet",
        ),
        ("// only a comment\n", "the file has no questions in it"),
    ],
)
def test_questions_we_cannot_keep_are_refused_with_their_line(bank, text, problem):
    problems = refused(text, bank)
    assert any(p.startswith(problem) for p in problems), problems


def test_a_good_question_is_not_kept_when_another_in_the_file_is_refused(bank):
    text = "::Good::Is this fine?{T}\n\n::Bad::Pick one.{=A =B ~C}\n"
    assert refused(text, bank) == [
        "line 3: A single-choice question needs exactly one correct option."
    ]
    assert not Question.objects.filter(title="Good").exists()


def test_a_file_that_is_not_utf8_says_where(bank):
    with pytest.raises(ImportRefused) as caught:
        importing.decode_text("::Q::Café?{T}\n\n::R::Naïve?{F}".encode("latin-1"))
    assert caught.value.problems[0].startswith("line 1: the file is not UTF-8 text (byte 0xe9")
    assert importing.decode_text("\ufeffIs it?{T}".encode()) == "Is it?{T}"


# --- Moodle's example file -------------------------------------------------------------------


@pytest.fixture
def moodle_text() -> str:
    if not MOODLE_EXAMPLES.exists():
        pytest.skip(f"Moodle's GIFT examples are not here: {MOODLE_EXAMPLES} (no ../shared/)")
    return MOODLE_EXAMPLES.read_text(encoding="utf-8")


MOODLE_MISSING_WORD = [10, 27, 29, 45, 72, 74, 93, 117, 169, 184, 195]
MOODLE_PARTIAL_SINGLE = [115, 190]


def test_moodles_examples_as_a_whole_import_nothing_and_each_refusal_has_its_line(
    bank, moodle_text
):
    problems = refused(moodle_text, bank)
    lines = [int(problem.split(":")[0].removeprefix("line ")) for problem in problems]
    assert lines == sorted(MOODLE_MISSING_WORD + MOODLE_PARTIAL_SINGLE)
    for problem in problems:
        line = int(problem.split(":")[0].removeprefix("line "))
        if line in MOODLE_MISSING_WORD:
            assert MISSING_WORD in problem
        else:
            assert "half credit answer" in problem and "single-choice" in problem
    assert not bank.questions.exists()


def test_moodles_examples_import_once_the_refused_questions_are_removed(bank, moodle_text):
    text = without_questions_at(moodle_text, set(MOODLE_MISSING_WORD + MOODLE_PARTIAL_SINGLE))
    questions = importing.import_gift(text=text, bank=bank)
    assert len(questions) == 43 - len(MOODLE_MISSING_WORD) - len(MOODLE_PARTIAL_SINGLE)
    by_title = {q.title: q for q in questions}
    kinds = {q.kind for q in questions}
    assert kinds == {
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.MULTIPLE_RESPONSE,
        QuestionKind.TRUE_FALSE,
        QuestionKind.SHORT_ANSWER,
        QuestionKind.NUMERICAL,
        QuestionKind.MATCHING,
    }
    kanji = by_title["Kanji Origins"]
    assert (kanji.kind, kanji.stem) == (
        QuestionKind.SHORT_ANSWER,
        "Japanese characters originally\ncame from what country?",
    )
    control = by_title["GIFT Control Characters"]
    assert [c.text for c in control.choices.order_by("sort_order")] == list("~=#{}\\")
    penalties = next(
        q for q in questions if any(c.fraction == Decimal("-0.5") for c in q.choices.all())
    )
    assert penalties.kind == QuestionKind.MULTIPLE_RESPONSE
    numerical = by_title["Numerical example"]
    assert [(c.value, c.tolerance, c.fraction) for c in numerical.choices.all()] == [
        (Decimal(1822), None, None),
        (Decimal(1822), Decimal(2), Decimal("0.5")),
    ]


# --- GIFT out --------------------------------------------------------------------------------


def test_a_bank_exported_as_gift_and_imported_again_is_the_same(bank, imported):
    exported = importing.export_gift(bank=bank)
    assert exported.skipped == []
    assert exported.count == len(imported)
    copy = QuestionBankFactory(name="Copy")
    importing.import_gift(text=exported.text, bank=copy)
    assert importing.export_gift(bank=copy).text == exported.text
    original = importing.export_bank_json(bank=bank)
    again = importing.export_bank_json(bank=copy)
    assert original["questions"] == again["questions"]


def test_export_leaves_out_what_gift_cannot_say_and_says_why(bank):
    QuestionFactory(bank=bank, title="Steps", kind=QuestionKind.ORDERING)
    QuestionFactory(
        bank=bank, title="Initials", kind=QuestionKind.SHORT_ANSWER, case_sensitive=True
    )
    QuestionFactory(
        bank=bank,
        title="Yes or no",
        kind=QuestionKind.TRUE_FALSE,
        options=[("Yes", True, ""), ("No", False, "")],
    )
    QuestionFactory(bank=bank, title="Plain", kind=QuestionKind.MULTIPLE_RESPONSE)
    exported = importing.export_gift(bank=bank)
    assert exported.skipped == [
        ("Steps", "GIFT has no ordering questions"),
        ("Initials", "GIFT cannot say that a short answer is case sensitive"),
    ]
    assert exported.count == 2
    questions = {q.name: q for q in gift.parse(exported.text)}
    # Other words than True/False make a two-option choice; blank fractions become equal shares
    # with the same penalty the scoring gives them.
    assert questions["Yes or no"].kind == gift.SINGLE
    plain = questions["Plain"]
    assert plain.kind == gift.MULTIPLE
    assert [a.fraction for a in plain.answers] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal("-0.5"),
        Decimal("-0.5"),
    ]


def test_equal_shares_of_three_survive_two_exports(bank):
    QuestionFactory(
        bank=bank,
        title="Thirds",
        kind=QuestionKind.MULTIPLE_RESPONSE,
        options=[("A", True, ""), ("B", True, ""), ("C", True, ""), ("D", False, "")],
    )
    first = importing.export_gift(bank=bank).text
    assert "%33.333%" in first
    copy = QuestionBankFactory()
    (question,) = importing.import_gift(text=first, bank=copy)
    assert importing.export_gift(bank=copy).text == first
    version = services.current_version(question=question)
    assert version.kind == QuestionKind.MULTIPLE_RESPONSE


# --- JSON ------------------------------------------------------------------------------------


@pytest.fixture
def tagged_bank(bank, imported):
    principle = PrincipleFactory(number=2, framework__slug="nhs")
    expectation = ExpectationFactory(principle=principle, number=3)
    imported["Roles"].expectations.set([expectation])
    imported["Roles"].save()
    QuestionFactory(bank=bank, title="Steps", kind=QuestionKind.ORDERING)
    QuestionFactory(
        bank=bank, title="Initials", kind=QuestionKind.SHORT_ANSWER, case_sensitive=True
    )
    return bank


def test_a_bank_survives_a_json_round_trip_with_nothing_lost(tagged_bank):
    exported = importing.export_bank_json(bank=tagged_bank)
    text = json.dumps(exported)
    copy = importing.import_bank_json(data=json.loads(text), bank_name="Copy of the bank")
    assert copy.description == tagged_bank.description
    again = importing.export_bank_json(bank=copy)
    assert again["bank"]["name"] == "Copy of the bank"
    assert {**again, "bank": None} == {**exported, "bank": None}
    roles = next(q for q in exported["questions"] if q["title"] == "Roles")
    assert roles["expectations"] == [{"framework": "nhs", "code": "2.3"}]
    initials = copy.questions.get(title="Initials")
    assert initials.case_sensitive
    assert copy.questions.get(title="Steps").kind == QuestionKind.ORDERING


def json_problems(data, name="New bank") -> list[str]:
    before = (QuestionBank.objects.count(), Question.objects.count(), Choice.objects.count())
    with pytest.raises(ImportRefused) as caught:
        importing.import_bank_json(data=data, bank_name=name)
    after = (QuestionBank.objects.count(), Question.objects.count(), Choice.objects.count())
    assert after == before
    return caught.value.problems


def test_a_broken_json_bank_imports_nothing_and_lists_each_problem(tagged_bank):
    data = importing.export_bank_json(bank=tagged_bank)
    data["questions"][0]["choices"][1]["is_correct"] = False  # no right option left
    data["questions"][4]["choices"][0]["value"] = "six"
    data["questions"][6]["expectations"] = [{"framework": "nhs", "code": "9.9"}]
    del data["questions"][7]["stem"]
    problems = json_problems(data)
    assert problems == [
        "question 1 (“Acknowledging”): A single-choice question needs exactly one correct option.",
        "question 5 (“Final response”): option 1: “value” should be a number written as a "
        'string, like "0.5"',
        "question 7 (“Roles”): expectation 9.9 of the framework “nhs” does not exist here",
        "question 8 (“Escapes: GIFT”): “stem” is missing",
    ]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(version=2), "this file is version 2; only version 1 is read"),
        (lambda d: d.update(format="other"), "this is not a question bank exported from"),
        (lambda d: d.update(questions="none"), "“questions” should be list data"),
        (lambda d: d["questions"][0].update(kind="essay"), "question 1 (“Acknowledging”): kind"),
    ],
)
def test_a_json_file_that_is_not_ours_or_is_damaged_is_refused(tagged_bank, change, problem):
    data = importing.export_bank_json(bank=tagged_bank)
    change(data)
    problems = json_problems(data)
    assert any(p.startswith(problem) for p in problems), problems


def test_a_json_bank_needs_a_new_name(tagged_bank):
    data = importing.export_bank_json(bank=tagged_bank)
    assert json_problems(data, name=tagged_bank.name) == [
        "a bank called “Complaint handling” already exists: choose another name"
    ]
    assert json_problems(data, name="  ") == ["give the new bank a name"]
    assert json_problems([1, 2]) == ["this is not a question bank exported from the Academy"]
