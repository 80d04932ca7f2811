"""Trainers organise banks under other banks and give questions a difficulty."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from assessments.models import Difficulty, Question, QuestionBank
from assessments.services import importing
from tests.assessments.factories import QuestionBankFactory, QuestionFactory
from tests.assessments.test_admin import question_form

pytestmark = pytest.mark.django_db


def test_a_bank_sits_under_another_and_a_loop_is_refused():
    topic = QuestionBankFactory(name="Investigating")
    sub = QuestionBankFactory(name="Evidence", parent=topic)
    assert list(topic.children.all()) == [sub]
    topic.parent = sub
    with pytest.raises(ValidationError, match="cannot sit under itself"):
        topic.full_clean()


def test_the_database_refuses_a_bank_that_is_its_own_parent():
    bank = QuestionBankFactory()
    with pytest.raises(IntegrityError):
        QuestionBank.objects.filter(pk=bank.pk).update(parent=bank.pk)


def test_a_trainer_files_a_bank_under_another_in_the_admin(client, trainer):
    client.force_login(trainer)
    topic = QuestionBankFactory(name="Responding")
    response = client.post(
        reverse("questionbank:add"),
        {"name": "Apologies", "parent": topic.pk, "description": "Saying sorry well."},
    )
    assert response.status_code == 302
    assert QuestionBank.objects.get(name="Apologies").parent == topic
    listing = client.get(reverse("questionbank:index"), {"parent": topic.pk}).content.decode()
    assert "Apologies" in listing


def test_a_trainer_gives_a_question_a_difficulty_and_filters_by_it(client, trainer):
    client.force_login(trainer)
    data = question_form("single", [("Listen first", True), ("Argue", False)])
    data["difficulty"] = Difficulty.HARD
    assert client.post(reverse("question:add"), data).status_code == 302
    assert Question.objects.get().difficulty == Difficulty.HARD
    QuestionFactory(title="An easy one", difficulty=Difficulty.EASY)
    listing = client.get(reverse("question:index"), {"difficulty": "hard"}).content.decode()
    assert "Apologising" in listing and "An easy one" not in listing


def test_difficulty_survives_the_json_copy_and_a_bad_one_is_refused():
    bank = QuestionBankFactory()
    QuestionFactory(bank=bank, difficulty=Difficulty.MEDIUM)
    exported = importing.export_bank_json(bank=bank)
    assert exported["questions"][0]["difficulty"] == "medium"
    copy = importing.import_bank_json(data=exported, bank_name="Copy")
    assert copy.questions.get().difficulty == Difficulty.MEDIUM
    exported["questions"][0]["difficulty"] = "fiendish"
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_bank_json(data=exported, bank_name="Another copy")
    assert any("fiendish" in problem for problem in refused.value.problems)
    assert not QuestionBank.objects.filter(name="Another copy").exists()
