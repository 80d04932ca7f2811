"""Moodle XML goes through the same import pipeline as GIFT (services.bank_imports): the same
caps on questions per file (counted before the file is parsed), options per question and
problems listed, in the admin and in import_moodle_xml; a large file waits in the database as
text and a worker imports or refuses it; and case studies and sub-banks are made one way for
both formats."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments import moodle_xml as mx
from assessments import services
from assessments.models import BankImport, Question, QuestionBank, Scenario
from assessments.services import importing, moodle_importing
from assessments.services.importing import ImportRefused
from tests.assessments.factories import QuestionBankFactory

pytestmark = pytest.mark.django_db


def essay(n: int, **fields) -> mx.MoodleQuestion:
    return mx.MoodleQuestion(
        type=mx.ESSAY, name=f"Q{n}", text=mx.MoodleText(f"Write about {n}."), **fields
    )


def choice(name: str, options: int) -> mx.MoodleQuestion:
    """A single-choice question with `options` options, the first one right."""
    return mx.MoodleQuestion(
        type=mx.MULTICHOICE,
        name=name,
        text=mx.MoodleText("Pick one."),
        answers=[
            mx.MoodleAnswer(text=mx.MoodleText(f"Option {n}"), fraction=Decimal(n == 0))
            for n in range(options)
        ],
    )


def broken(n: int) -> mx.MoodleQuestion:
    """A question Moodle has and we don't: one problem each."""
    return mx.MoodleQuestion(type="calculated", name=f"Sum {n}", text=mx.MoodleText("1 + 1?"))


def xml(items) -> str:
    return mx.dump(items)


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """The line the `nth` (from 0) occurrence of `needle` is on."""
    lines = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[nth]


def refusal(text: str) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        services.import_moodle_xml(text=text, bank=QuestionBankFactory())
    assert not Question.objects.exists()
    return caught.value


@pytest.fixture
def bank():
    return QuestionBankFactory(name="Moodle bank")


def upload(client, bank, text: str, name="bank.xml"):
    data = SimpleUploadedFile(name, text.encode(), content_type="text/xml")
    return client.post(reverse("import_gift"), {"bank": bank.pk, "file": data})


# --- Caps -------------------------------------------------------------------------------------


def test_a_file_of_more_questions_than_an_import_may_hold_is_refused_before_it_is_parsed(
    settings, monkeypatch
):
    settings.ACADEMY_IMPORT_MAX_QUESTIONS = 3
    monkeypatch.setattr(mx, "parse", lambda data: pytest.fail("parsed"))
    # Categories are not questions; descriptions are.
    text = xml([mx.MoodleCategory(path="$course$/top/A"), *(essay(n) for n in range(4))])
    assert refusal(text).problems == [
        "the file has 4 questions; at most 3 can be imported from one file: split it into "
        "smaller files"
    ]


def test_the_question_count_is_read_from_start_tags_and_leaves_categories_out():
    text = xml([mx.MoodleCategory(path="$course$/top/A"), essay(1), choice("Pick", 2)])
    assert mx.count_questions(text) == 2
    assert mx.count_questions("<quiz><question type = 'category'/><question\ntype='x'/>") == 1
    # A <questiontext> is not a question.
    assert mx.count_questions("<quiz><questiontext/></quiz>") == 0


def test_a_question_with_more_options_than_allowed_is_refused_before_they_are_read(
    settings, monkeypatch
):
    settings.ACADEMY_QUESTION_MAX_OPTIONS = 3
    mapped = []
    original = moodle_importing.from_moodle
    monkeypatch.setattr(
        moodle_importing,
        "from_moodle",
        lambda question, lookups: mapped.append(question.name) or original(question, lookups),
    )
    text = xml([choice("Fine", 3), choice("Too many", 4)])
    line = line_of(text, "<question type", nth=1)
    assert refusal(text).problems == [f"line {line}, “Too many”: 4 options; at most 3 are allowed"]
    assert mapped == ["Fine"]
    settings.ACADEMY_QUESTION_MAX_OPTIONS = 4
    assert len(services.import_moodle_xml(text=text, bank=QuestionBankFactory())) == 2


def test_only_the_first_problems_are_listed_with_the_count_of_all(settings):
    settings.ACADEMY_IMPORT_PROBLEMS_LISTED = 2
    text = xml([broken(n) for n in range(5)])
    refused = refusal(text)
    assert (refused.count, refused.unlisted) == (5, 3)
    assert refused.problems == [
        f"line {line_of(text, '<question type', nth)}, “Sum {nth}”: Moodle's “calculated” "
        "questions have no kind here: leave this question out"
        for nth in (0, 1)
    ]
    assert str(refused).endswith("\n… and 3 more")


def test_import_moodle_xml_shares_the_caps(tmp_path, settings, capsys):
    settings.ACADEMY_IMPORT_PROBLEMS_LISTED = 2
    path = tmp_path / "broken.xml"
    path.write_text(xml([broken(n) for n in range(5)]), encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported from .*: 5 problems"):
        call_command("import_moodle_xml", str(path), "--bank", "Broken")
    printed = capsys.readouterr().err.splitlines()
    assert printed[2] == "… and 3 more problems (only the first 2 are listed)"
    assert len(printed) == 3

    settings.ACADEMY_IMPORT_MAX_QUESTIONS = 4
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_moodle_xml", str(path), "--bank", "Broken")
    assert capsys.readouterr().err.startswith("the file has 5 questions; at most 4 can")
    assert not QuestionBank.objects.filter(name="Broken").exists()


# --- Text, and the encoding a file declares ----------------------------------------------------


def test_a_file_in_the_encoding_its_declaration_names_is_read_in_it(bank):
    data = (
        xml([essay(1)])
        .replace("Write about 1.", "Café, 12 €")
        .replace('encoding="UTF-8"', 'encoding="ISO-8859-15"')
    )
    assert 'encoding="ISO-8859-15"' in data
    [question] = services.import_moodle_xml(data=data.encode("iso-8859-15"), bank=bank)
    assert question.stem == "Café, 12 €"


def test_an_encoding_that_is_not_read_here_is_refused_by_name():
    data = b'<?xml version="1.0" encoding="x-made-up"?>\n<quiz></quiz>'
    with pytest.raises(ImportRefused) as caught:
        services.moodle_xml_text(data)
    assert caught.value.problems == [
        "line 1: the file says it is written in “x-made-up”, which is not read here: export it "
        "from Moodle again, or save it as UTF-8"
    ]


def test_the_admin_refuses_a_file_that_is_not_the_utf_8_it_says_it_is(trainer_client, bank):
    data = SimpleUploadedFile("bank.xml", xml([essay(1)]).encode() + b"\xff", "text/xml")
    response = trainer_client.post(reverse("import_gift"), {"bank": bank.pk, "file": data})
    assert response.status_code == 200
    assert "the file is not UTF-8 text (byte 0xff" in response.content.decode()
    assert not BankImport.objects.exists()


# --- In the request, or by a worker -------------------------------------------------------------


@pytest.fixture
def in_request_up_to_two(settings):
    settings.ACADEMY_IMPORT_IN_REQUEST_MAX_QUESTIONS = 2


def test_a_small_moodle_file_is_imported_and_recorded_in_the_request(
    trainer_client, bank, in_request_up_to_two
):
    response = upload(trainer_client, bank, xml([essay(1), essay(2)]))
    assert response.url == f"{reverse('question:index')}?bank={bank.pk}"
    record = BankImport.objects.get()
    assert (record.file_format, record.status, record.imported, record.text) == (
        "moodle_xml",
        "imported",
        2,
        "",
    )


def test_a_large_moodle_file_waits_as_text_and_a_worker_imports_it(
    trainer_client, bank, in_request_up_to_two, django_capture_on_commit_callbacks
):
    case = mx.MoodleQuestion(
        type=mx.DESCRIPTION, name="Mrs Khan", text=mx.MoodleText("She wants an apology.")
    )
    text = xml(
        [
            mx.MoodleCategory(
                path="$course$/top/Week 1", info=mx.MoodleText("The first week.", mx.PLAIN)
            ),
            case,
            essay(1, category="$course$/top/Week 1", tags=["case-study:Mrs Khan"]),
            mx.MoodleCategory(path="$course$/top"),
            essay(2, category="$course$/top"),
            essay(3, category="$course$/top"),
        ]
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(trainer_client, bank, text)
    bank_import = BankImport.objects.get()
    assert response.url == reverse("bank_import", args=[bank_import.pk])
    # Kept as the file's text, where every worker can read it.
    assert (bank_import.file_format, bank_import.status, bank_import.question_count) == (
        "moodle_xml",
        "queued",
        4,
    )
    assert bank_import.text == text
    assert not Question.objects.exists()
    for callback in queued:
        callback()
    bank_import.refresh_from_db()
    assert (bank_import.status, bank_import.imported, bank_import.text) == ("imported", 3, "")
    week = QuestionBank.objects.get(name="Moodle bank / Week 1", parent=bank)
    assert week.description == "The first week."
    [about] = week.questions.all()
    assert (about.title, about.scenario.title) == ("Q1", "Mrs Khan")
    assert sorted(bank.questions.values_list("title", flat=True)) == ["Q2", "Q3"]


def test_a_large_moodle_file_with_problems_is_refused_by_the_worker(
    trainer_client, bank, in_request_up_to_two, django_capture_on_commit_callbacks
):
    text = xml([essay(1), broken(2), essay(3)])
    with django_capture_on_commit_callbacks(execute=True):
        upload(trainer_client, bank, text)
    bank_import = BankImport.objects.get()
    assert (bank_import.status, bank_import.problem_count, bank_import.text) == ("refused", 1, "")
    assert bank_import.problems == [
        f"line {line_of(text, 'calculated')}, “Sum 2”: Moodle's “calculated” questions have no "
        "kind here: leave this question out"
    ]
    assert not Question.objects.exists()


def test_a_worker_refuses_an_import_whose_sub_bank_cannot_be_made(bank):
    QuestionBankFactory(name="Moodle bank / Taken")  # not under the bank
    text = xml(
        [
            mx.MoodleCategory(path="$course$/top/Taken"),
            essay(1, category="$course$/top/Taken"),
            mx.MoodleCategory(path="$course$/top"),
            essay(2, category="$course$/top"),
        ]
    )
    bank_import = BankImport.objects.create(
        bank=bank, file_name="bank.xml", file_format="moodle_xml", text=text, question_count=2
    )
    assert services.run_bank_import(bank_import=bank_import) == 0
    bank_import.refresh_from_db()
    assert (bank_import.status, bank_import.problem_count) == ("refused", 1)
    assert "a bank of that name exists that is not under “Moodle bank”" in (bank_import.problems[0])
    assert not Question.objects.exists()


# --- Case studies, one way for both formats --------------------------------------------------


def test_a_description_no_question_is_tagged_with_is_refused():
    alone = mx.MoodleQuestion(type=mx.DESCRIPTION, name="Alone", text=mx.MoodleText("Nobody."))
    assert refusal(xml([alone, essay(1)])).problems == [
        "line 3, “Alone”: this description is the case study of no question: tag the "
        "questions about it “case-study:Alone”, or remove it"
    ]


def test_gift_reuses_a_case_study_with_the_same_title_and_text_as_moodle_xml_does(bank):
    text = "::Mrs Khan::She wants an apology.\n\n::Reply::Reply to her.{}\n"
    [first] = importing.import_gift(text=text, bank=bank)
    [again] = importing.import_gift(text=text, bank=bank)
    assert Scenario.objects.count() == 1
    assert first.scenario == again.scenario
    changed = text.replace("an apology", "a refund")
    [other] = importing.import_gift(text=changed, bank=bank)
    assert other.scenario != first.scenario
    assert Scenario.objects.count() == 2
