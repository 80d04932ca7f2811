"""Review options: what a learner sees of a released attempt immediately, later and after the
assessment closes. What an option does not allow is not in the page at all."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import selectors, services
from assessments.models import Attempt, QuestionKind
from tests.assessments.factories import AssessmentFactory, QuestionFactory, wrong_answers

pytestmark = pytest.mark.django_db

ITEMS = ("marks", "correctness", "feedback", "answers")


def review(moment: str, *shown: str) -> dict[str, bool]:
    return {f"review_{moment}_{item}": item in shown for item in ITEMS}


def submitted(learner, **settings) -> Attempt:
    assessment = AssessmentFactory(
        questions=[
            QuestionFactory(kind=QuestionKind.SINGLE_CHOICE),
            QuestionFactory(kind=QuestionKind.SHORT_ANSWER),
            QuestionFactory(kind=QuestionKind.MATCHING),
        ],
        **settings,
    )
    attempt = services.start_attempt(user=learner, assessment=assessment)
    services.save_answers(attempt=attempt, answers=wrong_answers(attempt))
    return services.submit_attempt(attempt=attempt)


def result_page(client, attempt) -> str:
    return client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()


def feedback_texts(attempt) -> list[str]:
    texts = []
    for response in attempt.responses.select_related("version"):
        texts.append(response.version.general_feedback)
        texts += [o["feedback"] for o in response.version.options if o.get("feedback")]
    return texts


def right_texts(attempt) -> list[str]:
    """The accepted short answers (a matching question's right-hand texts are its options, shown
    as the learner's own choices, so they say nothing)."""
    return [
        option["text"]
        for response in attempt.responses.select_related("version")
        if response.version.kind == QuestionKind.SHORT_ANSWER
        for option in response.version.options
        if option["correct"]
    ]


def general_feedback(attempt) -> list[str]:
    return [r.version.general_feedback for r in attempt.responses.select_related("version")]


def test_by_default_everything_is_shown(learner_client, learner):
    attempt = submitted(learner)
    page = result_page(learner_client, attempt)
    assert "You scored 0%" in page and "not correct" in page and "Correct answer" in page
    assert all(text in page for text in general_feedback(attempt))


def test_marks_only_leaves_feedback_correctness_and_right_answers_out_of_the_page(
    learner_client, learner
):
    attempt = submitted(learner, **review("immediately", "marks"))
    page = result_page(learner_client, attempt)
    assert "You scored 0%" in page and "Mark: 0 of 1" in page
    assert "correct" not in page.replace("whether each answer was right", "").lower()
    for text in feedback_texts(attempt) + right_texts(attempt):
        assert text not in page
    assert "does not show whether each answer was right, feedback, the right answers" in page


def test_hiding_marks_hides_the_score_and_the_pass(learner_client, learner):
    attempt = submitted(learner, **review("immediately", "feedback"))
    page = result_page(learner_client, attempt)
    assert "You scored" not in page and "Mark:" not in page and "did not pass" not in page
    assert "Your answers have been submitted." in page
    assert all(text in page for text in general_feedback(attempt))


def test_later_rules_apply_two_minutes_after_release(learner_client, learner):
    attempt = submitted(
        learner, **review("immediately", *ITEMS), **review("later", "marks"), closes_at=None
    )
    assert selectors.review_rules(attempt=attempt).moment == "immediately"
    Attempt.objects.filter(pk=attempt.pk).update(released_at=timezone.now() - timedelta(minutes=3))
    attempt.refresh_from_db()
    rules = selectors.review_rules(attempt=attempt)
    assert rules.moment == "later" and rules.marks and not rules.feedback
    page = result_page(learner_client, attempt)
    assert not any(text in page for text in feedback_texts(attempt) if text)


def test_after_close_the_closed_rules_apply_and_the_page_says_when_more_is_shown(
    learner_client, learner
):
    closes = timezone.now() + timedelta(days=1)
    attempt = submitted(
        learner,
        **review("immediately", "marks"),
        **review("closed", *ITEMS),
        closes_at=closes,
    )
    page = result_page(learner_client, attempt)
    assert "More is shown after it closes at" in page
    rules = selectors.review_rules(attempt=attempt, now=closes + timedelta(minutes=1))
    assert rules.moment == "closed" and rules.answers and rules.more_at is None


def test_the_selector_itself_leaves_out_what_is_not_allowed(learner):
    attempt = submitted(learner, **review("immediately", "correctness"))
    rules = selectors.review_rules(attempt=attempt)
    questions = selectors.reviewed_questions(attempt=attempt, rules=rules)
    for question in questions:
        assert question.score is None and question.general_feedback == ""
        assert question.right_answers == [] and question.feedback == ""
        # Only the chosen option may say whether it is right; here none is.
        assert not any(option.correct for option in question.options)
        assert all(option.feedback == "" for option in question.options)
        assert all(row.right == "" and row.feedback == "" for row in question.rows)


def test_a_trainer_sets_review_options_in_the_admin(client, trainer):
    from tests.assessments.test_assessment_admin import assessment_form

    client.force_login(trainer)
    form = client.get(reverse("assessment:add")).content.decode()
    assert "Review immediately after (for 2 minutes)" in form
    data = assessment_form(review_immediately_marks="on", review_closed_answers="on")
    response = client.post(reverse("assessment:add"), data)
    assert response.status_code == 302
    from assessments.models import Assessment

    assessment = Assessment.objects.get()
    assert assessment.review_immediately_marks and assessment.review_closed_answers
    assert not assessment.review_immediately_feedback and not assessment.review_later_answers
