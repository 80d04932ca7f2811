"""Moodle XML question banks in and out: every kind with its marks, feedback and tags, categories
as sub-banks, descriptions as case studies, a file with any problem refused whole with each
problem by line and question, and an export that imports back without losing anything."""

import json
from decimal import Decimal
from fractions import Fraction
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments import moodle_xml as mx
from assessments import scoring, services
from assessments.models import Choice, Question, QuestionBank, QuestionKind, Scenario
from assessments.services import importing
from assessments.services.importing import ImportRefused
from tests.assessments.factories import (
    QuestionBankFactory,
    QuestionFactory,
    RubricFactory,
)
from tests.complaint_standards.factories import ExpectationFactory, PrincipleFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def state() -> tuple[int, ...]:
    return (
        Question.objects.count(),
        Choice.objects.count(),
        QuestionBank.objects.count(),
        Scenario.objects.count(),
    )


def refused(data: bytes, bank: QuestionBank) -> list[str]:
    """The problems an import reports; nothing may have changed."""
    before = state()
    with pytest.raises(ImportRefused) as caught:
        services.import_moodle_xml(data=data, bank=bank)
    assert state() == before
    return caught.value.problems


def options(question: Question) -> list[tuple]:
    return [
        (c.text, c.is_correct, c.fraction, c.match_text, c.value, c.tolerance, c.feedback)
        for c in question.choices.order_by("sort_order")
    ]


@pytest.fixture
def nhs_1_1():
    return ExpectationFactory(principle=PrincipleFactory(number=1, framework__slug="nhs"), number=1)


@pytest.fixture
def bank():
    return QuestionBankFactory(name="Complaint handling")


@pytest.fixture
def imported(bank, nhs_1_1) -> dict[str, Question]:
    questions = services.import_moodle_xml(data=fixture("moodle-complaints.xml"), bank=bank)
    return {question.title: question for question in questions}


# --- Moodle's file -------------------------------------------------------------------------


def test_every_question_is_imported_in_the_files_order(imported):
    assert [(title, q.kind) for title, q in imported.items()] == [
        ("First response", QuestionKind.SINGLE_CHOICE),
        ("Good remedies", QuestionKind.MULTIPLE_RESPONSE),
        ("Anonymous complaints", QuestionKind.TRUE_FALSE),
        ("The Ombudsman's initials", QuestionKind.SHORT_ANSWER),
        ("Working days", QuestionKind.NUMERICAL),
        ("Who does what", QuestionKind.MATCHING),
        ("Stages of a complaint", QuestionKind.ORDERING),
        ("Draft a reply", QuestionKind.ESSAY),
    ]
    assert all(question.versions.count() == 1 for question in imported.values())


def test_html_texts_feedback_and_general_feedback_become_plain_text(imported):
    first = imported["First response"]
    assert first.stem == "A complaint arrives by e-mail.\n\nWhat should you do first?"
    assert first.general_feedback == "Acknowledge within three working days."
    assert options(first) == [
        (
            "Acknowledge it & agree next steps",
            True,
            None,
            "",
            None,
            None,
            "Yes: the person knows it is being looked at.",
        ),
        (
            "Forward it to the service",
            False,
            None,
            "",
            None,
            None,
            "Not before it is acknowledged.",
        ),
        ("Wait for a letter", False, None, "", None, None, ""),
    ]


def essay(text: str, text_format: str = mx.HTML) -> bytes:
    """A Moodle XML file of one essay question with this text."""
    question = mx.MoodleQuestion(type=mx.ESSAY, name="Reply", text=mx.MoodleText(text, text_format))
    return mx.dump([question]).encode()


@pytest.mark.parametrize(
    ("text", "text_format", "stem"),
    [
        (
            "<table><tr><th>Day</th><th>Step</th></tr><tr><td>3</td><td>Reply</td></tr></table>"
            "<p>12 m<sup>2</sup> of H<sub>2</sub>O, the 1<sup>st</sup> <em>time</em></p>",
            mx.HTML,
            "Day | Step\n3 | Reply\n\n12 m² of H₂O, the 1st time",
        ),
        (
            '<script>alert(1)</script><p onclick="steal()">Safe</p><a href="javascript:x()">Go</a>',
            mx.HTML,
            "Safe\n\nGo",
        ),
        (
            "Read **the standard**:\n\n1. [Listen](https://example.org)\n2. Reply",
            mx.MARKDOWN,
            "Read the standard:\n\n1. Listen (https://example.org)\n2. Reply",
        ),
        ("Kept <b>as</b> **typed**", mx.MOODLE_AUTO, "Kept <b>as</b> **typed**"),
    ],
)
def test_texts_are_read_as_the_gift_import_reads_them(bank, text, text_format, stem):
    [question] = services.import_moodle_xml(data=essay(text, text_format), bank=bank)
    assert question.stem == stem


def test_what_plain_text_cannot_show_is_refused_with_its_question_and_line(bank):
    text = (
        'x<sup>y</sup>, <s>ten</s> days; <img src="@@PLUGINFILE@@/map.png" alt="Map"> and '
        '<a href="@@PLUGINFILE@@/guide.pdf">the guide</a>'
    )
    files = "".join(
        f'<file name="{name}" path="/" encoding="base64">AA==</file>'
        for name in ("map.png", "guide.pdf")
    )
    data = essay(text).replace(b"</questiontext>", f"{files}</questiontext>".encode())
    unshowable = "which can't be imported because questions here are plain text: remove it, or "
    assert refused(data, bank) == [
        f"line 3, “Reply”: the question text has an embedded file (“guide.pdf”), {unshowable}"
        "say it in words",
        f"line 3, “Reply”: the question text has a superscript (“y”), {unshowable}say it in words",
        f"line 3, “Reply”: the question text has struck-out text (“ten”), {unshowable}say it in "
        "words",
        f"line 3, “Reply”: the question text has an image (“map.png”) described as “Map”, "
        f"{unshowable}say it in words",
    ]


def test_multiple_response_fractions_are_kept_with_their_penalties(imported):
    remedies = imported["Good remedies"]
    assert [(c.text, c.is_correct, c.fraction) for c in remedies.choices.all()] == [
        ("An apology", True, Decimal("0.33333")),
        ("An explanation", True, Decimal("0.33333")),
        ("Putting things right", True, Decimal("0.33333")),
        ("Closing the file", False, Decimal("-0.5")),
        ("A leaflet", False, Decimal(0)),
    ]
    assert remedies.stem == "Which of these are remedies?\n\n- Choose all that apply."


def marks(question: Question, *chosen: str) -> list[Fraction]:
    """The mark for choosing each option (by its text) on its own, as an attempt scores it."""
    version = services.current_version(question=question)
    keys = {option["text"]: option["key"] for option in version.options}
    return [scoring.score_response(version.kind, version.options, [keys[c]]) for c in chosen]


def single_choice(*answers: tuple[str, str]) -> bytes:
    """A Moodle XML file of one single-choice question with these (text, percent) options."""
    question = mx.MoodleQuestion(
        type=mx.MULTICHOICE,
        name="Who signs",
        text=mx.MoodleText("Who signs the reply?"),
        settings={"single": "true"},
        answers=[
            mx.MoodleAnswer(text=mx.MoodleText(text), fraction=Decimal(percent).scaleb(-2))
            for text, percent in answers
        ],
    )
    return mx.dump([question]).encode()


def test_single_choice_options_worth_part_or_all_of_the_mark_score_as_in_moodle(bank):
    data = single_choice(
        ("A senior leader", "100"), ("The chief executive", "100"),
        ("The handler", "50"), ("A colleague", "33.33333"), ("The complainant", "0"),
    )  # fmt: skip
    [question] = services.import_moodle_xml(data=data, bank=bank)
    assert question.kind == QuestionKind.SINGLE_CHOICE
    assert [(c.text, c.is_correct, c.fraction) for c in question.choices.all()] == [
        ("A senior leader", True, None),
        ("The chief executive", True, None),
        ("The handler", False, Decimal("0.5")),
        ("A colleague", False, Decimal("0.33333")),
        ("The complainant", False, None),
    ]
    chosen = ("A senior leader", "The chief executive", "The handler", "A colleague",
              "The complainant")  # fmt: skip
    assert marks(question, *chosen) == [1, 1, Fraction(1, 2), Fraction(33333, 100000), 0]


def test_a_single_choice_option_that_takes_marks_away_is_refused(bank):
    data = single_choice(("A senior leader", "100"), ("Nobody", "-25"))
    assert refused(data, bank) == [
        "line 20, “Who signs”: option 2 (“Nobody”) takes away 25%, but a single-choice option "
        "here earns 0 to 100% and never takes marks away: set it to 0% to make it a wrong option "
        "worth nothing"
    ]


def test_true_false_short_answer_and_numerical_keep_marks_and_feedback(imported):
    assert options(imported["Anonymous complaints"]) == [
        ("False", False, None, "", None, None, "It can: look at what is said."),
        ("True", True, None, "", None, None, "Right."),
    ]
    initials = imported["The Ombudsman's initials"]
    assert initials.case_sensitive
    assert options(initials) == [
        ("PHSO", True, None, "", None, None, ""),
        ("PO", False, Decimal("0.5"), "", None, None, "That was its older short name."),
    ]
    assert options(imported["Working days"]) == [
        ("", True, None, "", Decimal(3), None, ""),
        ("", False, Decimal("0.5"), "", Decimal("4.5"), Decimal("0.5"), "Close."),
    ]


def test_matching_keeps_its_extra_wrong_answer_and_ordering_its_right_order(imported):
    assert [(c.text, c.match_text) for c in imported["Who does what"].choices.all()] == [
        ("Complaints manager", "Oversees responses"),
        ("Investigator", "Gathers evidence"),
        ("", "Sets the budget"),
    ]
    assert [c.text for c in imported["Stages of a complaint"].choices.all()] == [
        "Acknowledge",
        "Investigate",
        "Respond",
    ]


def test_categories_become_sub_banks_under_the_chosen_bank(bank, imported):
    investigating = QuestionBank.objects.get(name="Complaint handling / Investigating")
    assert investigating.parent == bank
    assert investigating.description == "Questions about investigations."
    assert set(bank.questions.values_list("title", flat=True)) == {
        "First response",
        "Good remedies",
    }
    assert investigating.questions.count() == 6
    assert QuestionBank.objects.count() == 2  # "Default for …" is the chosen bank itself


def test_tags_carry_difficulty_and_expectations_and_other_tags_are_left(imported, nhs_1_1):
    assert imported["First response"].difficulty == "easy"  # its "week1" tag has no place here
    assert list(imported["Working days"].expectations.all()) == [nhs_1_1]
    assert imported["Draft a reply"].difficulty == "hard"


def test_a_description_becomes_the_case_study_its_tagged_questions_are_about(bank, imported):
    scenario = Scenario.objects.get()
    assert scenario.title == "Mrs Khan's complaint"
    assert scenario.text == (
        "Mrs Khan complained that her mother's care plan was not followed.\n\nShe wants an apology."
    )
    assert imported["Draft a reply"].scenario == scenario
    again = services.import_moodle_xml(data=fixture("moodle-complaints.xml"), bank=bank)
    assert Scenario.objects.count() == 1  # the same title and text: the same case study
    assert again[-1].scenario == scenario


# --- Refused files ---------------------------------------------------------------------------


def test_every_problem_is_listed_with_its_line_and_question_and_nothing_is_imported(bank):
    RubricFactory(name="Investigation report")
    assert refused(fixture("moodle-problems.xml"), bank) == [
        # A problem with one option is on the option's own line.
        "line 14, “Taking marks away”: option 2 (“Write down”) takes away 50%, but a "
        "single-choice option here earns 0 to 100% and never takes marks away: set it to 0% to "
        "make it a wrong option worth nothing",
        "line 18, “A picture”: the question text has an image (“poster.png”) described as "
        "“poster”, which can't be imported because questions here are plain text: remove it, or "
        "say it in words",
        "line 33, “Sums”: Moodle's “calculated” questions have no kind here: leave this question "
        "out",
        "line 41, “Distance”: it has units, which numerical questions here don't have: remove "
        "the <units>, or leave the question out",
        "line 48, “Distance”: the fraction “one hundred” is not a number",
        "line 59, “Steps”: the question text has struck-out text (“three”), which can't be "
        "imported because questions here are plain text: remove it, or say it in words",
        "line 59, “Steps”: it is marked by “ABSOLUTE_POSITION”, but ordering questions here are "
        "marked by each item's next item, not counting the last (Moodle's "
        "“RELATIVE_NEXT_EXCLUDE_LAST”): set <gradingtype> to that, or leave the question out",
        "line 74, “Fine on its own”: only essay questions have a rubric: remove the tag "
        "“rubric:Investigation report”",
    ]


@pytest.mark.parametrize(
    ("name", "line", "start"),
    [
        ("moodle-entities.xml", 3, "line 3: the file declares an entity (“lol”), which is refused"),
        ("moodle-external-entity.xml", 3, "line 3: the file declares an external entity"),
        ("moodle-malformed.xml", 8, "line 8: this is not well-formed XML (mismatched tag"),
    ],
)
def test_hostile_and_malformed_files_are_refused_with_their_line(bank, name, line, start):
    [problem] = refused(fixture(name), bank)
    assert problem.startswith(start)


def test_a_case_study_tag_must_name_one_description_in_the_file(bank):
    essay = mx.MoodleQuestion(
        type=mx.ESSAY, name="Reply", text=mx.MoodleText("Reply to her."), tags=["case-study:Gone"]
    )
    assert refused(mx.dump([essay]).encode(), bank) == [
        "line 3, “Reply”: its tag “case-study:Gone” names no description in this file: add the "
        "case study as a description of that name, or remove the tag"
    ]


def test_a_sub_bank_name_taken_elsewhere_is_refused(bank):
    QuestionBankFactory(name="Complaint handling / Remedies")  # not under "Complaint handling"
    question = mx.MoodleQuestion(
        type=mx.ESSAY, name="Reply", text=mx.MoodleText("Reply."), category="$course$/top/Remedies"
    )
    other = mx.MoodleQuestion(type=mx.ESSAY, name="Other", text=mx.MoodleText("Other."))
    data = mx.dump([mx.MoodleCategory(path="$course$/top/Remedies"), question,
                    mx.MoodleCategory(path="$course$/top"), other]).encode()  # fmt: skip
    assert refused(data, bank) == [
        "line 11: the category “Remedies” would be the sub-bank “Complaint handling / "
        "Remedies”, but a bank of that name exists that is not under “Complaint handling”: "
        "rename that bank, or import into another"
    ]


def test_an_empty_quiz_is_refused(bank):
    assert refused(b"<quiz></quiz>", bank) == ["the file has no questions in it"]


# --- Out and back ----------------------------------------------------------------------------


@pytest.fixture
def full_bank(bank, nhs_1_1):
    """A bank with every kind and everything a question stores, and a sub-bank."""
    sub = QuestionBankFactory(name="Complaint handling / Remedies", parent=bank, description="")
    nhs_2_3 = ExpectationFactory(
        principle=PrincipleFactory(number=2, framework=nhs_1_1.principle.framework), number=3
    )
    case = Scenario.objects.create(
        title="A lost letter", text="A discharge letter was lost.\r\nTwice."
    )
    # Blank multiple-response fractions go out as the shares scoring gives them (tested below).
    weighted = [
        {"text": "Apology", "is_correct": True, "fraction": Decimal(1), "feedback": "Yes."},
        {"text": "Silence", "is_correct": False, "fraction": Decimal("-0.5")},
    ]
    for kind in QuestionKind:
        question = QuestionFactory(
            bank=bank,
            title=f"A {kind.label}",
            kind=kind,
            difficulty="medium",
            scenario=case if kind == QuestionKind.SINGLE_CHOICE else None,
            **({"options": weighted} if kind == QuestionKind.MULTIPLE_RESPONSE else {}),
            **({"options": []} if kind == QuestionKind.ESSAY else {}),
        )
        if kind == QuestionKind.ESSAY:
            question.rubric = RubricFactory(name="Reply rubric")
        question.expectations.set([nhs_2_3, nhs_1_1])
        question.save()
    QuestionFactory(
        bank=sub,
        title="Weighted",
        kind=QuestionKind.MULTIPLE_RESPONSE,
        options=[
            {"text": "Apology", "is_correct": True, "fraction": Decimal("0.75")},
            {"text": "Explanation", "is_correct": True, "fraction": Decimal("0.25")},
            {"text": "Silence", "is_correct": False, "fraction": Decimal("-1"), "feedback": "No."},
        ],
    )
    QuestionFactory(
        bank=sub,
        title="Part marks",
        kind=QuestionKind.SINGLE_CHOICE,
        options=[
            {"text": "Leader", "is_correct": True},
            {"text": "Chief executive", "is_correct": True, "feedback": "Also right."},
            {"text": "Handler", "fraction": Decimal("0.5")},
            {"text": "Complainant"},
        ],
    )
    QuestionFactory(
        bank=sub,
        title="Initials",
        kind=QuestionKind.SHORT_ANSWER,
        case_sensitive=True,
        options=[{"text": "PHSO", "is_correct": True}, {"text": "ph", "fraction": Decimal("0.25")}],
    )
    return bank


def json_copy(bank: QuestionBank) -> list:
    """What the lossless JSON copy holds of a bank's questions, with their case studies."""
    questions = importing.export_bank_json(bank=bank)["questions"]
    cases = {q.title: q.scenario_id for q in bank.questions.all()}
    return [{**question, "scenario": cases[question["title"]]} for question in questions]


def test_a_bank_exported_and_imported_again_loses_nothing(full_bank):
    exported = services.export_moodle_xml(bank=full_bank)
    assert (exported.count, exported.skipped, exported.notes) == (11, [], [])
    copy = QuestionBankFactory(name="Copy")
    services.import_moodle_xml(data=exported.text.encode(), bank=copy)
    sub = full_bank.children.get()
    sub_copy = QuestionBank.objects.get(name="Copy / Remedies", parent=copy)
    assert json_copy(copy) == json_copy(full_bank)
    essay = json_copy(copy)[-1]
    assert (essay["rubric"], essay["expectations"]) == (
        "Reply rubric",
        [{"framework": "nhs", "code": "1.1"}, {"framework": "nhs", "code": "2.3"}],
    )
    assert json_copy(sub_copy) == json_copy(sub)
    again = services.export_moodle_xml(bank=copy).text
    assert again == exported.text.replace("top/Complaint handling", "top/Copy")
    assert Scenario.objects.count() == 1


def test_multiple_response_shares_go_out_as_the_weights_scoring_gives_them(bank):
    question = QuestionFactory(bank=bank, kind=QuestionKind.MULTIPLE_RESPONSE, options=[
        ("A", True, ""), ("B", True, ""), ("C", True, ""), ("D", False, "")])  # fmt: skip
    [moodle] = [i for i in mx.parse(services.export_moodle_xml(bank=bank).text.encode())
                if isinstance(i, mx.MoodleQuestion)]  # fmt: skip
    assert [a.fraction for a in moodle.answers] == [Decimal("0.33333")] * 3 + [Decimal("-0.33333")]
    copy = QuestionBankFactory(name="Copy")
    [back] = services.import_moodle_xml(
        data=services.export_moodle_xml(bank=bank).text.encode(), bank=copy
    )
    version, original = (
        services.current_version(question=back),
        services.current_version(question=question),
    )
    expected = {"A": Fraction(1, 3), "ABC": 1, "AD": 0, "ABCD": Fraction(2, 3)}
    for chosen, mark in expected.items():
        for given in (version, original):
            keys = [o["key"] for o in given.options if o["text"] in chosen]
            assert scoring.score_response(given.kind, given.options, keys) == mark


def test_single_choice_part_marks_and_several_right_options_go_out_as_moodle_fractions(
    full_bank,
):
    items = mx.parse(services.export_moodle_xml(bank=full_bank).text.encode())
    [moodle] = [i for i in items if isinstance(i, mx.MoodleQuestion) and i.name == "Part marks"]
    assert moodle.settings["single"] == "true"
    assert [(a.text.text, a.fraction) for a in moodle.answers] == [
        ("Leader", 1),
        ("Chief executive", 1),
        ("Handler", Decimal("0.5")),
        ("Complainant", 0),
    ]


def test_a_true_or_false_question_with_other_words_goes_out_as_single_choice(bank):
    QuestionFactory(bank=bank, title="Yes or no", kind=QuestionKind.TRUE_FALSE,
                    options=[("Yes", True, ""), ("No", False, "")])  # fmt: skip
    exported = services.export_moodle_xml(bank=bank)
    assert exported.notes == [
        (
            "Yes or no",
            "written as a single-choice question: Moodle's true-or-false options are always "
            "“True” and “False”",
        )
    ]
    assert '<question type="multichoice">' in exported.text


def test_a_question_xml_cannot_hold_is_left_out_with_its_reason(bank):
    QuestionFactory(bank=bank, title="Bell", stem="Ring\x07")
    QuestionFactory(bank=bank, title="Fine")
    exported = services.export_moodle_xml(bank=bank)
    assert exported.count == 1
    assert exported.skipped == [
        ("Bell", "its text has a control character that an XML file cannot hold")
    ]


# --- Commands --------------------------------------------------------------------------------


def test_import_command_creates_the_bank_and_says_how_many(tmp_path, nhs_1_1):
    path = tmp_path / "bank.xml"
    path.write_bytes(fixture("moodle-complaints.xml"))
    out = StringIO()
    call_command("import_moodle_xml", str(path), "--bank", "From Moodle", stdout=out)
    assert out.getvalue() == "Imported 8 questions into “From Moodle”.\n"
    assert QuestionBank.objects.get(name="From Moodle / Investigating").questions.count() == 6


def test_import_command_prints_each_problem_and_leaves_no_bank_behind(tmp_path):
    path = tmp_path / "bank.xml"
    path.write_bytes(fixture("moodle-problems.xml"))
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported from .*: 8 problems."):
        call_command("import_moodle_xml", str(path), "--bank", "From Moodle", stderr=err)
    assert err.getvalue().splitlines()[0].startswith("line 14, “Taking marks away”: option 2")
    assert not QuestionBank.objects.filter(name="From Moodle").exists()


def test_export_command_writes_a_file_or_standard_output(tmp_path, full_bank):
    out = StringIO()
    call_command("export_moodle_xml", "--bank", "Complaint handling", stdout=out)
    assert out.getvalue() == services.export_moodle_xml(bank=full_bank).text
    path = tmp_path / "out.xml"
    out = StringIO()
    call_command("export_moodle_xml", "--bank", "Complaint handling", str(path), stdout=out)
    assert out.getvalue() == f"Wrote 11 questions to {path}.\n"
    assert json.dumps(path.read_text(encoding="utf-8")) == json.dumps(
        services.export_moodle_xml(bank=full_bank).text
    )
    with pytest.raises(CommandError, match="There is no question bank called “Nowhere”."):
        call_command("export_moodle_xml", "--bank", "Nowhere")


def test_a_numerical_any_other_answer_goes_to_moodle_xml_as_a_star_and_comes_back(bank):
    """GIFT's ~#feedback (feedback for any other number, no mark) is Moodle's "*" answer."""
    importing.import_gift(text="Born in {#=1822 ~#Not that year.}", bank=bank)
    exported = services.export_moodle_xml(bank=bank)
    assert "<text>*</text>" in exported.text
    again = QuestionBankFactory(name="Again")
    (question,) = services.import_moodle_xml(text=exported.text, bank=again)
    catch_all = question.choices.get(value__isnull=True)
    assert (catch_all.is_correct, catch_all.feedback) == (False, "Not that year.")
    version = services.current_version(question=question)
    assert scoring.score_response(version.kind, version.options, ["1900"]) == 0
    assert scoring.score_response(version.kind, version.options, ["1822"]) == 1


def test_a_numerical_any_other_answer_worth_marks_is_refused(bank):
    data = (
        b'<quiz><question type="numerical"><name><text>Year</text></name>'
        b"<questiontext><text>Born in?</text></questiontext>"
        b'<answer fraction="100"><text>1822</text></answer>'
        b'<answer fraction="50"><text>*</text></answer></question></quiz>'
    )
    (problem,) = refused(data, bank)
    assert "is “*” (any other answer) worth 50%, but any other answer here earns nothing" in problem


TRUE_FALSE = (
    '<question type="truefalse"><name><text>{name}</text></name>'
    "<questiontext><text>Is it?</text></questiontext>{tags}"
    '<answer fraction="100"><text>true</text></answer>'
    '<answer fraction="0"><text>false</text></answer></question>'
)


def tagged(name: str, *tags: str) -> str:
    inner = "".join(f"<tag><text>{tag}</text></tag>" for tag in tags)
    return TRUE_FALSE.format(name=name, tags=f"<tags>{inner}</tags>" if tags else "")


def description(name: str) -> str:
    return (
        f'<question type="description"><name><text>{name}</text></name>'
        "<questiontext><text>The situation.</text></questiontext></question>"
    )


def test_each_problem_is_reported_once_and_none_is_lost(bank):
    data = (
        '<quiz><question type="category"><category><text>$course$/top/A</text></category>'
        '<info format="html"><text><![CDATA[<p>See <img src="map.png" alt="A map"></p>]]></text>'
        "</info></question>"
        + tagged("Q1", "difficulty:huge")
        + '<question type="category"><category><text>$course$/top/B</text></category></question>'
        + description("Ward")
        + description("Ward")
        + tagged("Q2", "case-study:Ward")
        + "</quiz>"
    ).encode()
    problems = refused(data, bank)
    # A sub-bank's description (A, beside B) had a picture: reported, not dropped.
    assert sum("category “$course$/top/A”" in p and "map.png" in p for p in problems) == 1
    # A bad difficulty is one problem, not two.
    assert sum("difficulty" in p for p in problems) == 1
    assert not any("not a valid choice" in p for p in problems)
    # Two descriptions named "Ward": said once, by the question that names it.
    assert sum("Ward" in p for p in problems) == 1


def test_case_studies_that_share_a_title_go_out_under_names_of_their_own(bank):
    first = Scenario.objects.create(title="Ward", text="On the ward at night.")
    second = Scenario.objects.create(title="Ward", text="On the ward by day.")
    for scenario, name in ((first, "Night"), (second, "Day")):
        (question,) = importing.import_gift(text=f"::{name}::Is it?{{T}}", bank=bank)
        Question.objects.filter(pk=question.pk).update(scenario=scenario)
    exported = services.export_moodle_xml(bank=bank)
    again = QuestionBankFactory(name="Again")
    questions = services.import_moodle_xml(text=exported.text, bank=again)
    by_name = {q.title: (q.scenario.title, q.scenario.text) for q in questions}
    assert by_name == {
        "Night": ("Ward", "On the ward at night."),
        "Day": ("Ward (2)", "On the ward by day."),
    }
