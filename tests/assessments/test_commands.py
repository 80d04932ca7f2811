"""The bank commands: import_gift, export_gift, export_bank and import_bank."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Question, QuestionBank, QuestionKind
from tests.assessments.factories import (
    QuestionBankFactory,
    QuestionFactory,
    RubricFactory,
    essay_question,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_gift_creates_the_bank_and_prints_the_count():
    out, err = run("import_gift", str(FIXTURES / "complaint-bank.gift"), "--bank", "Welcoming")
    assert out == "Imported 8 questions into “Welcoming”.\n"
    assert err == ""
    assert QuestionBank.objects.get(name="Welcoming").questions.count() == 8


def test_import_gift_adds_to_an_existing_bank():
    bank = QuestionBankFactory(name="Welcoming")
    QuestionFactory(bank=bank)
    run("import_gift", str(FIXTURES / "complaint-bank.gift"), "--bank", "Welcoming")
    assert bank.questions.count() == 9


def test_import_gift_reads_missing_word_questions_and_essays():
    out, err = run(
        "import_gift", str(FIXTURES / "missing-word-and-essay.gift"), "--bank", "Gaps and essays"
    )
    assert (out, err) == ("Imported 6 questions into “Gaps and essays”.\n", "")
    questions = QuestionBank.objects.get(name="Gaps and essays").questions.order_by("pk")
    assert [(q.kind, q.stem) for q in questions][:3] == [
        (
            QuestionKind.SINGLE_CHOICE,
            "An organisation acknowledges a complaint within _____ working days.",
        ),
        (QuestionKind.SINGLE_CHOICE, "_____ decides whether a complaint is upheld."),
        (QuestionKind.SHORT_ANSWER, "A good response says _____."),
    ]
    assert [q.kind for q in questions][4:] == [QuestionKind.ESSAY, QuestionKind.ESSAY]


def test_import_gift_prints_each_problem_and_imports_nothing_not_even_the_bank():
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported from .*: 5 problems"):
        call_command(
            "import_gift",
            str(FIXTURES / "broken-several.gift"),
            "--bank",
            "New bank",
            stdout=StringIO(),
            stderr=err,
        )
    assert [line.split(":")[0] for line in err.getvalue().splitlines()] == [
        "line 6",
        "line 10",
        "line 14",
        "line 18",
        "line 20",
    ]
    assert "line 10: 'three' is not a number" in err.getvalue()
    assert not QuestionBank.objects.exists()
    assert not Question.objects.exists()


def test_import_gift_says_one_problem_and_why_a_description_is_refused(tmp_path):
    lone = tmp_path / "lone-description.gift"
    lone.write_text("::Q::Is this fine?{T}\n\nSome closing words with no question after them.\n")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported from .*: 1 problem\\.$"):
        call_command("import_gift", str(lone), "--bank", "New bank", stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith("line 3: this description is followed by no question")
    assert not QuestionBank.objects.exists()


def test_import_gift_puts_categories_in_sub_banks_of_the_new_bank():
    out = StringIO()
    call_command(
        "import_gift",
        str(FIXTURES / "complaint-handling.gift"),
        "--bank",
        "New bank",
        stdout=out,
        stderr=StringIO(),
    )
    bank = QuestionBank.objects.get(name="New bank")
    assert not bank.questions.exists()
    welcoming = QuestionBank.objects.get(name="New bank / complaint-standards / welcoming")
    assert welcoming.parent.parent == bank
    assert welcoming.questions.count() == 4


def test_import_gift_explains_a_missing_or_non_utf8_file(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nowhere\.gift: No such file"):
        run("import_gift", str(tmp_path / "nowhere.gift"), "--bank", "B")
    latin = tmp_path / "latin.gift"
    latin.write_bytes("::Q::Is this fine?{T}\n\n::R::Café?{F}\n".encode("latin-1"))
    with pytest.raises(CommandError, match=r"line 3: the file is not UTF-8 text \(byte 0xe9"):
        run("import_gift", str(latin), "--bank", "B")
    assert not QuestionBank.objects.exists()


def test_export_gift_writes_a_file_that_imports_again_and_warns_about_what_it_leaves_out(
    tmp_path,
):
    run("import_gift", str(FIXTURES / "complaint-bank.gift"), "--bank", "Welcoming")
    QuestionFactory(
        bank=QuestionBank.objects.get(name="Welcoming"),
        title="Steps",
        kind=QuestionKind.ORDERING,
    )
    target = tmp_path / "out.gift"
    out, err = run("export_gift", "--bank", "Welcoming", "--output", str(target))
    assert out == f"Wrote 8 questions to {target}.\n"
    assert err == "Warning: left out “Steps”: GIFT has no ordering questions.\n"
    run("import_gift", str(target), "--bank", "Copy")
    assert QuestionBank.objects.get(name="Copy").questions.count() == 8
    printed, _ = run("export_gift", "--bank", "Copy")
    assert printed == target.read_text(encoding="utf-8")


def test_export_gift_notes_each_essay_written_without_its_rubric(tmp_path):
    bank = QuestionBankFactory(name="Reports")
    essay_question(bank=bank, title="Report", rubric=RubricFactory(name="Investigation report"))
    target = tmp_path / "out.gift"
    out, err = run("export_gift", "--bank", "Reports", "--output", str(target))
    assert out == f"Wrote 1 question to {target}.\n"
    assert err == (
        "Note: “Report” is written without its rubric “Investigation report” (GIFT has none).\n"
    )
    assert target.read_text(encoding="utf-8").startswith("::Report::")


def test_export_gift_needs_an_existing_bank():
    with pytest.raises(CommandError, match="There is no question bank called “Nowhere”"):
        run("export_gift", "--bank", "Nowhere")


def test_export_bank_and_import_bank_copy_a_whole_bank(tmp_path):
    run("import_gift", str(FIXTURES / "complaint-bank.gift"), "--bank", "Welcoming")
    target = tmp_path / "bank.json"
    run("export_bank", "Welcoming", "--output", str(target))
    out, _ = run("import_bank", str(target), "--bank", "Welcoming again")
    assert out == "Imported 8 questions into “Welcoming again”.\n"
    printed, _ = run("export_bank", "Welcoming again")
    original = json.loads(target.read_text(encoding="utf-8"))
    copy = json.loads(printed)
    assert copy["questions"] == original["questions"]


def test_import_bank_refuses_a_broken_file_and_changes_nothing(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "phso-academy-question-bank",', encoding="utf-8")
    with pytest.raises(CommandError, match="line 1: not valid JSON"):
        run("import_bank", str(broken), "--bank", "B")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"format": "phso-academy-question-bank", "version": 9}))
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_bank", str(wrong), "--bank", "B", stdout=StringIO(), stderr=err)
    assert err.getvalue() == "this file is version 9; versions 1 and 2 are read\n"
    assert not QuestionBank.objects.exists()
