"""Trainers organise questions in banks and import GIFT and Moodle XML files in the Wagtail
admin."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Question, QuestionBank
from tests.assessments.factories import QuestionBankFactory, QuestionFactory
from tests.complaint_standards.factories import ExpectationFactory, PrincipleFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def upload(data: bytes, name="questions.gift"):
    return SimpleUploadedFile(name, data, content_type="text/plain")


@pytest.fixture
def bank():
    return QuestionBankFactory(name="Welcoming complaints")


def test_a_trainer_creates_a_bank_and_sees_the_import_button(trainer_client):
    response = trainer_client.post(
        reverse("questionbank:add"), {"name": "Investigating", "description": "Fact finding."}
    )
    assert response.status_code == 302
    assert QuestionBank.objects.filter(name="Investigating").exists()
    listing = trainer_client.get(reverse("questionbank:index")).content.decode()
    assert "Investigating" in listing
    assert reverse("import_gift") in listing


def test_the_question_list_filters_by_bank(trainer_client, bank):
    QuestionFactory(bank=bank, title="In the bank")
    QuestionFactory(title="Somewhere else")
    page = trainer_client.get(reverse("question:index"), {"bank": bank.pk}).content.decode()
    assert "In the bank" in page
    assert "Somewhere else" not in page


def test_a_new_question_must_be_put_in_a_bank(trainer_client):
    response = trainer_client.post(
        reverse("question:add"), {"title": "No bank", "kind": "single", "stem": "Why?"}
    )
    assert response.status_code == 200
    assert not Question.objects.exists()


def test_a_trainer_imports_a_gift_file_into_a_bank(trainer_client, bank):
    data = (FIXTURES / "complaint-bank.gift").read_bytes()
    response = trainer_client.post(
        reverse("import_gift"), {"bank": bank.pk, "file": upload(data)}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{reverse('question:index')}?bank={bank.pk}"
    assert "Imported 8 questions into “Welcoming complaints”." in response.content.decode()
    assert bank.questions.count() == 8


def test_an_import_with_categories_names_the_sub_banks_it_filled(trainer_client, bank):
    data = b"$CATEGORY: Apologies\n\nIs it?{T}\n\n$CATEGORY: Remedies\n\nAnd this?{F}\n"
    response = trainer_client.post(
        reverse("import_gift"), {"bank": bank.pk, "file": upload(data)}, follow=True
    )
    apologies = QuestionBank.objects.get(name="Welcoming complaints / Apologies")
    assert response.redirect_chain[-1][0] == f"{reverse('question:index')}?bank={apologies.pk}"
    assert (
        "Imported 2 questions into “Welcoming complaints / Apologies”, "
        "“Welcoming complaints / Remedies”."
    ) in response.content.decode()


def test_a_broken_file_shows_each_problem_by_line_and_imports_nothing(trainer_client, bank):
    data = (FIXTURES / "broken-several.gift").read_bytes()
    response = trainer_client.post(reverse("import_gift"), {"bank": bank.pk, "file": upload(data)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported. 5 problems in the file" in page
    assert "line 10: &#x27;three&#x27; is not a number" in page
    assert "line 20: an option has no text" in page
    assert not Question.objects.exists()


def test_missing_word_questions_and_essays_come_in_from_the_admin(trainer_client, bank):
    data = (FIXTURES / "missing-word-and-essay.gift").read_bytes()
    response = trainer_client.post(reverse("import_gift"), {"bank": bank.pk, "file": upload(data)})
    assert response.status_code == 302
    kinds = set(Question.objects.filter(bank=bank).values_list("kind", flat=True))
    assert "essay" in kinds
    assert Question.objects.filter(bank=bank, stem__contains="_____").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"x" * (5 * 1024 * 1024 + 1), "the largest accepted is 5.0\xa0MB"),
        ("::Q::Café?{T}".encode("latin-1"), "Line 1: the file is not UTF-8 text (byte 0xe9"),
    ],
)
def test_a_file_too_big_or_not_utf8_is_refused_clearly(trainer_client, bank, data, message):
    response = trainer_client.post(reverse("import_gift"), {"bank": bank.pk, "file": upload(data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_the_import_needs_permission_to_add_questions(client, administrator, bank):
    # Administrators may look at banks but not add questions: Wagtail sends them back home.
    client.force_login(administrator)
    assert client.get(reverse("import_gift")).url == reverse("wagtailadmin_home")
    data = (FIXTURES / "complaint-bank.gift").read_bytes()
    response = client.post(reverse("import_gift"), {"bank": bank.pk, "file": upload(data)})
    assert response.url == reverse("wagtailadmin_home")
    assert not Question.objects.exists()
    listing = client.get(reverse("questionbank:index"))
    assert listing.status_code == 200
    assert "Welcoming complaints" in listing.content.decode()
    assert reverse("import_gift") not in listing.content.decode()


def test_the_import_page_offers_the_bank_it_was_opened_for(trainer_client, bank):
    page = trainer_client.get(reverse("import_gift"), {"bank": bank.pk}).content.decode()
    assert f'<option value="{bank.pk}" selected>' in page


# --- Moodle XML ------------------------------------------------------------------------------


def test_a_trainer_imports_a_moodle_xml_file_and_its_categories_become_sub_banks(
    trainer_client, bank
):
    # The file tags a question with expectation 1.1 of the framework "nhs".
    ExpectationFactory(principle=PrincipleFactory(number=1, framework__slug="nhs"), number=1)
    data = (FIXTURES / "moodle-complaints.xml").read_bytes()
    response = trainer_client.post(
        reverse("import_gift"), {"bank": bank.pk, "file": upload(data, "bank.xml")}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{reverse('question:index')}?bank={bank.pk}"
    assert (
        "Imported 8 questions into “Welcoming complaints”, “Welcoming complaints / Investigating”."
    ) in response.content.decode()
    assert bank.questions.count() == 2
    assert bank.children.get().questions.count() == 6


def test_a_moodle_xml_file_with_problems_shows_each_by_line_and_question(trainer_client, bank):
    data = (FIXTURES / "moodle-problems.xml").read_bytes()
    response = trainer_client.post(
        reverse("import_gift"), {"bank": bank.pk, "file": upload(data, "bank.xml")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported. 8 problems in the file" in page
    assert "line 18, “A picture”: the question text has an image (“poster.png”)" in page
    assert not Question.objects.exists()
    assert QuestionBank.objects.count() == 1


def test_a_hostile_moodle_xml_file_is_refused_on_the_page(trainer_client, bank):
    data = (FIXTURES / "moodle-entities.xml").read_bytes()
    response = trainer_client.post(
        reverse("import_gift"), {"bank": bank.pk, "file": upload(data, "bank.xml")}
    )
    assert "line 3: the file declares an entity (“lol”), which is refused" in (
        response.content.decode()
    )
    assert not Question.objects.exists()


def test_the_bank_list_offers_one_import_for_both_formats(trainer_client):
    listing = trainer_client.get(reverse("questionbank:index")).content.decode()
    assert "Import questions" in listing
    page = trainer_client.get(reverse("import_gift")).content.decode()
    assert "GIFT or Moodle XML file" in page
    assert "In either format, a single-choice option may be worth part of the mark" in page
