"""Autosave: the attempt page's script posts the form with autosave=1 and reads JSON back."""

import re
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import scoring, services
from assessments.models import Attempt, QuestionKind
from assessments.selectors import review
from assessments.services import answers
from assessments.services import attempts as attempt_services
from assessments.views import attempts as assessment_views
from tests.academy.factories import UserFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    answer_post,
    attempt_url,
    correct_answers,
    result_url,
    selections,
    wrong_answers,
)
from tests.assessments.steps import Steps

pytestmark = pytest.mark.django_db


def autosave_post(answers: dict) -> dict:
    """What the script sends: the whole form (no button pressed) and the marker."""
    data = answer_post(answers, submit=False)
    del data["save"]
    data["autosave"] = "1"
    return data


def autosave(client, attempt, data):
    return client.post(attempt_url(attempt), data, HTTP_ACCEPT="application/json")


def run_out(attempt, *, seconds_ago: float):
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=seconds_ago)
    )


def past_the_grace() -> float:
    return services.grace().total_seconds() + 60


def test_an_autosave_stores_the_answers_and_says_when_in_uk_time(learner_client, attempt):
    before = timezone.localtime()
    response = autosave(learner_client, attempt, autosave_post(correct_answers(attempt)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"saved_at"}  # nothing about the answers comes back
    assert re.fullmatch(r"\d\d:\d\d", body["saved_at"])
    after = timezone.localtime()
    assert body["saved_at"] in {before.strftime("%H:%M"), after.strftime("%H:%M")}
    assert selections(attempt) == correct_answers(attempt)
    attempt.refresh_from_db()
    assert not attempt.is_submitted


def test_an_autosave_sent_url_encoded_as_the_script_sends_it_stores_every_kind(
    learner_client, learner
):
    kinds = [kind for kind in QuestionKind if kind != QuestionKind.ESSAY]
    assessment = AssessmentFactory(questions=[QuestionFactory(kind=kind) for kind in kinds])
    attempt = services.start_attempt(user=learner, assessment=assessment)
    answers = correct_answers(attempt)
    response = learner_client.post(
        attempt_url(attempt),
        urlencode(autosave_post(answers), doseq=True),
        content_type="application/x-www-form-urlencoded;charset=UTF-8",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert set(response.json()) == {"saved_at"}
    stored = {
        r.pk: services.validated_answer(response=r, answer=answers[r.pk])
        for r in attempt.responses.select_related("version")
    }
    assert selections(attempt) == stored and all(stored.values())


def test_an_autosave_never_submits_even_with_the_submit_field(learner_client, attempt):
    data = autosave_post(correct_answers(attempt))
    data["submit"] = "1"
    response = autosave(learner_client, attempt, data)
    assert response.status_code == 200
    attempt.refresh_from_db()
    assert not attempt.is_submitted


def test_an_answer_that_does_not_belong_changes_nothing_and_gets_the_forms_message(
    learner_client, attempt
):
    autosave(learner_client, attempt, autosave_post(wrong_answers(attempt)))
    saved = selections(attempt)
    data = autosave_post(correct_answers(attempt))
    first = next(iter(correct_answers(attempt)))
    data[f"q{first}"] = ["not-an-option"]
    response = autosave(learner_client, attempt, data)
    assert response.status_code == 400
    assert response.json() == {"error": "An answer names an option that is not in its question."}
    assert selections(attempt) == saved

    # The same tampered post without the script gets the same message in the page.
    del data["autosave"]
    data["save"] = "1"
    page = learner_client.post(attempt_url(attempt), data)
    assert page.status_code == 400
    assert "An answer names an option that is not in its question." in page.content.decode()
    assert selections(attempt) == saved


def test_a_field_for_a_question_outside_the_attempt_is_refused(learner_client, attempt):
    saved = selections(attempt)
    data = autosave_post(correct_answers(attempt))
    data["q999999"] = ["a"]
    response = autosave(learner_client, attempt, data)
    assert response.status_code == 400
    assert response.json() == {"error": services.MISMATCH}
    assert selections(attempt) == saved


def test_another_learners_attempt_is_not_found(client, attempt, other_learner):
    saved = selections(attempt)
    client.force_login(other_learner)
    response = autosave(client, attempt, autosave_post(correct_answers(attempt)))
    assert response.status_code == 404
    assert selections(attempt) == saved


def test_a_signed_out_visitor_is_sent_to_sign_in_and_nothing_is_saved(client, attempt):
    response = autosave(client, attempt, autosave_post(correct_answers(attempt)))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert all(not selected for selected in selections(attempt).values())


def test_an_autosave_needs_the_csrf_token(learner, attempt):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    data = autosave_post(correct_answers(attempt))
    assert autosave(client, attempt, data).status_code == 403
    assert all(not selected for selected in selections(attempt).values())

    # The page's form carries the token; the script sends it with the form.
    html = client.get(attempt_url(attempt)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = autosave(client, attempt, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert selections(attempt) == correct_answers(attempt)


def test_an_autosave_in_the_grace_after_the_deadline_is_kept(learner_client, attempt):
    run_out(attempt, seconds_ago=5)
    response = autosave(learner_client, attempt, autosave_post(correct_answers(attempt)))
    assert response.status_code == 200
    assert selections(attempt) == correct_answers(attempt)


def test_after_time_up_the_attempt_is_finalised_and_the_page_is_sent_to_the_result(
    learner_client, attempt
):
    autosave(learner_client, attempt, autosave_post(wrong_answers(attempt)))
    run_out(attempt, seconds_ago=past_the_grace())
    response = autosave(learner_client, attempt, autosave_post(correct_answers(attempt)))
    assert response.status_code == 409
    body = response.json()
    assert set(body) == {"error", "redirect"}
    assert body["redirect"] == result_url(attempt)
    assert body["error"].startswith("Your time ran out at ")
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted
    assert selections(attempt) == wrong_answers(attempt)  # the answers saved in time
    html = learner_client.get(body["redirect"]).content.decode()
    assert "Your time ran out" in html


def test_time_up_found_while_saving_also_finalises(learner_client, attempt, monkeypatch):
    """The save's own check finds the time up, whatever the attempt page's would say: the
    autosave reads the attempt only under its lock."""
    autosave(learner_client, attempt, autosave_post(wrong_answers(attempt)))
    run_out(attempt, seconds_ago=past_the_grace())
    monkeypatch.setattr(assessment_views.services, "finalise_if_overdue", lambda **kw: False)
    response = autosave(learner_client, attempt, autosave_post(correct_answers(attempt)))
    assert response.status_code == 409
    assert response.json()["redirect"] == result_url(attempt)
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted
    assert selections(attempt) == wrong_answers(attempt)


def test_a_submitted_attempt_refuses_an_autosave(learner_client, attempt):
    learner_client.post(attempt_url(attempt), answer_post(wrong_answers(attempt), submit=True))
    attempt.refresh_from_db()
    assert attempt.is_submitted
    response = autosave(learner_client, attempt, autosave_post(correct_answers(attempt)))
    assert response.status_code == 409
    assert response.json() == {
        "error": "This attempt has already been submitted.",
        "redirect": result_url(attempt),
    }
    assert selections(attempt) == wrong_answers(attempt)


def test_an_attempt_submitted_from_another_tab_during_the_save_refuses(
    learner_client, attempt, monkeypatch
):
    """Submitted after the autosave arrived, before the save takes the attempt's lock."""
    while_open = attempt_services._while_open

    def submitted_meanwhile(open_attempt, work, **kwargs):
        monkeypatch.setattr(attempt_services, "_while_open", while_open)
        services.submit_attempt(attempt=Attempt.objects.get(pk=open_attempt.pk))
        return while_open(open_attempt, work, **kwargs)

    monkeypatch.setattr(attempt_services, "_while_open", submitted_meanwhile)
    response = autosave(learner_client, attempt, autosave_post(correct_answers(attempt)))
    assert response.status_code == 409
    assert response.json()["redirect"] == result_url(attempt)
    assert all(not selected for selected in selections(attempt).values())


def test_the_page_gives_its_script_the_servers_deadline_and_clock(learner_client, attempt):
    html = learner_client.get(attempt_url(attempt)).content.decode()
    assert re.search(r'<script src="/static/academy/attempt\.js" defer></script>', html)
    deadline = re.search(r'data-deadline="([^"]+)"', html).group(1)
    now = re.search(r'data-server-now="([^"]+)"', html).group(1)
    grace = re.search(r'data-grace-seconds="(\d+)"', html).group(1)
    parsed = datetime.fromisoformat(deadline)
    assert abs((parsed - attempt.deadline).total_seconds()) < 1
    assert abs((datetime.fromisoformat(now) - timezone.now()).total_seconds()) < 5
    assert int(grace) == services.grace().total_seconds()
    assert f'data-attempt-url="{attempt_url(attempt)}"' in html
    assert re.search(r'<p class="academy-autosave-status" role="status"[^>]*></p>', html)


def test_an_untimed_attempt_gives_no_deadline(learner_client, course_tree, learner):
    attempt = services.start_attempt(user=learner, assessment=course_tree.assessment)
    html = learner_client.get(attempt_url(attempt)).content.decode()
    assert "data-deadline" not in html
    assert "data-time-announcer" not in html
    assert "data-autosave-status" in html


# The worst answers a learner can send are bounded work ----------------------------------------

WORST_ACCEPTED = [
    "*" + "a*" * 248 + "b*",  # a star between every letter, and a b that is not there
    "*" + "a" * 497 + "b*",  # a long piece that fails only at its last letter
    "*" + "ab" * 249 + "*",  # a piece that repeats itself
    "a*" * 250,  # the one that matches, after 250 pieces
]


def worst_attempt(learner, items: int):
    """An attempt at a short answer whose accepted answers are the hardest to match, of the
    longest length an option may have, and an ordering question of `items` items."""
    short = QuestionFactory(
        kind=QuestionKind.SHORT_ANSWER,
        options=[{"text": text, "is_correct": True} for text in WORST_ACCEPTED],
    )
    ordering = QuestionFactory(
        kind=QuestionKind.ORDERING, options=[{"text": f"Step {n}"} for n in range(items)]
    )
    assessment = AssessmentFactory(questions=[short, ordering], shuffle_options=False)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    responses = {r.version.kind: r for r in attempt.responses.select_related("version")}
    return attempt, responses["short"], responses["ordering"]


def steps_for_the_worst_answers(learner, items: int) -> int:
    """The lines run in reading, scoring and reviewing answers (and the attempt view) to send the
    worst answers we know through autosave, submit and the result page."""
    client = Client()
    client.force_login(learner)
    attempt, short, ordering = worst_attempt(learner, items)
    authored = [option["key"] for option in ordering.version.options]
    reverse_order = {key: str(items - n) for n, key in enumerate(authored)}
    worst = {short.pk: ["a" * 500], ordering.pk: reverse_order}
    refused = [
        {ordering.pk: {key: "1" for key in ordering.option_order}},  # one place for all
        {ordering.pk: {**reverse_order, "deadbeef": "1"}},  # an item of no question
        {ordering.pk: {key: "9" * 1000 for key in ordering.option_order}},  # no such place
        {short.pk: ["a" * 501]},  # too long to keep
    ]
    with Steps(scoring, answers, review, assessment_views) as steps:
        for answer in refused:
            response = autosave(client, attempt, autosave_post(answer))
            assert response.status_code == 400
        assert autosave(client, attempt, autosave_post(worst)).status_code == 200
        client.post(attempt_url(attempt), answer_post(worst, submit=True))
        assert client.get(result_url(attempt)).status_code == 200
    short.refresh_from_db()
    assert short.score == 1  # "a*" × 250 accepts it
    ordering.refresh_from_db()
    assert ordering.score == 0  # every item in reverse: no neighbours in order
    return steps.count


def test_the_worst_short_and_ordering_answers_cost_work_in_proportion_to_their_size(
    learner, other_learner
):
    """Counted, not timed. The longest answer a learner may type ("a" × 500) against the
    accepted answers above costs a few lines per character of each (a matcher that went back
    over the answer would run about 125,000 per accepted answer); each item more to put in order
    costs the same few lines more, however many there are already."""
    third_learner = UserFactory()
    counts = {
        items: steps_for_the_worst_answers(person, items)
        for items, person in [(10, learner), (55, other_learner), (100, third_learner)]
    }
    typed = 500 * len(WORST_ACCEPTED) + sum(len(text) for text in WORST_ACCEPTED)
    assert counts[10] <= 2 * 8 * typed + 5000, counts
    # (100 items is the most a question may have: ACADEMY_QUESTION_MAX_OPTIONS.)
    first, second = counts[55] - counts[10], counts[100] - counts[55]
    assert first <= 100 * 45 and second <= 100 * 45, counts
    assert second <= 1.2 * first, counts  # the same again for as many items more
