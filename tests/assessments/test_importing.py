"""Importing and exporting question banks: GIFT files from Moodle and trainers, and a lossless
JSON copy. A file with any problem imports nothing and says what is wrong, by line."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments import gift, services
from assessments.models import Choice, Question, QuestionBank, QuestionKind
from assessments.services import importing
from assessments.services.importing import ImportRefused
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionBankFactory,
    QuestionFactory,
    RubricFactory,
    correct_answer,
    essay_question,
)
from tests.complaint_standards.factories import ExpectationFactory, PrincipleFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def refused(text: str, bank: QuestionBank) -> list[str]:
    """The problems an import reports; the bank must be left exactly as it was."""
    before = (Question.objects.count(), Choice.objects.count())
    with pytest.raises(ImportRefused) as caught:
        importing.import_gift(text=text, bank=bank)
    assert (Question.objects.count(), Choice.objects.count()) == before
    return caught.value.problems


def bank_contents(bank: QuestionBank) -> list:
    """Everything an import puts in a bank, comparable between two banks: each bank under it by
    its path, with its questions' fields, options and case studies, in order."""
    return [
        (
            importing.written_category(path),
            [
                {
                    **question,
                    "case study": (q.scenario.title, q.scenario.text) if q.scenario else None,
                }
                for q, question in zip(
                    each.questions.order_by("pk"),
                    importing.export_bank_json(bank=each)["questions"],
                    strict=True,
                )
            ],
        )
        for path, each in importing.bank_tree(bank)
    ]


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
    # Each one can be given in an attempt as it is, in the version frozen at the import.
    for question in imported.values():
        [version] = question.versions.all()
        assert services.current_version(question=question) == version
        assert version.kind == question.kind


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


# --- Missing-word questions and essays ------------------------------------------------------


@pytest.fixture
def gaps(bank) -> dict[str, Question]:
    questions = importing.import_gift(text=fixture("missing-word-and-essay.gift"), bank=bank)
    return {question.title: question for question in questions}


def test_a_missing_word_question_is_single_choice_with_a_blank_in_its_text(gaps):
    question = gaps["Acknowledgement time"]
    assert question.kind == QuestionKind.SINGLE_CHOICE
    assert question.stem == "An organisation acknowledges a complaint within _____ working days."
    assert question.general_feedback == "The Complaint Standards ask for a prompt acknowledgement."
    assert [(c["text"], c["is_correct"], c["feedback"]) for c in options(question)] == [
        ("one", False, "Quicker is fine, but not required."),
        ("three", True, "Right."),
        ("ten", False, "Too long."),
    ]
    assert gaps["Who decides"].stem == "_____ decides whether a complaint is upheld."
    escapes = gaps["Escapes in the blank"]
    assert escapes.stem == "A colon: _____ in GIFT text."
    assert [(c["text"], c.get("feedback", "")) for c in options(escapes)] == [
        ("{braces}", "Yes ~ braces."),
        ("#hash", ""),
    ]


def test_equals_only_answers_in_the_text_make_a_short_answer_with_a_blank(gaps):
    question = gaps["Apology"]
    assert question.kind == QuestionKind.SHORT_ANSWER
    assert question.stem == "A good response says _____."  # no space before the full stop
    assert [(c["text"], c["is_correct"], c.get("fraction")) for c in options(question)] == [
        ("sorry", True, None),
        ("apologise", False, Decimal("0.5")),
    ]
    assert options(question)[1]["feedback"] == "Close: say it plainly."


def test_an_empty_answer_block_makes_an_essay_with_no_options(gaps):
    reflection = gaps["Reflection"]
    assert reflection.kind == QuestionKind.ESSAY
    assert reflection.stem == "Describe one change your team made after a complaint."
    assert not reflection.choices.exists()
    assert reflection.rubric is None
    learning = gaps["Learning"]
    assert (learning.stem, learning.general_feedback) == (
        "What did you learn?",  # [markdown], rendered
        "A good answer names the change and who benefited.",
    )


def test_imported_missing_word_questions_and_essays_can_be_given_in_an_attempt(
    gaps, learner, learner_client
):
    assessment = AssessmentFactory(questions=list(gaps.values()), shuffle_questions=False)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    page = learner_client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    responses = list(attempt.responses.select_related("version").order_by("position"))
    assert [r.version.stem for r in responses] == [q.stem for q in gaps.values()]
    for response in responses:
        assert escape(response.version.stem) in page
    answers = {
        r.pk: ["One change we made."] if r.version.kind == QuestionKind.ESSAY else correct_answer(r)
        for r in responses
    }
    services.save_and_submit(attempt=attempt, answers=answers)
    scores = {r.version.kind: r.score for r in attempt.responses.select_related("version")}
    essays = [r for r in attempt.responses.all() if r.score is None]
    assert len(essays) == 2  # Reflection and Learning wait for an assessor
    assert all(
        r.score == 1 for r in attempt.responses.select_related("version") if r.score is not None
    ), scores
    attempt.refresh_from_db()
    assert attempt.status == "marking"


def test_any_kind_with_text_after_its_answers_gets_the_blank_as_in_moodle(bank):
    text = "Born in {#1822}.\n\nThe sun {T} rises in the east.\n\nWrite about {} here."
    assert [(q.kind, q.stem) for q in importing.import_gift(text=text, bank=bank)] == [
        (QuestionKind.NUMERICAL, "Born in _____."),
        (QuestionKind.TRUE_FALSE, "The sun _____ rises in the east."),
        (QuestionKind.ESSAY, "Write about _____ here."),
    ]


def test_a_moodle_missing_word_question_imports_with_the_blank_where_its_answers_were(bank):
    text = "Moodle costs {~lots of money =nothing ~a small amount} to download."
    (question,) = importing.import_gift(text=text, bank=bank)
    assert (question.kind, question.stem, question.title) == (
        QuestionKind.SINGLE_CHOICE,
        "Moodle costs _____ to download.",
        "Moodle costs _____ to download.",
    )
    assert [c["text"] for c in options(question) if c["is_correct"]] == ["nothing"]


# --- Refusals: nothing changes ---------------------------------------------------------------


def test_our_whole_file_imports_with_its_categories_case_study_and_formats(bank):
    questions = importing.import_gift(text=fixture("complaint-handling.gift"), bank=bank)
    assert [(q.title, q.kind, q.bank.name) for q in questions] == [
        (title, kind, f"Complaint handling / complaint-standards / {sub_bank}")
        for title, kind, sub_bank in [
            ("Acknowledge", QuestionKind.SINGLE_CHOICE, "welcoming"),
            ("Good practice", QuestionKind.MULTIPLE_RESPONSE, "welcoming"),
            (
                "A complaint can be made by phone or in person, not only in…",
                QuestionKind.TRUE_FALSE,
                "welcoming",
            ),
            ("Remedy", QuestionKind.SHORT_ANSWER, "welcoming"),
            ("Final response", QuestionKind.NUMERICAL, "investigating"),
            ("Upheld", QuestionKind.NUMERICAL, "investigating"),
            ("Roles", QuestionKind.MATCHING, "investigating"),
            ("Reflection", QuestionKind.ESSAY, "investigating"),
            ("Escapes", QuestionKind.SINGLE_CHOICE, "investigating"),
        ]
    ]
    remedy, reflection, escapes = questions[3], questions[7], questions[8]
    assert remedy.stem == (
        "A remedy should put the person back where they would have been _____ as far as possible."
    )
    assert reflection.stem == "Describe one change your team made after a complaint."  # Markdown
    # The [html] description before the last question is its case study, as text.
    assert (escapes.scenario.title, escapes.scenario.text) == (
        "The next questions are about GIFT itself. {Escaped braces}…",
        "The next questions are about GIFT itself. {Escaped braces} and a colon: stay as text.",
    )
    assert [q.title for q in questions if q.scenario_id] == ["Escapes"]
    sub_bank = questions[0].bank
    assert sub_bank.parent.name == "Complaint handling / complaint-standards"
    assert sub_bank.parent.parent == bank
    assert not bank.questions.exists()


def test_our_whole_file_imports_exports_and_imports_again_unchanged(bank):
    importing.import_gift(text=fixture("complaint-handling.gift"), bank=bank)
    exported = importing.export_gift(bank=bank)
    assert (exported.count, exported.skipped) == (9, [])
    copy = QuestionBankFactory(name="Copy")
    importing.import_gift(text=exported.text, bank=copy)
    assert bank_contents(copy) == bank_contents(bank)
    assert [path for path, _ in bank_contents(bank)] == [
        None,
        "complaint-standards",
        "complaint-standards/investigating",
        "complaint-standards/welcoming",
    ]
    assert importing.export_gift(bank=copy).text == exported.text


def test_missing_word_questions_and_essays_are_not_kept_when_another_question_is_refused(bank):
    text = fixture("missing-word-and-essay.gift") + "\n::Bad::Pick one.{=A ~%-50%B ~C}\n"
    assert refused(text, bank) == [f"line 21: {PENALTY}"]
    assert not bank.questions.exists()


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


PENALTY = (
    "option 2 (“B”) takes away 50%, but a single-choice option here earns 0 to 100% and never "
    "takes marks away: remove '%-50%' to make it a wrong option worth nothing"
)
UNSHOWABLE = (
    "which can't be imported because questions here are plain text: remove it, or say it in words"
)
IMAGE = (
    f"the text has an image (“https://example.org/chart.png”) described as “Chart”, {UNSHOWABLE}"
)
NO_QUESTION = (
    "this description is followed by no question: a description becomes the case study of the "
    "questions after it, so add them or remove it"
)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("// comment\n\n::Penalty::Pick one.{=A ~%-50%B ~C}", f"line 3: {PENALTY}"),
        (
            "::Weights::Pick the good ones.{~%50%Listen ~%30%Apologise ~Argue}",
            "line 1: The correct options' fractions of the mark must add up to 1",
        ),
        (
            '[html]<p>Which chart?</p><img src="https://example.org/chart.png" alt="Chart">{T}',
            f"line 1: {IMAGE}",
        ),
        (
            # In GIFT an '=' in feedback is written '\\='.
            'Pick one.{\n=A\n~B#[html]<img src\\="https://example.org/chart.png" alt\\="Chart">\n}',
            f"line 3: {IMAGE}",
        ),
        ("[html]x<sup>y</sup> days?{T}", f"line 1: the text has a superscript (“y”), {UNSHOWABLE}"),
        (
            "Pick one.{\n=[html]<s>Ten</s> Twenty days\n~Ten days\n}",
            f"line 2: the text has struck-out text (“Ten”), {UNSHOWABLE}",
        ),
        ("Is it?{T}\n\nSome closing words.", f"line 3: {NO_QUESTION}"),
        ("Words before a new category.\n\n$CATEGORY: other\n\nIs it?{T}", f"line 1: {NO_QUESTION}"),
        (
            "::" + "Long " * 41 + "::Case study text.\n\nIs it?{T}",
            "line 3: the case study before this question: title: Ensure this value has at most "
            "200 characters",
        ),
        (
            # Two names of 90 characters: the second sub-bank's "Bank / a… / b…" is too long.
            "$CATEGORY: " + "a" * 90 + "/" + "b" * 90 + "\n\nIs it?{T}",
            "line 3: the category “" + "a" * 90 + "/" + "b" * 90 + "” cannot be a sub-bank "
            "here: Ensure this value has at most 200 characters",
        ),
        (
            "$CATEGORY: " + "Sub " * 60 + "\n\nIs it?{T}",
            "line 3: the category name “" + "Sub " * 10 + "…” is 239 characters long; at most "
            "100 are allowed",
        ),
        (
            "::" + "Long " * 41 + "::Too long a name?{T}",
            "line 1: title: Ensure this value has at most 200 characters",
        ),
        (
            "::Precise::How small?{#0.0000001}",
            "line 1: option 1: value: Ensure that there are no more than 6 decimal places.",
        ),
        ("// only a comment\n", "the file has no questions in it"),
    ],
)
def test_questions_we_cannot_keep_are_refused_with_their_line(bank, text, problem):
    problems = refused(text, bank)
    assert any(p.startswith(problem) for p in problems), problems


def test_a_good_question_is_not_kept_when_another_in_the_file_is_refused(bank):
    text = "::Good::Is this fine?{T}\n\n::Bad::Pick one.{=A ~%-50%B ~C}\n"
    assert refused(text, bank) == [f"line 3: {PENALTY}"]
    assert not Question.objects.filter(title="Good").exists()


def test_a_file_that_is_not_utf8_says_where(bank):
    with pytest.raises(ImportRefused) as caught:
        importing.decode_text("::Q::Café?{T}\n\n::R::Naïve?{F}".encode("latin-1"))
    assert caught.value.problems[0].startswith("line 1: the file is not UTF-8 text (byte 0xe9")
    assert importing.decode_text("\ufeffIs it?{T}".encode()) == "Is it?{T}"


# --- Moodle's example file -------------------------------------------------------------------


def test_moodles_examples_import_completely(bank, moodle_text):
    questions = importing.import_gift(text=moodle_text, bank=bank)
    assert len(questions) == 43
    by_title = {q.title: q for q in questions}
    # Missing-word questions of every kind keep their kind, with a blank where the answers were.
    blanks = {(q.kind, q.stem) for q in questions if "_____" in q.stem}
    assert blanks == {
        (QuestionKind.SINGLE_CHOICE, "Grant is _____ in Grant's tomb."),
        (
            QuestionKind.SINGLE_CHOICE,
            "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November.",
        ),
        (
            QuestionKind.SINGLE_CHOICE,
            "The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday of "
            "November.",
        ),
        (QuestionKind.SHORT_ANSWER, "Two plus two equals _____."),
        (QuestionKind.NUMERICAL, "What is the value of pi (to 3 decimal places)? _____."),
        (QuestionKind.SHORT_ANSWER, "Jesus Christ was from _____."),
        (QuestionKind.SINGLE_CHOICE, "Jesus Christ was from _____."),
    }
    assert sum("_____" in q.stem for q in questions) == 11
    tomb = by_title["Grant's Tomb"]
    assert [(c.text, c.is_correct, c.feedback) for c in tomb.choices.order_by("sort_order")] == [
        ("buried", False, "No one is buried there."),
        ("entombed", True, "Right answer!"),
        ("living", False, "We hope not!"),
    ]
    # Single choice with part marks (~%25%, ~%50%), as Moodle marks it.
    hometown = next(q for q in questions if q.title == "Jesus' hometown" and q.kind == "single")
    assert [
        (c.text, c.is_correct, c.fraction) for c in hometown.choices.order_by("sort_order")
    ] == [
        ("Jerusalem", False, None),
        ("Bethlehem", False, Decimal("0.25")),
        ("Galilee", False, Decimal("0.5")),
        ("Nazareth", True, None),
    ]
    # [markdown] is rendered and kept as the text a reader sees.
    assert "Who's buried in **Grant's tomb**?" in moodle_text
    assert not any("**" in q.stem for q in questions)
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
    # Each question can be given as it is, in the version frozen at the import.
    for question in questions:
        assert services.current_version(question=question).kind == question.kind


def test_moodles_examples_import_export_and_import_again_unchanged(bank, moodle_text):
    importing.import_gift(text=moodle_text, bank=bank)
    exported = importing.export_gift(bank=bank)
    assert (exported.count, exported.skipped) == (43, [])
    copy = QuestionBankFactory(name="Copy")
    importing.import_gift(text=exported.text, bank=copy)
    assert bank_contents(copy) == bank_contents(bank)
    assert importing.export_gift(bank=copy).text == exported.text


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


def test_missing_word_questions_and_essays_go_out_as_gift_and_come_back_the_same(bank, gaps):
    exported = importing.export_gift(bank=bank)
    assert (exported.count, exported.skipped, exported.notes) == (6, [], [])
    assert (
        "::Acknowledgement time::An organisation acknowledges a complaint within {\n"
        "    ~one#Quicker is fine, but not required.\n"
        "    =three#Right.\n"
        "    ~ten#Too long.\n"
        "    ####The Complaint Standards ask for a prompt acknowledgement.\n"
        "} working days.\n"
    ) in exported.text
    assert "::Who decides:: {\n    =The organisation\n" in exported.text
    assert "    =%50%apologise#Close\\: say it plainly.\n}.\n" in exported.text
    assert "::Reflection::Describe one change your team made after a complaint. {}\n" in (
        exported.text
    )
    assert "::Learning::What did you learn? {####A good answer names" in exported.text
    copy = QuestionBankFactory(name="Copy")
    importing.import_gift(text=exported.text, bank=copy)
    assert importing.export_gift(bank=copy).text == exported.text
    original = importing.export_bank_json(bank=bank)
    assert importing.export_bank_json(bank=copy)["questions"] == original["questions"]


def test_a_blank_gift_cannot_place_is_written_as_text_and_reads_back_the_same(bank):
    stems = [
        (QuestionKind.SINGLE_CHOICE, "Fill _____ and _____ in."),  # two blanks
        (QuestionKind.SINGLE_CHOICE, "The answer comes last: _____"),  # nothing after it
        (QuestionKind.NUMERICAL, "Born in _____."),  # not one of Moodle's missing-word kinds
    ]
    for kind, stem in stems:
        QuestionFactory(bank=bank, kind=kind, stem=stem)
    exported = importing.export_gift(bank=bank)
    assert "Fill _____ and _____ in. {" in exported.text
    assert "Born in _____. {\n    #\n" in exported.text
    copy = QuestionBankFactory(name="Copy")
    assert [(q.kind, q.stem) for q in importing.import_gift(text=exported.text, bank=copy)] == (
        stems
    )


def test_an_essay_is_written_without_its_rubric_and_the_export_says_so(bank):
    rubric = RubricFactory(name="Investigation report")
    essay_question(bank=bank, title="Report", stem="Write the report.", rubric=rubric)
    broken = essay_question(bank=bank, title="Broken")
    Choice.objects.create(question=broken, text="An option an essay should not have")
    exported = importing.export_gift(bank=bank)
    assert exported.text.startswith("::Report::Write the report. {####")
    assert exported.notes == [
        ("Report", "written without its rubric “Investigation report” (GIFT has none)")
    ]
    assert exported.skipped == [("Broken", "essay questions take no answers")]


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
    essay_question(bank=bank, title="Report", rubric=RubricFactory(name="Investigation report"))
    essay_question(bank=bank, title="Overall mark")
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
    assert all(question.versions.count() == 1 for question in copy.questions.all())
    assert copy.questions.get(title="Steps").kind == QuestionKind.ORDERING
    report = copy.questions.get(title="Report")
    assert (report.kind, report.rubric.name, report.choices.count()) == (
        QuestionKind.ESSAY,
        "Investigation report",
        0,
    )
    assert copy.questions.get(title="Overall mark").rubric is None
    essays = [q for q in exported["questions"] if q["kind"] == "essay"]
    assert [(q["rubric"], q["choices"]) for q in essays] == [
        ("Investigation report", []),
        (None, []),
    ]


def test_a_json_bank_names_rubrics_that_must_exist_here_and_belong_to_essays(tagged_bank):
    data = importing.export_bank_json(bank=tagged_bank)
    data["questions"][-2]["rubric"] = "Nowhere"
    data["questions"][0]["rubric"] = "Investigation report"
    data["questions"][-1]["rubric"] = 3
    assert json_problems(data) == [
        "question 1 (“Acknowledging”): only essay questions have a rubric: set “rubric” to null",
        "question 11 (“Report”): the rubric “Nowhere” does not exist here: add a rubric of that "
        "name first",
        "question 12 (“Overall mark”): “rubric” should be a rubric's name, or null",
    ]


def test_a_json_bank_written_before_essays_still_imports(tagged_bank):
    data = importing.export_bank_json(bank=tagged_bank)
    data["version"] = 1
    data["questions"] = [q for q in data["questions"] if q["kind"] != "essay"]
    for question in data["questions"]:
        del question["rubric"]
    copy = importing.import_bank_json(data=data, bank_name="From version 1")
    assert copy.questions.count() == 10
    assert importing.export_bank_json(bank=copy)["version"] == 2


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
        "question 1 (“Acknowledging”): A single-choice question needs at least one correct option "
        "(ticked, or a fraction of 1); each correct option earns the full mark.",
        "question 5 (“Final response”): option 1: “value” should be a number written as a "
        'string, like "0.5"',
        "question 7 (“Roles”): expectation 9.9 of the framework “nhs” does not exist here",
        "question 8 (“Escapes: GIFT”): “stem” is missing",
    ]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(version=9), "this file is version 9; versions 1 and 2 are read"),
        (lambda d: d.update(format="other"), "this is not a question bank exported from"),
        (lambda d: d.update(questions="none"), "“questions” should be list data"),
        (lambda d: d["questions"][0].update(kind="poem"), "question 1 (“Acknowledging”): kind"),
        (
            lambda d: d["questions"][0].update(kind="essay"),
            "question 1 (“Acknowledging”): An essay question has no options or answers",
        ),
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
