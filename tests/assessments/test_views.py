"""The attempt and result pages as a learner uses them."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Attempt, Choice
from assessments.signals import attempt_submitted
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    answer_post,
    attempt_url,
    correct_answers,
    result_url,
    reveal_everything,
    selections,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(course_tree, learner):
    return services.start_attempt(user=learner, assessment=course_tree.assessment)


@pytest.fixture
def others_attempt(course_tree, other_learner):
    return services.start_attempt(user=other_learner, assessment=course_tree.assessment)


def test_the_attempt_page_shows_questions_and_options_but_nothing_about_the_answers(
    learner_client, attempt, course_tree
):
    response = learner_client.get(attempt_url(attempt))
    assert response.status_code == 200
    html = response.content.decode()
    choices = Choice.objects.filter(question__in=course_tree.questions)
    for question in course_tree.questions:
        assert question.stem in html
        assert question.general_feedback not in html
    for choice in choices:
        assert choice.text in html
        assert choice.feedback not in html
    assert "correct" not in html.lower()
    assert "is_correct" not in html
    # Each option is sent only as its opaque key.
    for r in attempt.responses.all():
        for key in r.option_order:
            assert f'value="{key}"' in html


def test_options_with_markup_in_them_are_shown_as_text(learner_client, learner):
    markup = "<b onmouseover=\"steal()\">Apologise & 'explain'</b>"
    shown = "&lt;b onmouseover=&quot;steal()&quot;&gt;Apologise &amp; &#x27;explain&#x27;&lt;/b&gt;"
    single = QuestionFactory(options=[(markup, True, ""), ("Ignore it", False, "")])
    multiple = QuestionFactory(
        kind="multiple", options=[(markup, True, ""), ("Log it", True, ""), ("No", False, "")]
    )
    matching = QuestionFactory(
        kind="matching",
        options=[
            {"text": markup, "match_text": f"{markup} first"},
            {"text": "Second stage", "match_text": "Review"},
        ],
    )
    attempt = services.start_attempt(
        user=learner, assessment=AssessmentFactory(questions=[single, multiple, matching])
    )
    html = learner_client.get(attempt_url(attempt)).content.decode()
    assert "<b " not in html
    # The radio's and the checkbox's labels, the matching item's label, and the match in the
    # select of each of its two items.
    assert html.count(shown) == 5
    assert f"{shown} first</option>" in html


def test_options_are_shown_in_the_attempts_frozen_order(learner_client, attempt):
    html = learner_client.get(attempt_url(attempt)).content.decode()
    for r in attempt.responses.select_related("version"):
        positions = [html.index(f'value="{key}"') for key in r.option_order]
        assert positions == sorted(positions)


def test_after_submission_the_result_shows_the_feedback_for_chosen_options(learner_client, attempt):
    reveal_everything(attempt.assessment)
    answers = wrong_answers(attempt)
    response = learner_client.post(attempt_url(attempt), answer_post(answers, submit=True))
    assert response.status_code == 302
    assert response.url == result_url(attempt)
    html = learner_client.get(result_url(attempt)).content.decode()
    assert re.search(r"You scored 0(\.0+)?%", html)
    assert "you did not pass this time" in html
    assert "(correct answer)" in html
    for r in attempt.responses.select_related("version"):
        by_key = {o["key"]: o for o in r.version.options}
        chosen = answers[r.pk][0]
        assert by_key[chosen]["feedback"] in html
        assert r.version.general_feedback in html


def test_saving_keeps_answers_and_shows_them_again(learner_client, attempt):
    answers = correct_answers(attempt)
    response = learner_client.post(attempt_url(attempt), answer_post(answers, submit=False))
    assert response.status_code == 302
    assert response.url == attempt_url(attempt)
    assert selections(attempt) == answers
    attempt.refresh_from_db()
    assert not attempt.is_submitted
    html = learner_client.get(attempt_url(attempt)).content.decode()
    assert "Your answers have been saved." in html
    for keys in answers.values():
        for key in keys:
            assert f'value="{key}" checked' in html


def test_submitting_full_marks_shows_a_pass(learner_client, attempt):
    learner_client.post(attempt_url(attempt), answer_post(correct_answers(attempt), submit=True))
    attempt.refresh_from_db()
    assert attempt.passed is True
    assert attempt.percent == Decimal("100.00")
    html = learner_client.get(result_url(attempt)).content.decode()
    assert re.search(r"You scored 100(\.0+)?%", html)
    assert "you passed" in html


def test_a_field_for_another_attempts_question_is_refused_and_changes_nothing(
    learner_client, attempt, others_attempt
):
    before, others_before = selections(attempt), selections(others_attempt)
    foreign = others_attempt.responses.first()
    data = answer_post(correct_answers(attempt), submit=True)
    data[f"q{foreign.pk}"] = [foreign.option_order[0]]
    response = learner_client.post(attempt_url(attempt), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The answers sent do not match the questions in this attempt." in html
    assert selections(attempt) == before
    assert selections(others_attempt) == others_before
    attempt.refresh_from_db()
    assert not attempt.is_submitted


def test_an_injected_option_key_is_refused_and_changes_nothing(learner_client, attempt):
    before = selections(attempt)
    first, second, _third = attempt.responses.order_by("position")
    answers = correct_answers(attempt)
    answers[first.pk] = [second.option_order[0]]  # an option of another question
    response = learner_client.post(attempt_url(attempt), answer_post(answers, submit=True))
    assert response.status_code == 400
    assert "Nothing was saved." in response.content.decode()
    assert selections(attempt) == before
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS


def test_a_learner_cannot_see_another_learners_attempt_or_result(
    client, learner, other_learner, course_tree
):
    theirs = services.start_attempt(user=other_learner, assessment=course_tree.assessment)
    client.force_login(learner)
    assert client.get(attempt_url(theirs)).status_code == 404
    before = selections(theirs)
    assert client.post(attempt_url(theirs), answer_post({}, submit=True)).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_submitted
    assert selections(theirs) == before

    services.submit_attempt(attempt=theirs)
    assert client.get(result_url(theirs)).status_code == 404


def test_a_missing_attempt_and_another_learners_attempt_look_the_same(
    learner_client, others_attempt
):
    missing = learner_client.get(reverse("assessments:attempt", args=[others_attempt.pk + 999]))
    theirs = learner_client.get(attempt_url(others_attempt))
    assert missing.status_code == theirs.status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, attempt):
    response = client.get(attempt_url(attempt))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_submitting_twice_gives_one_scored_attempt(learner_client, attempt, learner):
    announced = []

    def receiver(sender, attempt, **kwargs):
        announced.append(attempt.pk)

    attempt_submitted.connect(receiver, dispatch_uid="test-double-submit")
    try:
        data = answer_post(correct_answers(attempt), submit=True)
        first = learner_client.post(attempt_url(attempt), data)
        scored_at = Attempt.objects.get(pk=attempt.pk).submitted_at
        second = learner_client.post(attempt_url(attempt), answer_post({}, submit=True))
    finally:
        attempt_submitted.disconnect(dispatch_uid="test-double-submit")
    assert first.status_code == second.status_code == 302
    assert second.url == result_url(attempt)
    assert announced == [attempt.pk]
    assert Attempt.objects.filter(user=learner).count() == 1
    attempt.refresh_from_db()
    assert attempt.submitted_at == scored_at
    assert attempt.percent == Decimal("100.00")


def test_an_open_attempts_result_page_sends_the_learner_back_to_the_questions(
    learner_client, attempt
):
    response = learner_client.get(result_url(attempt))
    assert response.status_code == 302
    assert response.url == attempt_url(attempt)


# Other kinds of question --------------------------------------------------------------------------

NEW_KINDS = ["truefalse", "short", "numerical", "matching", "ordering"]


@pytest.fixture
def kinds_attempt(learner):
    """One attempt with a question of every new kind, in NEW_KINDS order."""
    questions = [QuestionFactory(kind=kind) for kind in NEW_KINDS]
    assessment = AssessmentFactory(questions=questions)
    return services.start_attempt(user=learner, assessment=assessment), questions


def test_no_kind_of_question_gives_away_its_answer_before_submission(learner_client, kinds_attempt):
    attempt, questions = kinds_attempt
    html = learner_client.get(attempt_url(attempt)).content.decode()
    assert "correct" not in html.lower()
    assert " selected" not in html and " checked" not in html
    for question in questions:
        assert question.stem in html
        assert question.general_feedback not in html
        for choice in question.choices.all():
            if choice.feedback:
                assert choice.feedback not in html
    by_kind = {r.version.kind: r for r in attempt.responses.select_related("version")}

    # True or false: two radios with opaque keys.
    tf = by_kind["truefalse"]
    assert html.count(f'name="q{tf.pk}" type="radio"') == 2

    # Typed answers: a labelled text box and no accepted answer anywhere in the page.
    for kind in ("short", "numerical"):
        response = by_kind[kind]
        assert f'<label class="nhsuk-label nhsuk-label--m" for="q{response.pk}">' in html
        assert f'id="q{response.pk}" name="q{response.pk}" type="text" value=""' in html
    for option in by_kind["short"].version.options:
        assert option["text"] not in html
    for option in by_kind["numerical"].version.options:
        assert f">{option['value']}<" not in html and f'"{option["value"]}"' not in html

    # Matching and ordering: one labelled select per item, each offering the same choices in
    # the same (frozen) order, so nothing in a row points at its answer.
    for kind in ("matching", "ordering"):
        response = by_kind[kind]
        selects = re.findall(
            rf'<label class="nhsuk-label" for="q{response.pk}-(\w+)">[^<]*</label>\s*'
            rf'<select class="nhsuk-select" id="q{response.pk}-\1" name="q{response.pk}-\1">'
            r"(.*?)</select>",
            html,
            re.S,
        )
        assert len(selects) == (3 if kind == "matching" else 4)
        assert len({body for _key, body in selects}) == 1
    matching = by_kind["matching"]
    rights = [o for o in matching.version.options if o["side"] == "right"]
    body = selects_body = re.search(rf'name="q{matching.pk}-\w+">(.*?)</select>', html, re.S)[1]
    assert [o["key"] for o in rights if f'value="{o["key"]}"' in body] == [o["key"] for o in rights]
    positions = [selects_body.index(f'value="{key}"') for key in matching.option_order[3:]]
    assert positions == sorted(positions)
    ordering = by_kind["ordering"]
    assert "Position 4" in html
    # Items appear in the frozen shuffled order, which is never the right one.
    texts = {o["key"]: o["text"] for o in ordering.version.options}
    places = [html.index(f">{texts[key]}</label>") for key in ordering.option_order]
    assert places == sorted(places)


def test_every_kind_saves_shows_again_and_scores_through_the_page(learner_client, kinds_attempt):
    attempt, _questions = kinds_attempt
    answers = correct_answers(attempt)
    response = learner_client.post(attempt_url(attempt), answer_post(answers, submit=False))
    assert response.status_code == 302
    html = learner_client.get(attempt_url(attempt)).content.decode()
    by_kind = {r.version.kind: r for r in attempt.responses.select_related("version")}
    short, numerical = by_kind["short"], by_kind["numerical"]
    assert f'value="{answers[short.pk][0]}"' in html
    assert f'value="{answers[numerical.pk][0]}"' in html
    assert html.count(" selected>") == 3 + 4

    learner_client.post(attempt_url(attempt), answer_post(answers, submit=True))
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("100.00")


def test_the_result_shows_each_kinds_answer_right_answer_and_feedback(
    learner_client, kinds_attempt
):
    attempt, _questions = kinds_attempt
    reveal_everything(attempt.assessment)
    by_kind = {r.version.kind: r for r in attempt.responses.select_related("version")}
    answers = wrong_answers(attempt)
    # An answer worth part marks, typed in lower case with extra spaces, has its own feedback.
    part = by_kind["short"].version.options[2]["text"]
    answers[by_kind["short"].pk] = ["  " + part.lower().replace(" ", "   ")]
    learner_client.post(attempt_url(attempt), answer_post(answers, submit=True))
    html = learner_client.get(result_url(attempt)).content.decode()

    short = by_kind["short"].version.options
    assert "Your answer" in html and "Correct answers" in html
    assert f"{short[0]['text']}; {short[1]['text']}" in html
    assert short[2]["feedback"] in html
    assert short[0]["feedback"] not in html
    assert "Mark: 0.5 of 1 mark" in html

    numerical = by_kind["numerical"].version.options
    assert "-999" in html
    right = f'Correct answer</dt><dd class="nhsuk-summary-list__value">{numerical[0]["value"]}'
    assert right in html

    for kind in ("matching", "ordering"):
        for option in by_kind[kind].version.options:
            if option.get("feedback"):
                assert option["feedback"] in html
    matching = {o["key"]: o for o in by_kind["matching"].version.options}
    for left in (o for o in matching.values() if o["side"] == "left"):
        assert left["text"] in html
        assert matching[left["match"]]["text"] in html
    assert "Correct position" in html and "Your match" in html
    assert "(not correct)" in html
    assert "Remark F" in html  # the feedback on "False", the option chosen


@pytest.mark.parametrize(
    ("kind", "tamper"),
    [
        ("truefalse", lambda r, data: data.update({f"q{r.pk}": r.option_order})),
        ("short", lambda r, data: data.update({f"q{r.pk}": ["one", "two"]})),
        ("numerical", lambda r, data: data.update({f"q{r.pk}": "lots"})),
        ("matching", lambda r, data: data.update({f"q{r.pk}-{r.option_order[0]}": "deadbeef"})),
        ("matching", lambda r, data: data.update({f"q{r.pk}-deadbeef": r.option_order[-1]})),
        ("matching", lambda r, data: data.update({f"q{r.pk}-{r.option_order[0]}": ["a", "b"]})),
        ("ordering", lambda r, data: data.update({f"q{r.pk}-{r.option_order[0]}": "0"})),
        # Two items in the same place.
        (
            "ordering",
            lambda r, data: data.update(
                {f"q{r.pk}-{r.option_order[1]}": data[f"q{r.pk}-{r.option_order[0]}"]}
            ),
        ),
    ],
)
def test_tampered_or_impossible_answers_of_each_kind_are_refused_and_change_nothing(
    learner_client, kinds_attempt, kind, tamper
):
    attempt, _questions = kinds_attempt
    services.save_answers(attempt=attempt, answers=wrong_answers(attempt))
    before = selections(attempt)
    responses = attempt.responses.select_related("version")
    response = next(r for r in responses if r.version.kind == kind)
    data = answer_post(correct_answers(attempt), submit=True)
    tamper(response, data)
    page = learner_client.post(attempt_url(attempt), data)
    assert page.status_code == 400
    assert "Nothing was saved." in page.content.decode()
    assert selections(attempt) == before
    attempt.refresh_from_db()
    assert not attempt.is_submitted
