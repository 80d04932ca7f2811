"""How much one import may hold, and what reading a hostile file costs: questions per file,
options per question and problems listed are capped by settings, and reading GIFT is linear in
the file's length, however it is written (counted in characters scanned, never timed)."""

import json
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments import gift, services
from assessments.gift import reader
from assessments.models import Choice, Question, QuestionBank, QuestionKind
from assessments.services import gift_mapping, importing, moodle_importing
from assessments.services.importing import ImportRefused
from tests.assessments.factories import QuestionBankFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    return QuestionBankFactory(name="Limits")


def refusal(text: str) -> ImportRefused:
    """What importing the file into a new bank says; nothing may be written."""
    with pytest.raises(ImportRefused) as caught:
        importing.import_gift(text=text, bank=QuestionBankFactory())
    assert not Question.objects.exists()
    return caught.value


# --- Reading is linear in the file, whatever the file ------------------------------------------


@contextmanager
def counted_work(monkeypatch):
    """Count the characters the GIFT reader goes over: each block it builds (joined and masked),
    and each stretch it searches, slices or skips. A reader that searched the rest of a block
    for every answer would count the block once per answer, and grow with the square of it."""
    work = {"characters": 0, "items": 0}

    def counting(method):
        def wrapped(block, start, end, *args):
            work["characters"] += max(end - start, 0)
            return method(block, start, end, *args)

        return wrapped

    def find(block, needle, start, end):
        work["characters"] += max(end - start, 0)
        return original_find(block, needle, start, end)

    original_find, original_init, original_item = (
        reader._Block.find,
        reader._Block.__init__,
        reader._read_item,
    )

    def init(block, lines, problems):
        original_init(block, lines, problems)
        work["characters"] += 2 * len(block.raw)

    def read_item(block, index, end):
        work["items"] += 1
        return original_item(block, index, end)

    monkeypatch.setattr(reader._Block, "find", find)
    monkeypatch.setattr(reader._Block, "__init__", init)
    monkeypatch.setattr(reader._Block, "text", counting(reader._Block.text))
    monkeypatch.setattr(reader._Block, "skip_space", counting(reader._Block.skip_space))
    monkeypatch.setattr(reader, "_read_item", read_item)
    yield work


def read_everything(text: str, **limits) -> int:
    """Read the whole file (no limit on answers unless given), problems and all; how many
    problems it had."""
    return sum(len(found) for _, found in gift.read(text, **limits))


# Each makes a file from `n` repetitions of something a parser might trip over.
HOSTILE = {
    "empty answers": lambda n: "Q{" + "=" * n + "}",
    "unclosed weights": lambda n: "Q{" + "~%" * n + "}",
    "weights and feedback": lambda n: "Q{" + "~%50%a#b" * n + " =c}",
    "matching arrows": lambda n: "Q{" + "=a -> b " * n + "}",
    "one option a line": lambda n: "Q{\n" + "~a\n" * n + "=b}",
    "numerical answers": lambda n: "Q{#" + "=1..2 " * n + "}",
    "numbers with tolerance": lambda n: "Q{#" + "1:" * n + "}",
    "true or false feedback": lambda n: "Q{T" + "#a" * n + "}",
    "escapes": lambda n: "Q\\{" * n + "{T}",
    "opening braces": lambda n: "{" * n,
    "closing braces": lambda n: "}" * n,
    "second answer blocks": lambda n: "Q{T}" * n,
    "names": lambda n: "::" * n,
    "general feedback marks": lambda n: "Q{=a ~b" + "####" * n + "}",
    "text before answers": lambda n: "Q{" + "x " * n + "=a}",
    "tiny questions": lambda n: "Q{T}\n\n" * n,
    "categories": lambda n: "$CATEGORY: a\n" * n + "Q{T}",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_reading_a_hostile_file_is_linear_in_its_length(monkeypatch, name):
    make = HOSTILE[name]
    costs = []
    for n in (4_000, 16_000):
        text = make(n)
        with counted_work(monkeypatch) as work:
            read_everything(text)
        costs.append((len(text), work["characters"], work["items"]))
    (small, small_work, small_items), (large, large_work, large_items) = costs
    # Four times the text is at most about four times the work, and a few characters of work
    # for each character of the file.
    assert large_work <= 12 * large, costs
    assert large_work <= 4.5 * small_work + 100, costs
    assert large_items <= large, costs


def test_the_work_counter_sees_a_reader_that_searches_the_rest_of_the_block(monkeypatch):
    """The counter above would catch a quadratic reader: one that looks for each answer's
    feedback from the answer to the end of the block, not to the next answer."""
    original = reader._read_item
    monkeypatch.setattr(
        reader,
        "_read_item",
        lambda block, index, end: (
            block.find("#", index, len(block.raw)) and original(block, index, end)
        ),
    )
    text = HOSTILE["weights and feedback"](4_000)
    with counted_work(monkeypatch) as work:
        read_everything(text)
    assert work["characters"] > 100 * len(text)


def test_a_question_with_too_many_answers_is_refused_before_any_is_read(monkeypatch):
    text = "Pick one.{" + " ".join(f"~option {n}" for n in range(20_000)) + " =right}"
    with counted_work(monkeypatch) as work:
        ((question, problems),) = list(gift.read(text, max_answers=100))
    assert question is None
    assert [str(p) for p in problems] == [
        "line 1: the question has 20,001 answers; at most 100 are allowed in one"
    ]
    assert work["items"] == 0
    assert work["characters"] <= 12 * len(text)


# --- What one import may hold ---------------------------------------------------------------


def test_a_file_of_more_questions_than_an_import_may_hold_is_refused_before_it_is_read(
    monkeypatch, settings
):
    settings.ACADEMY_IMPORT_MAX_QUESTIONS = 1000
    text = "\n\n".join(f"Is {n} a number?{{T}}" for n in range(34_156))
    read = []
    monkeypatch.setattr(
        reader, "_read_question", lambda *args: read.append(args) or pytest.fail("read")
    )
    refused = refusal(text)
    assert refused.problems == [
        "the file has 34,156 questions; at most 1,000 can be imported from one file: split it "
        "into smaller files"
    ]
    assert read == []


def test_the_question_limit_is_a_setting(bank, settings):
    text = "\n\n".join(f"Is {n} a number?{{T}}" for n in range(3))
    settings.ACADEMY_IMPORT_MAX_QUESTIONS = 2
    assert refusal(text).problems[0].startswith("the file has 3 questions; at most 2 can")
    settings.ACADEMY_IMPORT_MAX_QUESTIONS = 3
    assert len(importing.import_gift(text=text, bank=bank)) == 3


def test_a_question_with_more_options_than_allowed_is_refused_by_line(settings):
    settings.ACADEMY_QUESTION_MAX_OPTIONS = 100
    many = " ".join(f"~option {n}" for n in range(20_000))
    text = f"::Fine::Is it?{{T}}\n\n::Too many::Pick one.{{{many} =right}}\n"
    assert refusal(text).problems == [
        "line 3: the question has 20,001 answers; at most 100 are allowed in one"
    ]


def test_the_options_limit_is_a_setting(bank, settings):
    text = "Pick one.{=a ~b ~c ~d}"
    settings.ACADEMY_QUESTION_MAX_OPTIONS = 3
    assert refusal(text).problems == [
        "line 1: the question has 4 answers; at most 3 are allowed in one"
    ]
    settings.ACADEMY_QUESTION_MAX_OPTIONS = 4
    (question,) = importing.import_gift(text=text, bank=bank)
    assert question.choices.count() == 4


def test_two_hundred_thousand_problems_are_counted_and_only_the_first_are_listed(settings):
    settings.ACADEMY_IMPORT_PROBLEMS_LISTED = 200
    settings.ACADEMY_QUESTION_MAX_OPTIONS = 100
    # Each of a question's 100 options, one a line, has an unreadable weight and no text (two
    # problems), and the question has no option worth anything (one more, on its first option's
    # line): 201 problems a question.
    block = "Pick.{\n" + "~%x%\n" * 100 + "}"
    refused = refusal("\n\n".join([block] * 1000))
    assert refused.count == 1000 * (100 * 2 + 1)
    assert len(refused.problems) == 200
    assert refused.unlisted == 201_000 - 200
    assert str(refused).endswith("\n… and 200,800 more")
    # The first 200 in line order: three on line 2, two on each of lines 3 to 100 (199 so far),
    # and the first of line 101.
    lines = [int(problem.split(":")[0].removeprefix("line ")) for problem in refused.problems]
    assert lines == sorted(lines)
    assert (lines.count(2), lines[-1], lines.count(101)) == (3, 101, 1)
    assert refused.problems[-1] == "line 101: '%x%' is not a percentage between -100% and 100%"


def test_reading_and_converting_problems_are_listed_together_in_line_order():
    text = (
        "::Partial::Pick one.{=Listen ~%-50%Argue ~Wait}\n\n"  # ours cannot keep (line 1)
        "::Broken::How many?{#three}\n\n"  # GIFT cannot read (line 3)
        '::Picture::[html]<p>Pick one.<img src="map.png" alt="A map"></p>{=A ~B}\n\n'  # line 5
        "::Unclosed::Pick one.{=A ~B\n"  # GIFT cannot read (line 7)
    )
    problems = refusal(text).problems
    assert [p.split(":")[0] for p in problems] == ["line 1", "line 3", "line 5", "line 7"]
    assert problems[0].startswith("line 1: option 2 (“Argue”) takes away 50%")
    assert problems[1] == "line 3: 'three' is not a number"
    assert problems[2].startswith("line 5: the text has an image (“map.png”)")
    assert problems[3].startswith("line 7: the answer block opened with '{' is never closed")


@pytest.mark.parametrize(
    "answer",
    ["1e999999999", "1..1e999999999", "-1e999999..1", "1:1e-999999999", "1e31", "1e-31:1"],
)
def test_a_numerical_answer_beyond_what_can_be_scored_is_refused_not_a_crash(answer):
    (problem,) = refusal(f"How big?{{#{answer}}}").problems
    assert problem.startswith("line 1: numerical answer 1 (")
    assert problem.endswith(
        "is too large or too small: numbers here have at most 30 digits before the decimal "
        "point and 30 after it"
    )


def test_numbers_at_the_edge_of_what_can_be_scored_still_import(bank):
    (question,) = importing.import_gift(text="How small?{#0.000001:0.000001}", bank=bank)
    assert question.choices.get().value == Decimal("0.000001")


# --- The JSON copy of a bank shares the limits ----------------------------------------------


def exported(questions: int, options: int) -> dict:
    choice = {
        "text": "An option",
        "is_correct": False,
        "fraction": None,
        "match_text": "",
        "value": None,
        "tolerance": None,
        "feedback": "",
    }
    question = {
        "title": "Pick",
        "kind": QuestionKind.MULTIPLE_RESPONSE,
        "stem": "Pick some.",
        "case_sensitive": False,
        "general_feedback": "",
        "expectations": [],
        "choices": [{**choice, "is_correct": True}] + [choice] * (options - 1),
    }
    return {
        "format": importing.JSON_FORMAT,
        "version": importing.JSON_VERSION,
        "bank": {"name": "Exported", "description": ""},
        "questions": [question] * questions,
    }


def test_a_json_bank_over_the_limits_is_refused_before_its_options_are_checked(
    monkeypatch, settings
):
    settings.ACADEMY_IMPORT_MAX_QUESTIONS = 5
    settings.ACADEMY_QUESTION_MAX_OPTIONS = 10
    checked = []
    original = importing._json_choice
    monkeypatch.setattr(importing, "_json_choice", lambda raw: checked.append(1) or original(raw))

    with pytest.raises(ImportRefused) as caught:
        importing.read_bank_json(exported(questions=6, options=2))
    assert caught.value.problems == [
        "the file has 6 questions; at most 5 can be imported from one file: split it into "
        "smaller files"
    ]
    with pytest.raises(ImportRefused) as caught:
        importing.read_bank_json(exported(questions=2, options=20_001))
    assert caught.value.problems == [
        "question 1 (“Pick”): 20,001 options; at most 10 are allowed",
        "question 2 (“Pick”): 20,001 options; at most 10 are allowed",
    ]
    assert checked == []
    _, drafts = importing.read_bank_json(exported(questions=5, options=10))
    assert [len(draft.choices) for draft in drafts] == [10] * 5


def test_a_json_bank_lists_only_the_first_problems(settings):
    settings.ACADEMY_IMPORT_PROBLEMS_LISTED = 3
    data = exported(questions=4, options=2)
    data["questions"] = ["not a question"] * 4
    with pytest.raises(ImportRefused) as caught:
        importing.read_bank_json(data)
    assert (caught.value.problems, caught.value.count) == (
        [
            "question 1: is not an object",
            "question 2: is not an object",
            "question 3: is not an object",
        ],
        4,
    )


def test_the_import_commands_share_the_limits_and_say_how_many_problems_are_unlisted(
    tmp_path, settings, capsys
):
    settings.ACADEMY_IMPORT_PROBLEMS_LISTED = 2
    settings.ACADEMY_QUESTION_MAX_OPTIONS = 3
    path = tmp_path / "broken.gift"
    path.write_text("\n\n".join(["How many?{#three}"] * 5), encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported from .*: 5 problems"):
        call_command("import_gift", str(path), "--bank", "Broken")
    printed = capsys.readouterr().err.splitlines()
    assert printed == [
        "line 1: 'three' is not a number",
        "line 3: 'three' is not a number",
        "… and 3 more problems (only the first 2 are listed)",
    ]

    path = tmp_path / "bank.json"
    path.write_text(json.dumps(exported(questions=1, options=4)), encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_bank", str(path), "--bank", "Too many")
    assert capsys.readouterr().err.splitlines() == [
        "question 1 (“Pick”): 4 options; at most 3 are allowed"
    ]
    assert not Question.objects.exists()


# --- Options per question, wherever a question is written -----------------------------------


def test_a_question_with_more_options_than_allowed_is_refused_at_save(settings, bank):
    settings.ACADEMY_QUESTION_MAX_OPTIONS = 3
    question = Question(
        bank=bank,
        title="Too many",
        kind=QuestionKind.SINGLE_CHOICE,
        stem="Pick one.",
        choices=[Choice(text=t, is_correct=t == "a") for t in "abcd"],
    )
    with pytest.raises(services.AssessmentError, match="at most 3 options and answers"):
        services.create_question(question=question)
    assert not Question.objects.exists()


def admin_question_form(question_count: int, bank) -> dict:
    data = {
        "title": "Many options",
        "bank": bank.pk,
        "kind": QuestionKind.SINGLE_CHOICE,
        "stem": "Pick one.",
        "difficulty": "",
        "general_feedback": "",
        "choices-TOTAL_FORMS": str(question_count),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for n in range(question_count):
        data |= {
            f"choices-{n}-text": f"Option {n}",
            f"choices-{n}-is_correct": "on" if n == 0 else "",
            f"choices-{n}-ORDER": str(n + 1),
            f"choices-{n}-id": "",
            f"choices-{n}-DELETE": "",
        }
    return data


def test_the_question_form_refuses_more_options_than_allowed(client, trainer, settings, bank):
    settings.ACADEMY_QUESTION_MAX_OPTIONS = 3
    client.force_login(trainer)
    response = client.post(reverse("question:add"), admin_question_form(4, bank))
    assert response.status_code == 200
    assert "A question can have at most 3 options and answers; this one has 4." in (
        response.content.decode()
    )
    assert not Question.objects.exists()
    response = client.post(reverse("question:add"), admin_question_form(3, bank))
    assert response.status_code == 302
    assert Question.objects.get().choices.count() == 3


def test_a_question_over_the_limit_from_before_is_not_rendered_for_editing(
    client, trainer, settings, bank
):
    question = QuestionFactory(bank=bank, title="Imported long ago", options=[])
    Choice.objects.bulk_create(
        Choice(question=question, text=f"Option {n}", sort_order=n) for n in range(200)
    )
    settings.ACADEMY_QUESTION_MAX_OPTIONS = 100
    client.force_login(trainer)
    response = client.get(reverse("question:edit", args=[question.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("question:index")
    assert "“Imported long ago” has 200 options, more than the 100 a question may have" in page
    assert "so it cannot be edited here" in page
    assert "Option 150" not in page
    response = client.post(reverse("question:edit", args=[question.pk]), {"title": "Changed"})
    assert response.url == reverse("question:index")
    question.refresh_from_db()
    assert question.title == "Imported long ago"


def test_the_import_page_lists_the_first_problems_and_counts_the_rest(
    client, trainer, settings, bank
):
    settings.ACADEMY_IMPORT_PROBLEMS_LISTED = 2
    client.force_login(trainer)
    data = "\n\n".join(["How many?{#three}"] * 5).encode()
    upload = SimpleUploadedFile("broken.gift", data, content_type="text/plain")
    response = client.post(reverse("import_gift"), {"bank": bank.pk, "file": upload})
    page = response.content.decode()
    assert "Nothing was imported. 5 problems in the file; the first 2 are listed:" in page
    assert page.count("is not a number</li>") == 2
    assert "… and 3 more." in page
    assert not Question.objects.exists()


# --- Category paths: bounded depth and names, each path read once ------------------------------

DEEP = "/".join(["a"] * 5_000)
LONG = "x" * 5_000


@pytest.mark.parametrize(
    ("category", "problem"),
    [(DEEP, "the category is 5,000 levels deep; at most 10"), (LONG, "is 5,000 characters long")],
)
def test_a_gift_category_too_deep_or_too_long_is_refused_and_read_once(category, problem):
    gift_mapping.category_path.cache_clear()
    text = f"$CATEGORY: {category}\n\n" + "Is it?{T}\n\n" * 50
    problems = refusal(text).problems
    assert len(problems) == 50 and all(problem in p for p in problems)
    assert gift_mapping.category_path.cache_info().misses == 1  # not once per question
    assert not QuestionBank.objects.filter(parent__isnull=False).exists()


def moodle_file(category: str, questions: int) -> str:
    question = (
        '<question type="truefalse"><name><text>Q</text></name>'
        "<questiontext><text>Is it?</text></questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question>'
    )
    head = f'<question type="category"><category><text>{category}</text></category></question>'
    return f"<quiz>{head}{question * questions}</quiz>"


@pytest.mark.parametrize(
    ("category", "problem"),
    [
        # The one category every question is in is the chosen bank: 4,999 levels below it.
        (f"$course$/top/{DEEP}", "the category is 4,999 levels deep; at most 10"),
        (f"$course$/top/b/{LONG}", "is 5,000 characters long"),
    ],
)
def test_a_moodle_category_too_deep_or_too_long_is_refused_and_read_once(category, problem):
    moodle_importing._category_names.cache_clear()
    with pytest.raises(ImportRefused) as refused:
        moodle_importing.read_moodle_xml(moodle_file(category, 50))
    assert sum(problem in p for p in refused.value.problems) == 50
    assert moodle_importing._category_names.cache_info().misses == 1
