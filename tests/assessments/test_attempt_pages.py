"""An attempt on pages: Previous and Next save the page; then check your answers and submit."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Attempt, QuestionKind
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    answer_post,
    correct_answer,
    correct_answers,
    selections,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


def paged_assessment(questions: int = 5, per_page: int = 2, **kwargs):
    assessment = AssessmentFactory(
        questions=[QuestionFactory() for _ in range(questions)], **kwargs
    )
    assessment.questions_per_page = per_page
    assessment.save()
    return assessment


@pytest.fixture
def attempt(learner):
    """Five questions, two a page: pages 1 (questions 1-2), 2 (3-4) and 3 (5)."""
    return services.start_attempt(user=learner, assessment=paged_assessment())


def attempt_url(attempt, page=None):
    url = reverse("assessments:attempt", args=[attempt.pk])
    return f"{url}?page={page}" if page is not None else url


def responses(attempt):
    return list(attempt.responses.select_related("version").order_by("position"))


def page_post(attempt, page, positions, *, answers=None, go=None, autosave=False):
    """What the form of a page posts: its page, its questions' answers and the button."""
    answers = answers or correct_answers(attempt)
    by_position = {r.position: r.pk for r in responses(attempt)}
    data = answer_post({by_position[p]: answers[by_position[p]] for p in positions}, submit=False)
    del data["save"]
    data["page"] = str(page)
    if autosave:
        data["autosave"] = "1"
    elif go is not None:
        data["go"] = str(go)
    else:
        data["save"] = "1"
    return data


def stems(html: str, attempt) -> list[int]:
    """The positions of the questions whose stems the page shows."""
    return [r.position for r in responses(attempt) if r.version.stem in html]


def test_each_page_shows_only_its_questions_with_where_the_learner_is(learner_client, attempt):
    first = learner_client.get(attempt_url(attempt)).content.decode()
    assert stems(first, attempt) == [1, 2]
    assert "Page 1 of 3" in first
    assert "(page 1 of 3) – PHSO Academy</title>" in first
    assert "Question 1 of 5" in first and "Question 2 of 5" in first
    assert '<input type="hidden" name="page" value="1">' in first
    assert 'name="go" value="2">Next page</button>' in first
    assert "Previous page" not in first
    assert 'name="submit"' not in first  # submitting is the check step's

    second = learner_client.get(attempt_url(attempt, 2)).content.decode()
    assert stems(second, attempt) == [3, 4]
    assert "Question 3 of 5" in second
    assert 'name="go" value="1">Previous page</button>' in second
    assert '<span class="academy-attempt-pages__current" aria-current="page">Page 2' in second

    last = learner_client.get(attempt_url(attempt, 3)).content.decode()
    assert stems(last, attempt) == [5]
    assert 'name="go" value="check">Check your answers</button>' in last
    assert "Next page" not in last


def test_a_page_out_of_range_shows_the_nearest_page(learner_client, attempt):
    assert stems(learner_client.get(attempt_url(attempt, 99)).content.decode(), attempt) == [5]
    assert stems(learner_client.get(attempt_url(attempt, "x")).content.decode(), attempt) == [1, 2]


def test_next_saves_only_the_posted_page_and_goes_on(learner_client, attempt):
    services.save_answers(attempt=attempt, answers=wrong_answers(attempt))
    wrong, right = wrong_answers(attempt), correct_answers(attempt)
    response = learner_client.post(attempt_url(attempt), page_post(attempt, 2, [3, 4], go=3))
    assert response.status_code == 302
    assert response.url == attempt_url(attempt, 3)
    saved = selections(attempt)
    for r in responses(attempt):
        assert saved[r.pk] == (right if r.position in (3, 4) else wrong)[r.pk]


def test_a_question_left_blank_on_the_page_is_unanswered_and_other_pages_keep_theirs(
    learner_client, attempt
):
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    response = learner_client.post(attempt_url(attempt), page_post(attempt, 2, [3], go=1))
    assert response.status_code == 302
    assert response.url == attempt_url(attempt, 1)
    saved = selections(attempt)
    for r in responses(attempt):
        assert bool(saved[r.pk]) == (r.position != 4)


def test_save_and_finish_later_stays_on_the_page(learner_client, attempt):
    response = learner_client.post(attempt_url(attempt), page_post(attempt, 3, [5]))
    assert response.url == attempt_url(attempt, 3)
    html = learner_client.get(response.url).content.decode()
    assert "Your answers have been saved." in html


def test_the_page_list_saves_and_goes_to_the_page_chosen(learner_client, attempt):
    response = learner_client.post(attempt_url(attempt), page_post(attempt, 1, [1, 2], go="3"))
    assert response.url == attempt_url(attempt, 3)
    assert all(selections(attempt)[r.pk] for r in responses(attempt)[:2])
    response = learner_client.post(attempt_url(attempt), page_post(attempt, 1, [1, 2], go="check"))
    assert response.url == attempt_url(attempt, "check")


def test_a_field_for_a_question_on_another_page_is_refused_and_saves_nothing(
    learner_client, attempt
):
    services.save_answers(attempt=attempt, answers=wrong_answers(attempt))
    before = selections(attempt)
    data = page_post(attempt, 1, [1, 2], go=2)
    third = responses(attempt)[2]
    data[f"q{third.pk}"] = correct_answer(third)
    response = learner_client.post(attempt_url(attempt), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The answers sent do not match the questions in this attempt." in html
    assert "Nothing was saved." in html
    assert stems(html, attempt) == [1, 2]  # the page posted, shown again
    assert selections(attempt) == before


def test_a_field_for_a_question_in_no_page_of_the_attempt_is_refused(
    learner_client, attempt, other_learner
):
    theirs = services.start_attempt(user=other_learner, assessment=attempt.assessment)
    before, theirs_before = selections(attempt), selections(theirs)
    data = page_post(attempt, 1, [1, 2], go=2)
    foreign = theirs.responses.first()
    data[f"q{foreign.pk}"] = [foreign.option_order[0]]
    response = learner_client.post(attempt_url(attempt), data)
    assert response.status_code == 400
    assert selections(attempt) == before
    assert selections(theirs) == theirs_before


def test_autosave_saves_the_page_it_came_from_only(learner_client, attempt):
    services.save_answers(attempt=attempt, answers=wrong_answers(attempt))
    wrong, right = wrong_answers(attempt), correct_answers(attempt)
    response = learner_client.post(
        attempt_url(attempt),
        page_post(attempt, 2, [3, 4], autosave=True),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert set(response.json()) == {"saved_at"}
    saved = selections(attempt)
    for r in responses(attempt):
        assert saved[r.pk] == (right if r.position in (3, 4) else wrong)[r.pk]

    # A field for a question on another page: refused, nothing saved.
    data = page_post(attempt, 2, [3, 4], answers=wrong, autosave=True)
    first = responses(attempt)[0]
    data[f"q{first.pk}"] = correct_answer(first)
    response = learner_client.post(attempt_url(attempt), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "error": "The answers sent do not match the questions in this attempt."
    }
    assert selections(attempt) == saved


def test_check_your_answers_lists_the_questions_not_answered_with_links_to_their_pages(
    learner_client, attempt
):
    answered = {r.pk: correct_answer(r) for r in responses(attempt) if r.position in (1, 4)}
    services.save_answers(attempt=attempt, answers=answered)
    html = learner_client.get(attempt_url(attempt, "check")).content.decode()
    assert "Check your answers: " in html  # the page title
    assert "You have answered 2 of 5 questions." in html
    base = attempt_url(attempt)
    for position, page in ((2, 1), (3, 2), (5, 3)):
        link = f'<a href="{base}?page={page}#question-{position}">Question {position}</a>'
        assert f"{link} on page {page}: not answered" in html
    assert "#question-1" not in html and "#question-4" not in html
    assert 'name="submit"' in html
    assert "correct" not in html.lower()
    # Each question's anchor is on its page.
    assert 'id="question-3"' in learner_client.get(attempt_url(attempt, 2)).content.decode()


def test_check_your_answers_says_when_everything_is_answered(learner_client, attempt):
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    html = learner_client.get(attempt_url(attempt, "check")).content.decode()
    assert "You have answered all 5 questions." in html
    assert "not answered" not in html


def test_a_matching_question_with_items_left_is_partly_answered(learner):
    assessment = AssessmentFactory(
        questions=[QuestionFactory(kind=QuestionKind.MATCHING), QuestionFactory()]
    )
    assessment.questions_per_page = 1
    assessment.save()
    attempt = services.start_attempt(user=learner, assessment=assessment)
    matching = responses(attempt)[0]
    answer = correct_answer(matching)
    first_item = next(iter(answer))
    services.save_answers(attempt=attempt, answers={matching.pk: {first_item: answer[first_item]}})
    states = [(s.position, s.page, s.label) for s in selectors.answer_states(attempt=attempt)]
    assert states == [(1, 1, "Partly answered"), (2, 2, "Not answered")]


def test_submitting_from_the_check_step_scores_every_page(learner_client, attempt):
    for page, positions in ((1, [1, 2]), (2, [3, 4]), (3, [5])):
        learner_client.post(attempt_url(attempt), page_post(attempt, page, positions, go=page + 1))
    response = learner_client.post(attempt_url(attempt), {"page": "check", "submit": "1"})
    assert response.status_code == 302
    assert response.url == reverse("assessments:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert (attempt.points, attempt.max_points, str(attempt.percent)) == (5, 5, "100.00")


def test_the_check_step_takes_no_answers(learner_client, attempt):
    first = responses(attempt)[0]
    response = learner_client.post(
        attempt_url(attempt),
        {"page": "check", "submit": "1", f"q{first.pk}": correct_answer(first)},
    )
    assert response.status_code == 400
    assert "Nothing was saved." in response.content.decode()
    attempt.refresh_from_db()
    assert not attempt.is_submitted
    assert not selections(attempt)[first.pk]


def test_an_assessment_on_one_page_has_no_pages_or_check_step(learner_client, learner):
    assessment = AssessmentFactory(questions=[QuestionFactory() for _ in range(3)])
    attempt = services.start_attempt(user=learner, assessment=assessment)
    html = learner_client.get(attempt_url(attempt)).content.decode()
    assert stems(html, attempt) == [1, 2, 3]
    assert "Page 1 of" not in html and "Next page" not in html and 'name="go"' not in html
    assert 'name="submit" value="1">Submit my answers</button>' in html
    response = learner_client.post(
        attempt_url(attempt), answer_post(correct_answers(attempt), submit=False)
    )
    assert response.url == attempt_url(attempt)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["1", "2", "check"])
def test_the_number_of_queries_does_not_grow_with_questions_or_pages(
    learner_client, learner, other_learner, page, django_assert_max_num_queries
):
    small = services.start_attempt(user=learner, assessment=paged_assessment(4, 2))
    large = services.start_attempt(user=learner, assessment=paged_assessment(40, 10))
    learner_client.get(attempt_url(small, page))  # the first page fills the footer's cache
    assert queries_for(learner_client, attempt_url(small, page)) == queries_for(
        learner_client, attempt_url(large, page)
    )
    # The session, the learner, whether they are staff (the header's Admin link) and which
    # organisations they manage (My organisation), the attempt, its questions (or answers'
    # states), the adjustment.
    with django_assert_max_num_queries(7):
        learner_client.get(attempt_url(large, page))


def test_the_page_form_posts_to_the_attempt_with_its_page_for_the_script(learner_client, attempt):
    html = learner_client.get(attempt_url(attempt, 2)).content.decode()
    form = re.search(r"<form method=\"post\"[^>]*data-attempt-url[^>]*>", html)[0]
    assert f'action="{attempt_url(attempt)}"' in form
    assert f'data-attempt-url="{attempt_url(attempt)}"' in form
