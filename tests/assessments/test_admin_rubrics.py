"""Trainers write rubrics and essay questions in the Wagtail admin."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from assessments.models import Question, QuestionKind, Rubric
from tests.assessments.factories import QuestionBankFactory, RubricFactory

pytestmark = pytest.mark.django_db


def rubric_form(*criteria):
    return nested_form_data(
        {
            "name": "Final response letter",
            "guidance": "Look for a clear explanation of what happened and why.",
            "criteria": streamfield(
                [
                    (
                        "criterion",
                        {
                            "title": title,
                            "description": "",
                            "levels": streamfield(
                                [
                                    ("item", {"label": f"L{p}", "points": p, "descriptor": ""})
                                    for p in points
                                ]
                            ),
                        },
                    )
                    for title, points in criteria
                ]
            ),
        }
    )


def essay_form(rubric=None, options=()):
    return nested_form_data(
        {
            "title": "Explaining a decision",
            "bank": QuestionBankFactory().pk,
            "kind": QuestionKind.ESSAY,
            "stem": "Write the paragraph of a final response that explains the decision.",
            "general_feedback": "",
            "rubric": rubric.pk if rubric else "",
            "choices": inline_formset(
                [{"text": text, "is_correct": False, "feedback": ""} for text in options]
            ),
        }
    )


def test_a_trainer_writes_a_rubric(client, trainer):
    client.force_login(trainer)
    response = client.post(
        reverse("rubric:add"), rubric_form(("Explanation", [0, 1, 2]), ("Tone", [0, 2]))
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rubric = Rubric.objects.get()
    assert [block.value["title"] for block in rubric.criteria] == ["Explanation", "Tone"]
    assert [str(level["points"]) for level in rubric.criteria[1].value["levels"]] == ["0", "2"]


def test_a_rubric_whose_levels_cannot_mark_is_refused(client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("rubric:add"), rubric_form(("Tone", [1, 1])))
    assert response.status_code == 200
    assert "give each level different points" in response.content.decode()
    assert not Rubric.objects.exists()


def test_a_trainer_adds_an_essay_with_a_rubric(client, trainer):
    client.force_login(trainer)
    rubric = RubricFactory()
    response = client.post(reverse("question:add"), essay_form(rubric))
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.kind == QuestionKind.ESSAY and question.rubric == rubric
    assert not question.choices.exists()


def test_an_essay_with_options_is_refused(client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("question:add"), essay_form(options=["An option"]))
    assert response.status_code == 200
    assert "An essay question has no options" in response.content.decode()
    assert not Question.objects.exists()


def test_only_an_essay_takes_a_rubric(client, trainer):
    client.force_login(trainer)
    data = essay_form(RubricFactory(), options=["A", "B"])
    data["kind"] = QuestionKind.SINGLE_CHOICE
    response = client.post(reverse("question:add"), data)
    assert "Only essay questions are marked against a rubric" in response.content.decode()
    assert not Question.objects.exists()


def test_an_assessor_reads_rubrics_but_cannot_change_them(client, staff_groups):
    from academy import services as people
    from tests.academy.factories import UserFactory

    assessor = UserFactory(groups=[people.ASSESSORS], mfa=True)
    rubric = RubricFactory(name="Fair investigation")
    client.force_login(assessor)
    listing = client.get(reverse("rubric:index"))
    assert listing.status_code == 200 and "Fair investigation" in listing.content.decode()
    assert reverse("rubric:inspect", args=[rubric.pk]) in listing.content.decode()
    page = client.get(reverse("rubric:inspect", args=[rubric.pk])).content.decode()
    for criterion in rubric.criteria:
        assert criterion.value["title"] in page and criterion.value["description"] in page
        for level in criterion.value["levels"]:
            assert level["label"] in page
    assert rubric.guidance in page

    assert client.get(reverse("rubric:add")).status_code in (302, 403)
    assert client.get(reverse("rubric:edit", args=[rubric.pk])).status_code in (302, 403)
    before = Rubric.objects.values().get(pk=rubric.pk)
    client.post(reverse("rubric:edit", args=[rubric.pk]), {"name": "Changed", "guidance": ""})
    client.post(reverse("rubric:delete", args=[rubric.pk]))
    assert Rubric.objects.values().get(pk=rubric.pk) == before
