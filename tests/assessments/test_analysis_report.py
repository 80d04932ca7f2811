"""Item analysis for trainers: the database read path, the admin page and its CSV downloads."""

import csv
import io
import math
import statistics
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academy import services as people
from assessments import services
from assessments.models import AssessmentQuestion, Attempt, QuestionKind, Response
from assessments.statistics import AttemptSelection, item_analysis
from tests.academy.factories import UserFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionBankFactory,
    QuestionFactory,
    correct_answer,
    draw,
    wrong_answer,
)
from tests.assessments.test_analysis import KNOWN, naive_shape
from tests.complaint_standards.factories import ExpectationFactory, PrincipleFactory

pytestmark = pytest.mark.django_db

# Six learners at three single-choice questions (1 = right): KNOWN, the data set worked by hand
# in test_analysis.py. Totals 3, 2, 2, 1, 1, 0.


@pytest.fixture
def three_questions(db):
    questions = [
        QuestionFactory(kind=QuestionKind.SINGLE_CHOICE, title=f"Question {n}") for n in "ABC"
    ]
    return AssessmentFactory(questions=questions, shuffle_options=False, pass_mark=50)


def sit(assessment, user, pattern, *, by="position") -> Attempt:
    """One submitted attempt: each question answered right (1) or with its first wrong option,
    the pattern given in the order the questions were shown, or slot by slot (by="slot":
    whichever question filled the slot and wherever it was shown)."""
    attempt = services.start_attempt(user=user, assessment=assessment)
    responses = attempt.responses.select_related("version").order_by(by)
    answers = {
        response.pk: correct_answer(response) if right else wrong_answer(response)
        for response, right in zip(responses, pattern, strict=True)
    }
    services.save_answers(attempt=attempt, answers=answers)
    return services.submit_attempt(attempt=attempt)


@pytest.fixture
def known(three_questions):
    for pattern in KNOWN:
        sit(three_questions, UserFactory(), pattern)
    return three_questions


# The statistics ---------------------------------------------------------------------------------


def test_the_hand_worked_data_set(known):
    result = item_analysis(assessment=known, attempts=AttemptSelection.ALL)
    summary = result.summary
    assert (summary.attempts, summary.learners, summary.max_points) == (6, 6, 3)
    assert (summary.mean, summary.median) == (1.5, 1.5)
    assert summary.sd == pytest.approx(math.sqrt(1.1))
    assert summary.alpha == pytest.approx(3 / 11)
    assert summary.sem == pytest.approx(math.sqrt(1.1 * 8 / 11))
    assert summary.group_size == 2

    first, second, third = result.questions
    assert [q.title for q in result.questions] == ["Question A", "Question B", "Question C"]
    assert [q.facility for q in result.questions] == [0.5, 0.5, 0.5]
    assert first.sd == pytest.approx(math.sqrt(0.3))
    assert first.discrimination_index == pytest.approx(100 / math.sqrt(3))
    assert first.discriminative_efficiency == pytest.approx(100)
    assert third.discrimination_index == pytest.approx(0, abs=1e-9)

    # Top third: totals 3 and 2 (of the two 2s, the later attempt); bottom: totals 0 and 1 (of the
    # two 1s, the earlier attempt). Question A was right in attempts 1-3, so the top third chose
    # its right option twice, the bottom third never.
    (version,) = first.versions
    assert (version.responses, version.top_responses, version.bottom_responses) == (6, 2, 2)
    right, distractor, unused = version.options
    assert right.correct and (right.chosen, right.top, right.bottom) == (3, 2, 0)
    assert (distractor.chosen, distractor.top, distractor.bottom) == (3, 0, 2)
    assert (unused.chosen, unused.share, unused.top_share) == (0, 0.0, 0.0)
    assert not distractor.draws_the_top_third

    # With every question fixed, each slot is its question.
    assert [slot.number for slot in result.slots] == [1, 2, 3]
    assert [slot.title for slot in result.slots] == ["Question A", "Question B", "Question C"]
    assert not any(slot.is_drawn for slot in result.slots) and not result.has_draws
    assert result.slots[0].discrimination_index == first.discrimination_index
    assert [slot.intended_weight for slot in result.slots] == [pytest.approx(100 / 3)] * 3
    # Covariances with the totals (3, 2, 2, 1, 1, 0), each Σ deviation products / 5: A right in
    # attempts 1-3 → (1.5 + 0.5 + 0.5) / 2 / 5 = 0.25; B in 1, 2, 4 → 0.15; C in 1, 3, 5 → 0.15.
    roots = [math.sqrt(0.25), math.sqrt(0.15), math.sqrt(0.15)]
    assert [slot.effective_weight for slot in result.slots] == pytest.approx(
        [100 * root / sum(roots) for root in roots]
    )
    assert [q.random_guess_score for q in result.questions] == [pytest.approx(1 / 3)] * 3
    assert summary.error_ratio == pytest.approx(100 * math.sqrt(8 / 11))
    assert (summary.skewness, summary.kurtosis) == pytest.approx(naive_shape([3, 2, 2, 1, 1, 0]))

    bands = {band.label: band.attempts for band in summary.bands}
    assert bands["0–9%"] == 1  # total 0
    assert bands["30–39%"] == 2  # 1 of 3 = 33.33%
    assert bands["60–69%"] == 2  # 66.67%
    assert bands["90–100%"] == 1


# Random draws: three places drawn from a bank of six ------------------------------------------


@pytest.fixture
def drawn(db):
    """Draw 3 of 6 (four single choice questions of three options, two true or false), with
    shuffled questions, taken by 90 learners: 15 times each KNOWN pattern, slot by slot."""
    bank = QuestionBankFactory()
    for n in range(6):
        kind = QuestionKind.TRUE_FALSE if n >= 4 else QuestionKind.SINGLE_CHOICE
        QuestionFactory(bank=bank, kind=kind, title=f"Bank question {n}")
    assessment = AssessmentFactory(questions=[draw(bank, 3)], shuffle_questions=True)
    for _ in range(15):
        for pattern in KNOWN:
            sit(assessment, UserFactory(), pattern, by="slot")
    return assessment


def direct_figures(pairs, max_mark=1):
    """Facility, SD, discrimination index and discriminative efficiency of (x, T) pairs, the
    long way."""
    xs = [x for x, _ in pairs]
    rest = [t - x for x, t in pairs]
    mean_x, mean_r = statistics.mean(xs), statistics.mean(rest)
    cov_max = sum(
        (x - mean_x) * (r - mean_r) for x, r in zip(sorted(xs), sorted(rest), strict=True)
    ) / (len(xs) - 1)
    return {
        "attempts": len(xs),
        "facility": mean_x / max_mark,
        "sd": statistics.stdev(xs),
        "discrimination_index": 100 * statistics.correlation(xs, rest),
        "discriminative_efficiency": 100 * statistics.covariance(xs, rest) / cov_max,
    }


def assert_figures(item, expected):
    for name, value in expected.items():
        assert getattr(item, name) == pytest.approx(value), name


def test_reliability_with_random_draws_is_worked_out_per_slot(drawn):
    result = item_analysis(assessment=drawn, attempts=AttemptSelection.ALL)
    summary = result.summary
    rows = list(
        Response.objects.filter(attempt__assessment=drawn).values_list(
            "attempt_id", "slot", "position", "version__question_id", "version__kind", "score"
        )
    )
    totals = {
        pk: float(points)
        for pk, points in Attempt.objects.filter(assessment=drawn).values_list("pk", "points")
    }
    assert len(totals) == 90 and len(rows) == 270
    # Shuffled: places and positions differ, so the figures below cannot come from positions.
    assert any(slot != position for _, slot, position, *_ in rows)

    by_slot, by_question, by_variant = defaultdict(list), defaultdict(list), defaultdict(list)
    guesses = defaultdict(list)
    for attempt_id, slot, _, question_id, kind, score in rows:
        pair = (float(score), totals[attempt_id])
        by_slot[slot].append(pair)
        by_question[question_id].append(pair)
        by_variant[slot, question_id].append(pair)
        # Single choice: one right option of three; true or false: one of two.
        guesses[slot].append(1 / 2 if kind == QuestionKind.TRUE_FALSE else 1 / 3)

    total_variance = statistics.variance(totals.values())
    question_variances = [statistics.variance(x for x, _ in p) for p in by_question.values()]
    old_alpha = 6 / 5 * (1 - sum(question_variances) / total_variance)
    assert len(by_question) == 6 and old_alpha < 0  # each bank question as an item: wrong

    slot_variances = [statistics.variance(x for x, _ in by_slot[n]) for n in (1, 2, 3)]
    alpha = 3 / 2 * (1 - sum(slot_variances) / total_variance)
    assert summary.slots == 3
    assert summary.alpha == pytest.approx(alpha) and summary.alpha == pytest.approx(3 / 11)
    assert summary.sem == pytest.approx(math.sqrt(total_variance) * math.sqrt(1 - alpha))
    assert summary.sem < summary.sd
    assert summary.error_ratio == pytest.approx(100 * summary.sem / summary.sd)
    assert (summary.skewness, summary.kurtosis) == pytest.approx(naive_shape(totals.values()))

    covariances = {
        n: statistics.covariance([x for x, _ in by_slot[n]], [t for _, t in by_slot[n]])
        for n in (1, 2, 3)
    }
    roots = sum(math.sqrt(c) for c in covariances.values())
    assert [slot.number for slot in result.slots] == [1, 2, 3]
    for slot in result.slots:
        assert slot.is_drawn
        assert_figures(slot, direct_figures(by_slot[slot.number]))
        assert slot.random_guess_score == pytest.approx(statistics.mean(guesses[slot.number]))
        assert slot.intended_weight == pytest.approx(100 / 3)
        assert slot.effective_weight == pytest.approx(
            100 * math.sqrt(covariances[slot.number]) / roots
        )
        number_of = {q.question_id: q.number for q in result.questions}
        assert {v.question_number for v in slot.variants} == {
            number_of[q] for s, q in by_variant if s == slot.number
        }
        for variant in slot.variants:
            question_id = result.questions[variant.question_number - 1].question_id
            pairs = by_variant[slot.number, question_id]
            if len({x for x, _ in pairs}) > 1:  # the correlation needs scores that vary
                assert_figures(variant, direct_figures(pairs))
            else:
                assert variant.attempts == len(pairs)

    for question in result.questions:
        assert_figures(question, direct_figures(by_question[question.question_id]))
        expected_guess = 1 / 2 if question.kind == QuestionKind.TRUE_FALSE else 1 / 3
        assert question.random_guess_score == pytest.approx(expected_guess)


def test_the_page_shows_the_drawn_places_and_the_new_figures(client, trainer, drawn):
    client.force_login(trainer)
    html = client.get(reverse("item_analysis", args=[drawn.pk]), {"attempts": "all"}).content
    html = html.decode()
    assert html.count("Drawn at random: one of") == 3
    assert "Place 1 filled by:" in html and "Bank question" in html
    assert "Each question, wherever it was drawn" in html
    for label in ("Skewness", "Kurtosis", "Error ratio", "Intended weight", "Effective weight"):
        assert label in html
    assert "Random guess score" in html and "33.3%" in html  # the intended weights
    assert "0.27" in html  # alpha over the three places, 3/11
    slots = read_csv(
        client.get(reverse("item_analysis_csv", args=[drawn.pk, "slots"]), {"attempts": "all"})
    )
    places = [row for row in slots[1:] if row[1] == ""]
    assert [row[0] for row in places] == ["1", "2", "3"]
    assert len(slots) - 1 - 3 == sum(1 for row in slots[1:] if row[1])  # a row per variant


def test_a_distractor_the_strong_choose_is_flagged(three_questions):
    # The first wrong option is chosen by the three best attempts on question C only.
    for pattern in ([1, 1, 0], [1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1], [0, 0, 1]):
        sit(three_questions, UserFactory(), pattern)
    result = item_analysis(assessment=three_questions, attempts=AttemptSelection.ALL)
    question_c = result.questions[2]
    assert question_c.discrimination_index == pytest.approx(-100)
    flagged = [
        option.text for option in question_c.versions[0].options if option.draws_the_top_third
    ]
    assert len(flagged) == 1


def test_unanswered_questions_are_counted_as_no_answer(three_questions):
    for _ in range(3):
        attempt = services.start_attempt(user=UserFactory(), assessment=three_questions)
        services.submit_attempt(attempt=attempt)
    result = item_analysis(assessment=three_questions, attempts=AttemptSelection.ALL)
    options = result.questions[0].versions[0].options
    assert [option.no_answer for option in options] == [False, False, False, True]
    assert options[-1].chosen == 3 and options[-1].share == 1
    assert result.summary.alpha is None  # everyone scored 0
    assert result.questions[0].discrimination_index is None


def test_the_attempt_selection_modes(three_questions):
    priya, tom = UserFactory(), UserFactory()
    sit(three_questions, priya, [1, 0, 0])  # first: 1
    sit(three_questions, priya, [1, 1, 1])  # highest: 3
    sit(three_questions, priya, [0, 0, 0])  # last: 0
    sit(three_questions, tom, [1, 1, 0])  # Tom's only attempt: 2

    def totals(attempts):
        result = item_analysis(assessment=three_questions, attempts=attempts)
        return result.summary.attempts, result.summary.mean

    assert totals(AttemptSelection.ALL) == (4, 1.5)
    assert totals(AttemptSelection.FIRST) == (2, 1.5)
    assert totals(AttemptSelection.LAST) == (2, 1.0)
    assert totals(AttemptSelection.HIGHEST) == (2, 2.5)
    with pytest.raises(ValueError):
        item_analysis(assessment=three_questions, attempts="average")


def test_only_submitted_attempts_count(three_questions):
    sit(three_questions, UserFactory(), [1, 1, 1])
    services.start_attempt(user=UserFactory(), assessment=three_questions)  # in progress
    waiting = sit(three_questions, UserFactory(), [0, 0, 0])
    # An attempt with answers still to be marked by a person ("marking").
    Attempt.objects.filter(pk=waiting.pk).update(status="marking")
    result = item_analysis(assessment=three_questions, attempts=AttemptSelection.ALL)
    assert result.summary.attempts == 1
    assert [question.attempts for question in result.questions] == [1, 1, 1]


def test_an_assessment_without_attempts(three_questions):
    result = item_analysis(assessment=three_questions, attempts=AttemptSelection.ALL)
    assert result.summary.attempts == 0
    assert result.summary.mean is None and result.summary.group_size == 0
    assert result.questions == []


def test_the_expectations_the_test_covers(three_questions):
    principle = PrincipleFactory(number=2)
    welcome = ExpectationFactory(principle=principle, number=1, text="Complaints are welcomed.")
    explain = ExpectationFactory(principle=principle, number=4, text="Decisions are explained.")
    first, second, _ = [slot.question for slot in three_questions.assessment_questions.all()]
    other = QuestionFactory()  # in no assessment
    # Expectations are a ParentalManyToManyField: saved with the question.
    for question, tags in ((first, [welcome, explain]), (second, [welcome]), (other, [explain])):
        question.expectations.add(*tags)
        question.save()
    result = item_analysis(assessment=three_questions, attempts=AttemptSelection.ALL)
    assert [(e.code, e.text, e.questions) for e in result.expectations] == [
        ("2.1", "Complaints are welcomed.", 2),
        ("2.4", "Decisions are explained.", 1),
    ]
    assert (result.assessment_questions, result.untagged_questions) == (3, 1)


def test_random_draws_count_towards_the_expectations_they_are_limited_to(three_questions):
    principle = PrincipleFactory(number=3)
    learning = ExpectationFactory(principle=principle, number=2, text="Lessons are learnt.")
    bank = QuestionBankFactory()
    AssessmentQuestion.objects.create(
        assessment=three_questions, bank=bank, expectation=learning, draw_count=2, sort_order=5
    )
    AssessmentQuestion.objects.create(
        assessment=three_questions, bank=bank, draw_count=4, sort_order=6
    )
    result = item_analysis(assessment=three_questions, attempts=AttemptSelection.ALL)
    assert [(e.code, e.questions, e.drawn) for e in result.expectations] == [("3.2", 0, 2)]
    assert (result.assessment_questions, result.untagged_questions) == (3, 3)
    assert result.drawn_untargeted == 4


@pytest.fixture
def with_a_draw(three_questions):
    """The three fixed questions and a fourth place drawn from a bank of three questions."""
    bank = QuestionBankFactory()
    for kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.TRUE_FALSE, QuestionKind.SHORT_ANSWER):
        QuestionFactory(bank=bank, kind=kind)
    AssessmentQuestion.objects.create(
        assessment=three_questions, bank=bank, draw_count=1, sort_order=9
    )
    return three_questions


def test_the_number_of_queries_does_not_grow_with_the_attempts(with_a_draw):
    def queries(attempts):
        with CaptureQueriesContext(connection) as captured:
            item_analysis(assessment=with_a_draw, attempts=attempts)
        return len(captured)

    for pattern in KNOWN[:3]:
        sit(with_a_draw, UserFactory(), [*pattern, 1], by="slot")
    few = {mode: queries(mode) for mode in AttemptSelection.values}
    for _ in range(3):
        for pattern in KNOWN:
            sit(with_a_draw, UserFactory(), [*pattern, 0], by="slot")
    many = {mode: queries(mode) for mode in AttemptSelection.values}
    assert item_analysis(assessment=with_a_draw).summary.attempts == 21
    assert few == many
    assert max(many.values()) <= 12


def test_the_page_and_its_downloads_run_a_fixed_number_of_queries(client, trainer, with_a_draw):
    client.force_login(trainer)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"attempts": "all"}).status_code == 200
        return len(captured)

    urls = [reverse("item_analysis", args=[with_a_draw.pk])] + [
        reverse("item_analysis_csv", args=[with_a_draw.pk, table])
        for table in ("slots", "questions", "options")
    ]
    for url in urls:  # the first request warms caches (the session, the menu)
        client.get(url)
    # Three attempts at least, so that the top and bottom thirds are looked up in both.
    for pattern in KNOWN[:3]:
        sit(with_a_draw, UserFactory(), [*pattern, 1], by="slot")
    few = [queries(url) for url in urls]
    for _ in range(4):
        for pattern in KNOWN:
            sit(with_a_draw, UserFactory(), [*pattern, pattern[0]], by="slot")
    many = [queries(url) for url in urls]
    # More than one question has filled the drawn place by now (one alone: 1 in 3^26).
    assert item_analysis(assessment=with_a_draw).has_draws
    assert few == many
    assert max(many) <= 25


# The admin pages --------------------------------------------------------------------------------


@pytest.fixture
def assessor(staff_groups):
    return UserFactory(groups=[people.ASSESSORS], mfa=True)


def test_a_trainer_sees_the_analysis_with_its_charts_and_tables(client, trainer, known):
    client.force_login(trainer)
    index = client.get(reverse("item_analysis_index")).content.decode()
    assert known.title in index
    assert reverse("item_analysis", args=[known.pk]) in index

    page = client.get(reverse("item_analysis", args=[known.pk]), {"attempts": "all"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "All attempts: 6 submitted attempts by 6 learners" in html
    assert "Question A" in html and "57.7%" in html  # Question A's discrimination index
    assert "0.27" in html  # Cronbach's alpha, 3/11
    assert "<svg" in html and 'aria-hidden="true"' in html  # bars, with the numbers as text
    assert reverse("item_analysis_csv", args=[known.pk, "questions"]) + "?attempts=all" in html


def test_the_attempts_shown_default_to_the_grading_method(client, trainer, known):
    client.force_login(trainer)
    url = reverse("item_analysis", args=[known.pk])
    # The factory's grading method is "highest".
    assert "Each learner&#x27;s highest-scoring attempt: 6" in client.get(url).content.decode()
    assert (
        "Each learner&#x27;s first attempt: 6"
        in client.get(url, {"attempts": "first"}).content.decode()
    )
    # A made-up choice is refused with a message and the default is shown.
    html = client.get(url, {"attempts": "average"}).content.decode()
    assert "Select a valid choice" in html
    assert "Each learner&#x27;s highest-scoring attempt: 6" in html


def test_the_menu_links_to_item_analysis_for_trainers_only(client, trainer, assessor):
    client.force_login(trainer)
    assert (
        reverse("item_analysis_index") in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    client.force_login(assessor)
    assert (
        reverse("item_analysis_index")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


@pytest.mark.parametrize("name", ["item_analysis_index", "item_analysis", "item_analysis_csv"])
def test_people_without_the_permission_are_turned_away(client, learner, assessor, known, name):
    args = {"item_analysis_index": [], "item_analysis": [known.pk]}.get(
        name, [known.pk, "questions"]
    )
    url = reverse(name, args=args)
    response = client.get(url)  # signed out: to the login page
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(learner)
    response = client.get(url)  # not in the admin at all: told it is for staff
    assert response.status_code == 403
    client.force_login(assessor)  # in the admin, but may not change assessments
    response = client.get(url)
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_an_unknown_assessment_or_table_is_not_found(client, trainer, known):
    client.force_login(trainer)
    assert client.get(reverse("item_analysis", args=[known.pk + 100])).status_code == 404
    assert client.get(reverse("item_analysis_csv", args=[known.pk, "learners"])).status_code == 404


# CSV --------------------------------------------------------------------------------------------


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_question_and_option_tables_download_as_csv(client, trainer, known):
    client.force_login(trainer)
    questions = read_csv(
        client.get(reverse("item_analysis_csv", args=[known.pk, "questions"]), {"attempts": "all"})
    )
    assert questions[0][:5] == ["Number", "Question", "Kind", "Attempts", "Facility index (%)"]
    assert questions[0][6] == "Random guess score (%)"
    assert questions[1] == [
        "1",
        "Question A",
        "Single choice",
        "6",
        "50.0",
        "54.77",
        "33.33",
        "57.74",
        "100.0",
    ]
    assert questions[3][7] == "0.0"
    slots = read_csv(
        client.get(reverse("item_analysis_csv", args=[known.pk, "slots"]), {"attempts": "all"})
    )
    assert slots[0][7:10] == [
        "Random guess score (%)",
        "Intended weight (%)",
        "Effective weight (%)",
    ]
    assert slots[1][:9] == [
        "1",
        "1",
        "Question A",
        "Single choice",
        "6",
        "50.0",
        "54.77",
        "33.33",
        "33.33",
    ]
    assert len(slots) == 1 + 3
    options = read_csv(
        client.get(reverse("item_analysis_csv", args=[known.pk, "options"]), {"attempts": "all"})
    )
    assert options[0][3:6] == ["Option", "Correct", "Chosen"]
    first_option = options[1]
    assert first_option[:2] == ["1", "Question A"]
    assert first_option[4:] == ["yes", "3", "50.0", "2", "100.0", "0", "0.0"]
    assert len(options) == 1 + 3 * 3  # three options for each of three questions


def test_csv_cells_cannot_become_formulas(client, trainer):
    question = QuestionFactory(
        title='=HYPERLINK("http://example.com")',
        options=[("+44 20 7946 0000", True, ""), ("@SUM(A1)", False, ""), ("-1", False, "")],
    )
    assessment = AssessmentFactory(questions=[question], shuffle_options=False)
    for right in (1, 0, 0):
        sit(assessment, UserFactory(), [right])
    client.force_login(trainer)
    questions = read_csv(
        client.get(reverse("item_analysis_csv", args=[assessment.pk, "questions"]))
    )
    assert questions[1][1] == '\'=HYPERLINK("http://example.com")'
    options = read_csv(client.get(reverse("item_analysis_csv", args=[assessment.pk, "options"])))
    assert [row[3] for row in options[1:]] == ["'+44 20 7946 0000", "'@SUM(A1)", "'-1"]


def test_a_superuser_sees_it_too(client, known):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, mfa=True))
    assert client.get(reverse("item_analysis", args=[known.pk])).status_code == 200
