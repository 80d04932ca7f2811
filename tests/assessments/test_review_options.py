"""Review options: what a learner sees of a released attempt immediately, later and after the
assessment closes. What an option does not allow is not in the page at all."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import selectors, services
from assessments.models import Attempt, QuestionKind
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    wrong_answer,
    wrong_answers,
)

pytestmark = pytest.mark.django_db

ITEMS = ("marks", "correctness", "feedback", "answers")


def review(moment: str, *shown: str) -> dict[str, bool]:
    return {f"review_{moment}_{item}": item in shown for item in ITEMS}


def three_questions(**settings):
    """An assessment of a single-choice, a short-answer and a matching question."""
    return AssessmentFactory(
        questions=[
            QuestionFactory(kind=QuestionKind.SINGLE_CHOICE),
            QuestionFactory(kind=QuestionKind.SHORT_ANSWER),
            QuestionFactory(kind=QuestionKind.MATCHING),
        ],
        **settings,
    )


def submitted(learner, **settings) -> Attempt:
    attempt = services.start_attempt(user=learner, assessment=three_questions(**settings))
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


def test_by_default_marks_and_correctness_are_shown_but_not_what_a_next_attempt_could_copy(
    learner_client, learner
):
    attempt = submitted(learner)
    page = result_page(learner_client, attempt)
    assert "You scored 0%" in page and "not correct" in page
    assert "Correct answer" not in page and "(correct answer)" not in page
    for text in feedback_texts(attempt) + right_texts(attempt):
        assert not text or text not in page
    assert "does not show feedback or the right answers at the moment" in page


def test_by_default_everything_is_shown_once_no_attempt_is_left(learner_client, learner):
    attempt = submitted(learner, max_attempts=1)
    page = result_page(learner_client, attempt)
    assert selectors.review_rules(attempt=attempt).moment == "closed"
    assert "You scored 0%" in page and "not correct" in page and "Correct answer" in page
    assert all(text in page for text in general_feedback(attempt))
    assert "does not show" not in page


def test_an_attempt_in_progress_or_an_extra_attempt_keeps_the_answers_back(learner, trainer):
    """The last attempt allowed is used, but the learner is still answering another (their
    adjustment's extra attempt) or may start one: the earlier attempt's answers stay hidden."""
    first = submitted(learner, max_attempts=2)
    assessment = first.assessment
    assert selectors.review_rules(attempt=first).moment == "immediately"
    second = services.start_attempt(user=learner, assessment=assessment)
    assert selectors.review_rules(attempt=first).moment == "immediately"  # second is open
    services.submit_attempt(attempt=second)
    assert selectors.review_rules(attempt=first).moment == "closed"
    services.grant_adjustment(
        learner=learner, assessment=assessment, by=trainer, extra_attempts=1, reason="Agreed."
    )
    assert selectors.review_rules(attempt=first).moment == "immediately"
    assert not selectors.review_rules(attempt=first).answers


def test_the_page_says_more_comes_after_the_last_attempt_and_the_close(learner_client, learner):
    closes = timezone.now() + timedelta(days=1)
    attempt = submitted(learner, max_attempts=3, closes_at=closes)
    page = result_page(learner_client, attempt)
    assert "More is shown once you have used your last attempt, or after it closes at" in page


def test_marks_only_leaves_feedback_correctness_and_right_answers_out_of_the_page(
    learner_client, learner
):
    attempt = submitted(learner, **review("immediately", "marks"))
    page = result_page(learner_client, attempt)
    assert "You scored 0%" in page and "Mark: 0 of 1 mark" in page
    assert "correct" not in page.replace("whether each answer was right", "").lower()
    for text in feedback_texts(attempt) + right_texts(attempt):
        assert text not in page
    assert "does not show whether each answer was right, feedback or the right answers" in page


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


# During the attempt: what checking an answer shows ------------------------------------------


def checking(learner, **settings) -> Attempt:
    """An open attempt of three_questions with checking on."""
    assessment = three_questions(check_during_attempt=True, **settings)
    return services.start_attempt(user=learner, assessment=assessment)


def checked(learner, **settings) -> Attempt:
    """An open attempt of three_questions whose questions were each checked, wrongly."""
    attempt = checking(learner, **settings)
    for response_id, answer in wrong_answers(attempt).items():
        services.submit_answer(
            attempt=attempt, response_id=response_id, answers={response_id: answer}
        )
    return attempt


def attempt_page(client, attempt) -> str:
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    # The CSRF token is random text that could hold any short string: leave it out.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def during_markers(attempt) -> dict[str, list[str]]:
    """Text on the attempt page when the option for it is on: the feedback is each question's
    general feedback and the feedback on the options and items the learner chose."""
    chosen = []
    for response in attempt.responses.select_related("version"):
        options = response.version.options
        if response.version.kind == QuestionKind.MATCHING:
            chosen += [o["feedback"] for o in options if o["side"] == "left"]
        elif response.version.kind == QuestionKind.SINGLE_CHOICE:
            chosen += [o["feedback"] for o in options if o["key"] in response.selected]
    return {
        "marks": ["Mark:"],
        "correctness": ["not right", "Not right.", "academy-option-wrong"],
        "feedback": general_feedback(attempt) + chosen,
        "answers": ["(right answer)", "Right answer", "Right match", *right_texts(attempt)],
    }


def test_by_default_a_check_shows_the_mark_and_whether_it_was_right_only(learner_client, learner):
    attempt = checked(learner)
    page = attempt_page(learner_client, attempt)
    for item, markers in during_markers(attempt).items():
        for marker in markers:
            assert (marker in page) == (item in ("marks", "correctness")), (item, marker)


def test_with_every_during_option_on_a_check_shows_everything(learner_client, learner):
    attempt = checked(learner, **review("during", *ITEMS))
    page = attempt_page(learner_client, attempt)
    for markers in during_markers(attempt).values():
        assert all(marker in page for marker in markers)


@pytest.mark.parametrize("shown", ITEMS)
def test_a_check_shows_only_what_the_during_options_allow(learner_client, learner, shown):
    attempt = checked(learner, **review("during", shown))
    page = attempt_page(learner_client, attempt)
    for item, markers in during_markers(attempt).items():
        for marker in markers:
            assert (marker in page) == (item == shown), (item, marker)
    if shown != "feedback":
        assert not any(text in page for text in feedback_texts(attempt))
    assert page.count("Your answer is now final.") == 3  # what the page's script reads out


def test_with_every_during_option_off_a_check_says_only_that_the_answer_is_final(
    learner_client, learner
):
    attempt = checked(learner, **review("during"))
    page = attempt_page(learner_client, attempt)
    assert page.count("Your answer has been checked.") == 3
    assert 'data-check-result="Question 1 checked. Your answer is now final."' in page
    assert "Nothing like it" in page  # the learner's own answer, shown read-only
    for markers in [*during_markers(attempt).values(), feedback_texts(attempt)]:
        assert not any(marker in page for marker in markers)
    # Whether an option is right is not even in the page's classes.
    assert "academy-option-correct" not in page and "academy-status-" not in page


def test_the_selector_itself_leaves_out_what_a_check_may_not_show(learner):
    attempt = checked(learner, **review("during", "correctness"))
    questions = selectors.questions_to_answer(attempt=attempt)
    for question in questions:
        feedback = question.checked
        assert feedback.outcome == "wrong" and feedback.rules.moment == "during"
        review_ = feedback.review
        assert review_.score is None and review_.general_feedback == ""
        assert review_.right_answers == [] and review_.feedback == ""
        assert not any(option.correct for option in review_.options)
        assert all(option.feedback == "" for option in review_.options)
        assert all(row.right == "" and row.feedback == "" for row in review_.rows)
    hidden = selectors.questions_to_answer(attempt=checked(learner, **review("during")))
    assert {question.checked.outcome for question in hidden} == {None}


def test_nothing_about_an_unchecked_question_reaches_the_page_or_the_autosave(
    learner_client, learner
):
    attempt = checking(learner, **review("during", *ITEMS))
    first, *unchecked = attempt.responses.select_related("version").order_by("position")
    answers = wrong_answers(attempt)
    services.submit_answer(attempt=attempt, response_id=first.pk, answers=answers)
    page = attempt_page(learner_client, attempt)
    assert first.version.general_feedback in page  # the checked one's
    for response in unchecked:
        assert response.version.general_feedback not in page
        assert not any(
            o.get("feedback") and o["feedback"] in page for o in response.version.options
        )
    assert not any(text in page for text in right_texts(attempt))
    assert page.count("<p>Mark:") == 1 and page.count("Not right.") == 1

    data = {f"q{unchecked[0].pk}": "Nothing like it", "autosave": "1"}
    data.update({f"q{unchecked[1].pk}-{k}": v for k, v in answers[unchecked[1].pk].items()})
    saved = learner_client.post(
        reverse("assessments:attempt", args=[attempt.pk]), data, HTTP_ACCEPT="application/json"
    )
    assert saved.status_code == 200 and set(saved.json()) == {"saved_at"}


def test_a_trainer_turns_checking_on_in_the_admin(client, trainer):
    from assessments.models import Assessment
    from tests.assessments.test_assessment_admin import assessment_form

    client.force_login(trainer)
    form = client.get(reverse("assessment:add")).content.decode()
    assert "Checking answers during the attempt" in form
    assert "Learners may check each answer during the attempt" in form
    data = assessment_form(
        check_during_attempt="on", review_during_correctness="on", review_during_feedback="on"
    )
    assert client.post(reverse("assessment:add"), data).status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.check_during_attempt
    assert assessment.review_during_correctness and assessment.review_during_feedback
    assert not assessment.review_during_marks and not assessment.review_during_answers


@pytest.mark.parametrize("where", ["during the attempt", "on the result page"])
def test_hiding_the_right_answers_hides_the_right_order_of_an_ordering_question(
    learner_client, learner, where
):
    assessment = AssessmentFactory(
        questions=[QuestionFactory(kind=QuestionKind.ORDERING)],
        check_during_attempt=True,
        **review("during", "correctness"),
        **review("immediately", "correctness"),
    )
    attempt = services.start_attempt(user=learner, assessment=assessment)
    response = attempt.responses.select_related("version").get()
    reversed_order = {response.pk: wrong_answer(response)}
    if where == "during the attempt":
        services.submit_answer(attempt=attempt, response_id=response.pk, answers=reversed_order)
        page = attempt_page(learner_client, attempt)
    else:
        services.save_answers(attempt=attempt, answers=reversed_order)
        services.submit_attempt(attempt=attempt)
        page = result_page(learner_client, attempt)
    # The items come in the learner's order (here the right one reversed), not the right one.
    places = [page.index(option["text"]) for option in response.version.options]
    assert places == sorted(places, reverse=True)
    assert "in the right order" not in page
