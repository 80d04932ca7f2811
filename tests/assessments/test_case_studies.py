"""Case studies: several questions under one shared scenario, shown once and kept together."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import QuestionKind, Scenario
from tests.assessments.factories import AssessmentFactory, QuestionFactory, correct_answers

pytestmark = pytest.mark.django_db

SITUATION = "Mr Ahmed complained that the discharge letter for his mother went to the wrong GP."


@pytest.fixture
def scenario():
    return Scenario.objects.create(title="A lost discharge letter", text=SITUATION)


def case_assessment(scenario, **settings):
    about = [QuestionFactory(scenario=scenario) for _ in range(3)]
    others = [QuestionFactory(kind=QuestionKind.TRUE_FALSE) for _ in range(3)]
    return AssessmentFactory(questions=[others[0], *about, *others[1:]], **settings), about


def test_the_version_freezes_the_case_study_and_an_edit_makes_a_new_one(scenario, learner):
    assessment, about = case_assessment(scenario)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    given = attempt.responses.select_related("version").get(version__question=about[0])
    assert given.version.settings["scenario"] == {"title": scenario.title, "text": SITUATION}
    scenario.text = "A rewritten situation."
    scenario.save()
    about[0].refresh_from_db()
    assert services.current_version(question=about[0]).pk != given.version_id
    given.version.refresh_from_db()
    assert given.version.settings["scenario"]["text"] == SITUATION


def test_a_question_without_a_case_study_keeps_its_version(learner):
    question = QuestionFactory()
    first = services.current_version(question=question)
    assert "scenario" not in first.settings
    assert services.current_version(question=question).pk == first.pk


def test_the_case_study_is_shown_once_above_its_questions(scenario, learner, learner_client):
    assessment, _about = case_assessment(scenario, shuffle_questions=False)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    page = learner_client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert page.count(SITUATION) == 1
    assert page.index("Question 1 of") < page.index(SITUATION) < page.index("Question 2 of")
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    services.submit_attempt(attempt=attempt)
    result = learner_client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert result.count(SITUATION) == 1


def test_shuffling_keeps_a_case_studys_questions_together_in_order(scenario, staff_groups):
    from tests.academy.factories import UserFactory

    assessment, about = case_assessment(scenario, shuffle_questions=True)
    orders = set()
    for _ in range(12):
        attempt = services.start_attempt(user=UserFactory(), assessment=assessment)
        questions = list(
            attempt.responses.order_by("position").values_list("version__question", flat=True)
        )
        at = questions.index(about[0].pk)
        assert questions[at : at + 3] == [q.pk for q in about]
        orders.add(tuple(questions))
    assert len(orders) > 1  # the order does change between attempts


def test_a_trainer_writes_a_case_study_and_puts_a_question_under_it(client, trainer):
    client.force_login(trainer)
    response = client.post(
        reverse("scenario:add"), {"title": "A missed call-back", "text": "Nobody rang back."}
    )
    assert response.status_code == 302
    scenario = Scenario.objects.get()
    from tests.assessments.test_admin import question_form

    data = question_form("single", [("Apologise and call", True), ("Wait", False)])
    data["scenario"] = scenario.pk
    assert client.post(reverse("question:add"), data).status_code == 302
    assert scenario.questions.count() == 1
