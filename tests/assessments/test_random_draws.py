"""Random draws from question banks, and shuffled questions, when an attempt starts."""

from collections import Counter

import pytest
from django.urls import reverse

from academy import services as people
from assessments import services
from assessments.models import AssessmentQuestion, Attempt, Question, Response
from tests.academy.factories import UserFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionBankFactory,
    QuestionFactory,
    correct_answers,
    draw,
    essay_question,
)
from tests.complaint_standards.factories import ExpectationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    return QuestionBankFactory(name="Investigating complaints")


@pytest.fixture
def expectation():
    return ExpectationFactory()


def tagged(question, *expectations):
    # Expectations are a ParentalManyToManyField: saved with the question.
    question.expectations.add(*expectations)
    question.save()
    return question


def given_questions(attempt) -> list[int]:
    return [
        r.version.question_id
        for r in attempt.responses.select_related("version").order_by("position")
    ]


def slots_of(assessment):
    return list(assessment.assessment_questions.select_related("question").order_by("sort_order"))


def test_a_draw_gives_that_many_different_questions_from_its_bank(bank, learner):
    in_bank = {QuestionFactory(bank=bank).pk for _ in range(6)}
    elsewhere = QuestionFactory()  # another bank
    assessment = AssessmentFactory(questions=[draw(bank, 4)])
    attempt = services.start_attempt(user=learner, assessment=assessment)
    given = given_questions(attempt)
    assert len(given) == len(set(given)) == 4
    assert set(given) <= in_bank
    assert elsewhere.pk not in given
    assert attempt.max_points == 4
    assert list(attempt.responses.values_list("position", flat=True)) == [1, 2, 3, 4]


def test_a_tagged_draw_gives_only_questions_tagged_with_its_expectation(bank, expectation, learner):
    wanted = {tagged(QuestionFactory(bank=bank), expectation).pk for _ in range(3)}
    for _ in range(5):
        tagged(QuestionFactory(bank=bank), ExpectationFactory())
    QuestionFactory(bank=bank)  # untagged
    tagged(QuestionFactory(), expectation)  # tagged, but in another bank
    assessment = AssessmentFactory(questions=[draw(bank, 2, expectation)], max_attempts=None)
    for _ in range(10):
        attempt = services.start_attempt(user=UserFactory(), assessment=assessment)
        given = given_questions(attempt)
        assert len(set(given)) == 2
        assert set(given) <= wanted


def test_fixed_and_drawn_questions_are_never_given_twice_in_an_attempt(bank, expectation):
    # Two questions fixed, both also in the bank (one tagged), a tagged draw and a whole-bank
    # draw that overlap: every attempt gets 2 + 1 + 3 different questions.
    fixed_tagged = tagged(QuestionFactory(bank=bank), expectation)
    fixed = QuestionFactory(bank=bank)
    other_tagged = tagged(QuestionFactory(bank=bank), expectation)
    others = {QuestionFactory(bank=bank).pk for _ in range(3)}
    assessment = AssessmentFactory(
        questions=[fixed_tagged, draw(bank, 3), fixed, draw(bank, 1, expectation)]
    )
    for _ in range(15):
        given = given_questions(services.start_attempt(user=UserFactory(), assessment=assessment))
        assert len(given) == len(set(given)) == 6
        # In the rows' order: a fixed question, 3 drawn, a fixed question, 1 drawn. The tagged
        # draw can only have the tagged question that is not fixed; the whole-bank draw never
        # takes it from it.
        assert (given[0], given[4], given[5]) == (fixed_tagged.pk, fixed.pk, other_tagged.pk)
        assert set(given[1:4]) == others


def test_every_question_of_a_bank_gets_drawn_sometimes(bank):
    pool = {QuestionFactory(bank=bank).pk for _ in range(5)}
    assessment = AssessmentFactory(questions=[draw(bank, 1)])
    drawn = Counter()
    for _ in range(80):
        ((question, _marks, _slot),) = services.draw_questions(
            slots=slots_of(assessment), shuffle=False
        )
        drawn[question.pk] += 1
    assert set(drawn) == pool  # each missed with odds about 5 × 0.8^80, under 1 in 10^7


def test_drawn_questions_are_frozen_with_their_versions(bank, learner):
    for _ in range(4):
        QuestionFactory(bank=bank)
    assessment = AssessmentFactory(questions=[draw(bank, 2)])
    attempt = services.start_attempt(user=learner, assessment=assessment)
    before = list(attempt.responses.order_by("position").values_list("version_id", "option_order"))

    # Resuming gives the same questions; new questions and edits in the bank change nothing.
    for _ in range(4):
        QuestionFactory(bank=bank)
    first = Question.objects.get(pk=given_questions(attempt)[0])
    first.stem = "Rewritten after the attempt started?"
    first.save()
    again = services.start_attempt(user=learner, assessment=assessment)
    assert again.pk == attempt.pk
    after = list(again.responses.order_by("position").values_list("version_id", "option_order"))
    assert after == before

    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    result = services.submit_attempt(attempt=attempt)
    assert (result.points, result.max_points, str(result.percent)) == (2, 2, "100.00")


def test_an_attempt_cannot_start_when_its_bank_no_longer_has_enough_questions(bank, learner):
    questions = [QuestionFactory(bank=bank) for _ in range(3)]
    assessment = AssessmentFactory(questions=[draw(bank, 3)])
    questions[0].bank = QuestionBankFactory()  # moved to another bank after the admin check
    questions[0].save()
    with pytest.raises(services.AssessmentError, match="no longer have enough questions"):
        services.start_attempt(user=learner, assessment=assessment)
    assert not Attempt.objects.exists()
    assert not Response.objects.exists()


def test_shuffled_questions_come_in_each_attempts_own_order_kept_while_resuming(bank):
    questions = [QuestionFactory() for _ in range(8)]
    assessment = AssessmentFactory(questions=questions, shuffle_questions=True)
    orders = set()
    for _ in range(6):
        learner = UserFactory()
        attempt = services.start_attempt(user=learner, assessment=assessment)
        order = tuple(given_questions(attempt))
        assert sorted(order) == sorted(q.pk for q in questions)
        assert (
            tuple(given_questions(services.start_attempt(user=learner, assessment=assessment)))
            == order
        )
        orders.add(order)
    assert len(orders) > 1  # all six the same by chance: 1 in (8!)^5


def test_each_question_keeps_its_slot_in_the_rows_order_when_shuffled(bank):
    first, last = QuestionFactory(), QuestionFactory()
    pool = {QuestionFactory(bank=bank).pk for _ in range(4)}
    assessment = AssessmentFactory(questions=[first, draw(bank, 2), last], shuffle_questions=True)
    moved = False
    for _ in range(6):
        attempt = services.start_attempt(user=UserFactory(), assessment=assessment)
        slots = {
            r.slot: (r.version.question_id, r.position)
            for r in attempt.responses.select_related("version")
        }
        assert sorted(slots) == [1, 2, 3, 4]
        assert (slots[1][0], slots[4][0]) == (first.pk, last.pk)
        assert {slots[2][0], slots[3][0]} <= pool
        moved = moved or any(slot != position for slot, (_, position) in slots.items())
    assert moved  # never shuffled in six attempts: 1 in 24^6


def test_without_shuffling_questions_come_in_the_rows_order():
    questions = [QuestionFactory() for _ in range(5)]
    assessment = AssessmentFactory(questions=questions)
    for _ in range(3):
        attempt = services.start_attempt(user=UserFactory(), assessment=assessment)
        assert given_questions(attempt) == [q.pk for q in questions]


def test_an_attempt_keeps_the_pages_it_started_with(learner):
    assessment = AssessmentFactory(questions=[QuestionFactory() for _ in range(5)])
    assessment.questions_per_page = 2
    assessment.save()
    attempt = services.start_attempt(user=learner, assessment=assessment)
    assessment.questions_per_page = 0
    assessment.save()
    attempt.refresh_from_db()
    assert (attempt.questions_per_page, attempt.page_count) == (2, 3)
    assert [attempt.page_of(n) for n in range(1, 6)] == [1, 1, 2, 2, 3]
    later = services.start_attempt(user=UserFactory(), assessment=assessment)
    assert (later.questions_per_page, later.page_count) == (None, 1)


# Checking an assessment's rows (what the admin form shows) ---------------------------------------


def problems(*rows):
    slots = [
        AssessmentQuestion(**({"question": r} if isinstance(r, Question) else r)) for r in rows
    ]
    try:
        services.check_slots(slots=slots)
    except services.SlotsRefused as refused:
        return refused.problems
    return []


def test_rows_that_can_be_given_pass_the_check(bank, expectation):
    fixed = QuestionFactory(bank=bank)
    tagged(QuestionFactory(bank=bank), expectation)
    for _ in range(3):
        QuestionFactory(bank=bank)
    assert problems(fixed, draw(bank, 1, expectation), draw(bank, 3)) == []


def test_a_draw_asking_for_more_than_its_bank_has_is_refused(bank, expectation):
    fixed = tagged(QuestionFactory(bank=bank), expectation)
    tagged(QuestionFactory(bank=bank), expectation)
    QuestionFactory(bank=bank)
    assert problems(draw(bank, 4)) == [
        (
            0,
            "This draw asks for 4 questions, but “Investigating complaints” has 3 questions. "
            "Draw at most 3.",
        )
    ]
    code = expectation.code
    assert problems(fixed, draw(bank, 2, expectation)) == [
        (
            1,
            "This draw asks for 2 questions, but “Investigating complaints” has 2 questions "
            f"tagged with expectation {code}, and 1 of them is a fixed question in this "
            "assessment. Draw at most 1.",
        )
    ]


def test_an_empty_bank_or_tag_is_refused(bank, expectation):
    assert problems(draw(bank, 1)) == [
        (0, "“Investigating complaints” has no questions yet, so nothing can be drawn.")
    ]
    QuestionFactory(bank=bank)
    assert problems(draw(bank, 1, expectation)) == [
        (
            0,
            f"“Investigating complaints” has no questions tagged with expectation "
            f"{expectation.code}, so nothing can be drawn.",
        )
    ]


def test_rows_that_are_neither_or_both_or_repeat_a_question_are_refused(bank):
    question = QuestionFactory(bank=bank, title="Acknowledging in 3 days")
    assert problems({}) == [(0, "Choose a question, or a bank to draw questions from.")]
    assert problems({"question": question, "bank": bank, "draw_count": 1}) == [
        (0, "Choose a fixed question or a bank to draw from, not both.")
    ]
    assert problems({"question": question, "draw_count": 1}) == [
        (
            0,
            "A fixed question has no number to draw or expectation: leave those empty, or "
            "clear the question to draw from a bank.",
        )
    ]
    assert problems({"draw_count": 2}) == [(0, "Choose the bank to draw the questions from.")]
    assert problems({"bank": bank}) == [
        (0, "Enter how many questions to draw from “Investigating complaints”.")
    ]
    assert problems(question, question) == [
        (
            1,
            "“Acknowledging in 3 days” is already in this assessment; each question can be in "
            "it once.",
        )
    ]


def test_overlapping_draws_that_cannot_all_be_given_are_refused(bank, expectation):
    tagged(QuestionFactory(bank=bank), expectation)
    tagged(QuestionFactory(bank=bank), expectation)
    QuestionFactory(bank=bank)
    # Each on its own is possible; together they need 4 different questions of 3.
    message = (
        "The draws from “Investigating complaints” ask for 4 different questions between them, "
        "but their questions overlap: at most 3 can be given without repeating one."
    )
    assert problems(draw(bank, 2, expectation), draw(bank, 2)) == [(0, message), (1, message)]


def test_a_drawn_essay_is_marked_like_a_fixed_one(client, learner, staff_groups):
    bank = QuestionBankFactory(name="Essays")
    essay_question(bank=bank)
    assessment = AssessmentFactory(title="Drawn essay", questions=[draw(bank, 1)])
    attempt = services.start_attempt(user=learner, assessment=assessment)
    (essay,) = responses = list(attempt.responses.all())
    services.save_answers(attempt=attempt, answers={essay.pk: ["My answer, at length."]})
    services.submit_attempt(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.MARKING
    assert [r.marking for r in Response.objects.filter(pk__in=[r.pk for r in responses])] == [
        Response.Marking.TO_MARK
    ]
    client.force_login(UserFactory(groups=[people.ASSESSORS], mfa=True))
    queue = client.get(reverse("marking_queue")).content.decode()
    assert f'<option value="{assessment.pk}"' in queue  # offered in the assessment filter
