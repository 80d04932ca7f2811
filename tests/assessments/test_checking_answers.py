"""Checking an answer during an attempt (Moodle's immediate feedback): "Check this answer" saves
the page, marks that one answer, shows its feedback and makes it final."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import services
from assessments.models import Attempt, QuestionKind, Response
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    answer_post,
    attempt_url,
    correct_answer,
    essay_question,
    result_url,
    reveal_everything,
    selections,
    wrong_answer,
)

pytestmark = pytest.mark.django_db

KINDS = [QuestionKind(kind) for kind in ("single", "multiple", "short", "matching")]


def checking_assessment(**settings):
    """One question of each kind in KINDS, then an essay; checking is on unless settings say."""
    questions = [QuestionFactory(kind=kind) for kind in KINDS] + [essay_question()]
    return AssessmentFactory(questions=questions, **{"check_during_attempt": True, **settings})


@pytest.fixture
def attempt(learner):
    return services.start_attempt(user=learner, assessment=checking_assessment())


def responses(attempt) -> list[Response]:
    return list(attempt.responses.select_related("version").order_by("position"))


def at(attempt, position: int) -> Response:
    return next(r for r in responses(attempt) if r.position == position)


def state(attempt) -> tuple:
    """Everything a check may change: each answer, whether and when it was checked, its score,
    and the attempt's status."""
    rows = Response.objects.filter(attempt=attempt).order_by("position")
    attempt.refresh_from_db()
    return attempt.status, [(r.selected, r.checked_at, r.score) for r in rows]


def check_post(attempt, response: Response, answers: dict, *, page=1) -> dict:
    """What the attempt page posts when "Check this answer" is pressed under response."""
    data = answer_post(answers, submit=False)
    del data["save"]
    data["page"] = str(page)
    data["check_answer"] = str(response.pk)
    return data


def autosave_post(answers: dict) -> dict:
    data = answer_post(answers, submit=False)
    del data["save"]
    data["autosave"] = "1"
    return data


def run_out(attempt, *, seconds_ago: float):
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=seconds_ago)
    )


# The service ---------------------------------------------------------------------------------


def test_checking_saves_the_answers_sent_and_marks_only_the_one_checked(attempt):
    single, multiple, short = responses(attempt)[:3]
    answers = {single.pk: correct_answer(single), short.pk: wrong_answer(short)}
    before = timezone.now()
    checked = services.submit_answer(attempt=attempt, response_id=single.pk, answers=answers)
    assert checked.pk == single.pk
    single.refresh_from_db()
    short.refresh_from_db()
    assert single.checked_at >= before and single.score == 1
    assert short.selected == ["Nothing like it"]  # saved, as "Save" would
    assert short.checked_at is None and short.score is None
    multiple.refresh_from_db()
    assert multiple.checked_at is None


@pytest.mark.parametrize(
    ("answer", "score"),
    [("right", Decimal(1)), ("wrong", Decimal(0)), ("one of two", Decimal("0.5"))],
)
def test_a_check_scores_the_answer_with_the_scoring_module(attempt, answer, score):
    multiple = responses(attempt)[1]
    given = {"right": correct_answer, "wrong": wrong_answer}.get(answer)
    chosen = given(multiple) if given else correct_answer(multiple)[:1]
    services.submit_answer(attempt=attempt, response_id=multiple.pk, answers={multiple.pk: chosen})
    multiple.refresh_from_db()
    assert multiple.score == score
    assert multiple.score == services.machine_score(multiple)


def test_submitting_keeps_the_checked_answer_and_its_score(attempt):
    single, multiple = responses(attempt)[:2]
    partly = correct_answer(multiple)[:1]
    services.submit_answer(attempt=attempt, response_id=multiple.pk, answers={multiple.pk: partly})
    services.submit_answer(
        attempt=attempt, response_id=single.pk, answers={single.pk: correct_answer(single)}
    )
    shown = {r.pk: r.score for r in Response.objects.filter(checked_at__isnull=False)}
    attempt = services.submit_attempt(attempt=attempt)
    kept = {r.pk: r.score for r in Response.objects.filter(pk__in=shown)}
    assert kept == shown == {single.pk: Decimal(1), multiple.pk: Decimal("0.5")}
    assert attempt.points == Decimal("1.5")
    multiple.refresh_from_db()
    assert multiple.selected == partly


def test_checking_an_answer_again_changes_nothing(attempt):
    single = responses(attempt)[0]
    answers = {single.pk: correct_answer(single)}
    services.submit_answer(attempt=attempt, response_id=single.pk, answers=answers)
    before = state(attempt)
    services.submit_answer(attempt=attempt, response_id=single.pk, answers=answers)
    services.submit_answer(attempt=attempt, response_id=single.pk, answers={})
    assert state(attempt) == before


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unanswered", "Answer the question before checking it."),
        ("essay", "An essay is marked by an assessor after you submit, so it cannot be checked"),
        ("not in the attempt", "The question to check is not in this attempt."),
        ("another attempt's", "The question to check is not in this attempt."),
        ("checking off", "This assessment does not let you check answers before you submit."),
        ("submitted", "This attempt has already been submitted."),
    ],
)
def test_a_check_that_is_not_allowed_is_refused_and_changes_nothing(
    attempt, other_learner, case, message
):
    single, *_, essay = responses(attempt)
    target = single.pk
    # The page's other answers come too: they are not saved either.
    answers = {single.pk: [], essay.pk: ["A thoughtful essay."]}
    if case == "essay":
        target = essay.pk
    elif case == "not in the attempt":
        target = max(r.pk for r in Response.objects.all()) + 1
    elif case == "another attempt's":
        theirs = services.start_attempt(user=other_learner, assessment=attempt.assessment)
        target = responses(theirs)[0].pk
    elif case == "checking off":
        attempt.assessment.check_during_attempt = False
        attempt.assessment.save()
        answers[single.pk] = correct_answer(single)
    elif case == "submitted":
        services.submit_attempt(attempt=attempt)
        answers[single.pk] = correct_answer(single)
    before = state(attempt)
    with pytest.raises(services.AssessmentError) as refused:
        services.submit_answer(attempt=attempt, response_id=target, answers=answers)
    assert str(refused.value).startswith(message)
    assert state(attempt) == before


def test_a_check_after_the_deadline_and_its_grace_is_refused_and_submits_what_was_saved(
    learner,
):
    attempt = services.start_attempt(
        user=learner, assessment=checking_assessment(time_limit_minutes=20)
    )
    single = responses(attempt)[0]
    run_out(attempt, seconds_ago=services.grace().total_seconds() + 60)
    with pytest.raises(services.TimeUp):
        services.submit_answer(
            attempt=attempt, response_id=single.pk, answers={single.pk: correct_answer(single)}
        )
    single.refresh_from_db()
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted
    assert single.checked_at is None and single.selected == [] and single.score == 0


def test_a_check_within_the_grace_counts(learner):
    attempt = services.start_attempt(
        user=learner, assessment=checking_assessment(time_limit_minutes=20)
    )
    single = responses(attempt)[0]
    run_out(attempt, seconds_ago=5)
    services.submit_answer(
        attempt=attempt, response_id=single.pk, answers={single.pk: correct_answer(single)}
    )
    single.refresh_from_db()
    assert single.checked_at is not None and single.score == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_checked_answer_is_final(attempt, kind):
    response = next(r for r in responses(attempt) if r.version.kind == kind)
    other = next(r for r in responses(attempt) if r.version.kind != kind)
    services.submit_answer(
        attempt=attempt, response_id=response.pk, answers={response.pk: wrong_answer(response)}
    )
    before = state(attempt)
    with pytest.raises(services.AssessmentError) as refused:
        services.save_answers(
            attempt=attempt,
            answers={other.pk: correct_answer(other), response.pk: correct_answer(response)},
        )
    assert str(refused.value) == (
        f"Question {response.position} has been checked, so its answer cannot be changed."
    )
    assert state(attempt) == before  # not even the other answer was saved


def test_the_checked_answer_sent_again_as_it_was_is_no_change(attempt):
    multiple, short = responses(attempt)[1:3]
    chosen = correct_answer(multiple)
    services.submit_answer(attempt=attempt, response_id=multiple.pk, answers={multiple.pk: chosen})
    # An older tab's autosave: the checked answer as it was (options in another order), and a
    # change to another question, which is saved.
    services.save_answers(
        attempt=attempt, answers={multiple.pk: chosen[::-1], short.pk: correct_answer(short)}
    )
    assert selections(attempt)[short.pk] == correct_answer(short)
    assert sorted(selections(attempt)[multiple.pk]) == sorted(chosen)


# The attempt page without JavaScript ---------------------------------------------------------


def test_without_checking_there_is_no_check_button(learner_client, learner):
    assessment = checking_assessment(check_during_attempt=False)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    html = learner_client.get(attempt_url(attempt)).content.decode()
    assert "Check this answer" not in html and 'name="check_answer"' not in html


def test_each_question_the_academy_marks_has_a_check_button(learner_client, attempt):
    html = learner_client.get(attempt_url(attempt)).content.decode()
    *marked, essay = responses(attempt)
    for response in marked:
        assert f'name="check_answer" value="{response.pk}"' in html
    assert f'name="check_answer" value="{essay.pk}"' not in html
    assert "Once you check an answer, it is final: you cannot change it." in html
    # Enter in a text box presses the form's first button: the page's own, hidden, before any
    # question's check button.
    form = html.split("data-attempt-url", 1)[1]
    first = form.index('type="submit"')
    assert form[first:].startswith('type="submit" name="save" value="1" hidden>')
    assert first < form.index('name="check_answer"')


def test_checking_without_javascript_comes_back_at_the_feedback(learner_client, attempt):
    reveal_everything(attempt.assessment)
    single, multiple, short, matching, essay = responses(attempt)
    answers = {
        single.pk: wrong_answer(single),
        short.pk: correct_answer(short),
        essay.pk: ["My essay so far."],
    }
    response = learner_client.post(attempt_url(attempt), check_post(attempt, short, answers))
    assert response.status_code == 302
    assert response.url == f"{attempt_url(attempt)}#question-3-feedback"
    short.refresh_from_db()
    assert short.checked_at is not None and short.score == 1
    assert selections(attempt)[single.pk] == wrong_answer(single)  # saved, not checked
    assert selections(attempt)[essay.pk] == ["My essay so far."]

    html = learner_client.get(response.url).content.decode()
    assert "Your answer to question 3 has been checked and is now final." in html
    feedback = html.split('id="question-3-feedback"', 1)[1].split('id="question-4"', 1)[0]
    assert 'tabindex="-1"' in feedback.split(">", 1)[0]
    assert "Right: well done." in feedback
    assert "Mark: 1 of 1" in feedback
    assert 'data-check-result="Question 3 checked: right. Mark: 1 of 1 mark.' in feedback
    assert short.version.general_feedback in feedback
    # Read-only now: no field and no button for it; the others can still be answered.
    assert f'name="q{short.pk}"' not in html
    assert f'name="check_answer" value="{short.pk}"' not in html
    assert f'name="q{single.pk}"' in html and f'name="check_answer" value="{single.pk}"' in html


def test_checking_on_a_later_page_comes_back_to_that_page(learner_client, learner):
    attempt = services.start_attempt(
        user=learner, assessment=checking_assessment(questions_per_page=2)
    )
    short = responses(attempt)[2]  # page 2
    answers = {short.pk: wrong_answer(short)}
    response = learner_client.post(
        attempt_url(attempt), check_post(attempt, short, answers, page=2)
    )
    assert response.url == f"{attempt_url(attempt)}?page=2#question-3-feedback"
    html = learner_client.get(response.url).content.decode()
    assert "Not right." in html and "Not right this time." not in html


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unanswered", "Answer the question before checking it."),
        ("essay", "An essay is marked by an assessor after you submit"),
        ("on another page", "The question to check is not on this page."),
        ("not a question", "The question to check is not on this page."),
    ],
)
def test_a_refused_check_shows_the_page_again_with_the_reason(
    learner_client, learner, case, message
):
    attempt = services.start_attempt(
        user=learner, assessment=checking_assessment(questions_per_page=3)
    )
    single, multiple, short, matching, essay = responses(attempt)
    answers = {single.pk: correct_answer(single), short.pk: correct_answer(short)}
    target, page = single, 1
    if case == "unanswered":
        target = multiple
    elif case == "essay":
        target, page = essay, 2
        answers = {matching.pk: correct_answer(matching), essay.pk: ["An essay."]}
    elif case == "on another page":
        target, page = matching, 1
    before = state(attempt)
    data = check_post(attempt, target, answers, page=page)
    if case == "not a question":
        data["check_answer"] = "first"
    response = learner_client.post(attempt_url(attempt), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Nothing was saved." in html
    assert state(attempt) == before


def test_another_learners_attempt_cannot_be_checked(client, other_learner, attempt):
    single = responses(attempt)[0]
    client.force_login(other_learner)
    before = state(attempt)
    response = client.post(
        attempt_url(attempt),
        check_post(attempt, single, {single.pk: correct_answer(single)}),
    )
    assert response.status_code == 404
    assert state(attempt) == before


def test_a_submitted_attempt_cannot_be_checked(learner_client, attempt):
    single = responses(attempt)[0]
    services.submit_attempt(attempt=attempt)
    before = state(attempt)
    response = learner_client.post(
        attempt_url(attempt), check_post(attempt, single, {single.pk: correct_answer(single)})
    )
    assert response.url == result_url(attempt)
    assert state(attempt) == before


def test_a_check_after_the_deadline_goes_to_the_result(learner_client, learner):
    attempt = services.start_attempt(
        user=learner, assessment=checking_assessment(time_limit_minutes=20)
    )
    single = responses(attempt)[0]
    services.save_answers(attempt=attempt, answers={single.pk: wrong_answer(single)})
    run_out(attempt, seconds_ago=services.grace().total_seconds() + 60)
    response = learner_client.post(
        attempt_url(attempt), check_post(attempt, single, {single.pk: correct_answer(single)})
    )
    assert response.url == result_url(attempt)
    single.refresh_from_db()
    assert single.checked_at is None and single.selected == wrong_answer(single)
    assert single.score == 0


@pytest.mark.parametrize("how", ["form post", "autosave", "field added to the page"])
def test_a_checked_answer_cannot_be_changed_from_the_page(learner_client, attempt, how):
    single, multiple = responses(attempt)[:2]
    learner_client.post(
        attempt_url(attempt), check_post(attempt, single, {single.pk: wrong_answer(single)})
    )
    before = state(attempt)
    changed = {single.pk: correct_answer(single), multiple.pk: correct_answer(multiple)}
    if how == "autosave":
        response = learner_client.post(
            attempt_url(attempt), autosave_post(changed), HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 400
        assert response.json() == {
            "error": "Question 1 has been checked, so its answer cannot be changed."
        }
    else:
        data = answer_post(changed, submit=how == "form post")
        if how == "field added to the page":
            data["check_answer"] = str(single.pk)
        response = learner_client.post(attempt_url(attempt), data)
        assert response.status_code == 400
        assert "Question 1 has been checked, so its answer cannot be changed." in (
            response.content.decode()
        )
    assert state(attempt) == before


def test_saving_the_page_after_a_check_keeps_the_checked_answer(learner_client, attempt):
    single, multiple = responses(attempt)[:2]
    learner_client.post(
        attempt_url(attempt), check_post(attempt, single, {single.pk: correct_answer(single)})
    )
    # The page now has no field for question 1: its post leaves it out.
    data = answer_post({multiple.pk: correct_answer(multiple)}, submit=True)
    data["submit"] = "confirmed"  # the others are left unanswered on purpose
    assert learner_client.post(attempt_url(attempt), data).url == result_url(attempt)
    single.refresh_from_db()
    assert single.selected == correct_answer(single) and single.score == 1


# Queries -------------------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def checked_attempt(learner, count: int) -> Attempt:
    """An attempt of count questions of each kind with checking on, half of them checked."""
    questions = [QuestionFactory(kind=kind) for kind in KINDS for _ in range(count)]
    assessment = AssessmentFactory(questions=questions, check_during_attempt=True)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    for response in responses(attempt)[::2]:
        services.submit_answer(
            attempt=attempt,
            response_id=response.pk,
            answers={response.pk: correct_answer(response)},
        )
    return attempt


def test_checked_answers_add_no_queries_to_the_attempt_page(
    client, learner, other_learner, django_assert_max_num_queries
):
    small, large = checked_attempt(learner, 1), checked_attempt(other_learner, 10)
    client.force_login(learner)
    client.get(attempt_url(small))  # the first page fills the footer's cache
    few = queries_for(client, attempt_url(small))
    client.force_login(other_learner)
    assert queries_for(client, attempt_url(large)) == few
    # The session, the learner, whether they are staff (the header's Admin link) and which
    # organisations they manage (My organisation), the attempt, its questions with their
    # feedback, the adjustment.
    with django_assert_max_num_queries(7):
        client.get(attempt_url(large))
