"""Short-answer wildcards and multiple-response fractions as Moodle scores them (issue 13): in
attempts, the review, GIFT, regrading, and for versions frozen before, which keep their marks."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps

from academy.models import AuditEntry
from assessments import gift, selectors, services
from assessments.models import Question, QuestionKind, QuestionVersion
from assessments.services import importing, regrading
from tests.assessments.factories import AssessmentFactory, QuestionBankFactory, QuestionFactory

pytestmark = pytest.mark.django_db

REASON = "Moodle's wildcards and fractions now apply."


def short_answer(*accepted) -> Question:
    """Accepted answers as (text, fraction, feedback); a fraction of None is ticked correct."""
    return QuestionFactory(
        kind=QuestionKind.SHORT_ANSWER,
        options=[
            {"text": text, "is_correct": fraction is None, "fraction": fraction, "feedback": note}
            for text, fraction, note in accepted
        ],
    )


def fifty_and_forty_nine() -> Question:
    """Moodle's example: two right options worth 50% and 49%, and two wrong ones."""
    return QuestionFactory(
        kind=QuestionKind.MULTIPLE_RESPONSE,
        options=[
            {"text": "Listen", "is_correct": True, "fraction": Decimal("0.5")},
            {"text": "Apologise", "is_correct": True, "fraction": Decimal("0.49")},
            {"text": "Wait", "fraction": Decimal("0")},
            {"text": "Argue", "fraction": Decimal("-0.5")},
        ],
    )


def start(learner, *questions):
    assessment = AssessmentFactory(questions=list(questions), max_attempts=None)
    return services.start_attempt(user=learner, assessment=assessment)


def keys(response, *texts) -> list[str]:
    return [o["key"] for o in response.version.options if o["text"] in texts]


def answered(attempt, answers: dict) -> dict:
    """Each question's response with its answer saved: answers map a question to what is typed
    (a string) or the texts of the options ticked (a tuple)."""
    responses = {}
    for response in attempt.responses.select_related("version"):
        answer = answers[response.version.question_id]
        selected = [answer] if isinstance(answer, str) else keys(response, *answer)
        services.save_answers(attempt=attempt, answers={response.pk: selected})
        responses[response.version.question_id] = response
    return responses


def submitted_score(learner, question, answer) -> Decimal:
    attempt = start(learner, question)
    response = answered(attempt, {question.pk: answer})[question.pk]
    services.submit_attempt(attempt=attempt)
    response.refresh_from_db()
    return response.score


def mark_versions_as_before_issue_13():
    """What migration 0017 does to the versions frozen before it."""
    migration = importlib.import_module("assessments.migrations.0017_stars_and_added_fractions")
    migration.keep_earlier_versions_scoring_as_they_did(django_apps, None)


# Attempts and their review ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted", "typed", "score"),
    [
        ("Par*", "Paris", "1.000"),
        ("Par*", "Lyon", "0.000"),
        ("*ombudsman*", "the Ombudsman service", "1.000"),
        ("Par\\*", "Paris", "0.000"),
        ("Par\\*", "par*", "1.000"),
    ],
)
def test_a_short_answer_with_stars_is_scored_as_moodle_scores_it(learner, accepted, typed, score):
    question = short_answer((accepted, None, "Right"))
    assert submitted_score(learner, question, typed) == Decimal(score)


def test_the_review_gives_the_feedback_of_the_answer_marked_and_right_answers_as_written(learner):
    question = short_answer(
        ("The Ombudsman", None, "Exactly."),
        ("*ombudsman*", None, "Yes, the Ombudsman."),
        ("*complain*", Decimal("0.5"), "Nearly: who reviews complaints?"),
        ("*", Decimal("0"), "Think again about who has the last word."),
    )
    expected = [
        ("the ombudsman", "1.000", "Exactly."),
        ("the Parliamentary Ombudsman", "1.000", "Yes, the Ombudsman."),
        ("a complaints team", "0.500", "Nearly: who reviews complaints?"),
        ("the council", "0.000", "Think again about who has the last word."),
    ]
    for typed, score, feedback in expected:
        attempt = start(learner, question)
        response = answered(attempt, {question.pk: typed})[question.pk]
        services.submit_attempt(attempt=attempt)
        response.refresh_from_db()
        reviewed = selectors.reviewed(response)
        assert (reviewed.score, reviewed.feedback) == (Decimal(score), feedback), typed
        assert reviewed.right_answers == ["The Ombudsman", "*ombudsman*"]


def test_multiple_response_adds_the_fractions_of_the_options_ticked(learner):
    question = fifty_and_forty_nine()
    expected = [
        (("Listen", "Apologise"), "0.990"),  # 50% + 49%, as in Moodle
        (("Listen", "Apologise", "Wait"), "0.990"),  # a wrong option worth 0 costs nothing
        (("Listen",), "0.500"),
        (("Listen", "Apologise", "Argue"), "0.490"),
        (("Apologise", "Argue"), "0.000"),  # never below nothing
    ]
    for ticked, score in expected:
        assert submitted_score(learner, question, ticked) == Decimal(score), ticked


# GIFT -------------------------------------------------------------------------------------------

WILDCARDS_GIFT = """::Capital::Which city is the office in? {
    =Par*#Right.
    =%0%*#Think of France.
}

::Footnote::Which character marks a footnote? {=\\*#The star itself.}
"""


def test_stars_in_gift_short_answers_are_wildcards_and_an_escaped_star_a_star(learner):
    bank = QuestionBankFactory()
    capital, footnote = importing.import_gift(text=WILDCARDS_GIFT, bank=bank)
    assert [c.text for c in capital.choices.order_by("sort_order")] == ["Par*", "*"]
    assert [c.text for c in footnote.choices.all()] == ["\\*"]
    assert submitted_score(learner, capital, "Paris") == 1
    assert submitted_score(learner, capital, "Lyon") == 0
    assert submitted_score(learner, footnote, "*") == 1
    assert submitted_score(learner, footnote, "an asterisk") == 0


def test_an_escaped_star_survives_import_export_and_import_unchanged():
    bank = QuestionBankFactory()
    importing.import_gift(text=WILDCARDS_GIFT, bank=bank)
    exported = importing.export_gift(bank=bank).text
    # Written as Moodle writes a backslash: doubled, which Moodle and we read back as one.
    assert "{\n    =\\\\*#The star itself.\n}" in exported
    copy = QuestionBankFactory(name="Copy")
    importing.import_gift(text=exported, bank=copy)
    texts = [
        c.text for q in copy.questions.order_by("pk") for c in q.choices.order_by("sort_order")
    ]
    assert texts == ["Par*", "*", "\\*"]
    assert importing.export_gift(bank=copy).text == exported
    # A star Moodle's own export escaped only once is kept as the same escaped star.
    (question,) = gift.parse("Which character? {=\\*}")
    assert question.answers[0].text == "\\*"


# Versions frozen before issue 13 ---------------------------------------------------------------


def test_answers_to_versions_frozen_before_keep_their_marks_until_a_trainer_regrades(
    learner, other_learner, trainer
):
    capital = short_answer(("Par*", None, "Right"))
    choose = fifty_and_forty_nine()
    before = start(learner, capital, choose)
    answers = {capital.pk: "Paris", choose.pk: ("Listen", "Apologise")}
    given = answered(before, answers)
    mark_versions_as_before_issue_13()
    services.submit_attempt(attempt=before)
    for response in given.values():
        response.refresh_from_db()
    # Marked as they were given: the star was a star, and fractions were divided by their total.
    assert given[capital.pk].version.settings["literal_stars"] is True
    assert given[choose.pk].version.settings["scaled_fractions"] is True
    assert (given[capital.pk].score, given[choose.pk].score) == (Decimal(0), Decimal(1))

    # The next attempt is given new versions of the unchanged questions, scored by today's rules.
    after = start(other_learner, capital, choose)
    fresh = answered(after, answers)
    services.submit_attempt(attempt=after)
    for response in fresh.values():
        response.refresh_from_db()
        assert response.version.number == 2
        assert not {"literal_stars", "scaled_fractions"} & set(response.version.settings)
    assert (fresh[capital.pk].score, fresh[choose.pk].score) == (Decimal(1), Decimal("0.990"))

    # Regrading brings the earlier answers to today's rules, in the open and on the record.
    assert regrading.regrade_question(question=capital, by=trainer, reason=REASON).raised == 1
    assert regrading.regrade_question(question=choose, by=trainer, reason=REASON).lowered == 1
    for response in given.values():
        response.refresh_from_db()
    assert (given[capital.pk].score, given[choose.pk].score) == (Decimal(1), Decimal("0.990"))
    assert AuditEntry.objects.filter(action="response.regraded").count() == 2


def test_regrading_another_question_of_the_attempt_leaves_an_earlier_versions_mark_alone(
    learner, trainer
):
    """Regrading works an attempt's total out again from every answer in it; an answer to a
    version frozen before must count there as it was marked, not by today's rules."""
    capital = short_answer(("Par*", None, "Right"))
    other = QuestionFactory(
        kind=QuestionKind.SINGLE_CHOICE,
        options=[("Listen first", True, ""), ("Refer to the policy", False, "")],
    )
    attempt = start(learner, capital, other)
    given = answered(attempt, {capital.pk: "Paris", other.pk: ("Listen first",)})
    mark_versions_as_before_issue_13()
    services.submit_attempt(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.points == 1  # the short answer earned nothing as given

    # The single-choice question is corrected (the other option is right) and regraded.
    for choice in other.choices.all():
        choice.is_correct = choice.text == "Refer to the policy"
        choice.save()
    services.current_version(question=Question.objects.get(pk=other.pk))
    assert regrading.regrade_question(question=other, by=trainer, reason=REASON).lowered == 1

    attempt.refresh_from_db()
    given[capital.pk].refresh_from_db()
    assert given[capital.pk].score == 0
    assert attempt.points == sum(r.score for r in attempt.responses.all()) == 0


def test_versions_todays_rules_score_alike_are_left_as_they_were():
    questions = [
        short_answer(("Paris", None, ""), ("C:\\files", None, "")),  # no star
        QuestionFactory(kind=QuestionKind.MULTIPLE_RESPONSE),  # equal shares
        QuestionFactory(  # thirds rounded to five places
            kind=QuestionKind.MULTIPLE_RESPONSE,
            options=[{"text": t, "is_correct": True, "fraction": Decimal("0.33333")} for t in "ABC"]
            + [{"text": "D", "fraction": Decimal("-0.5")}],
        ),
    ]
    versions = [services.current_version(question=q) for q in questions]
    mark_versions_as_before_issue_13()
    for version in versions:
        stored = QuestionVersion.objects.get(pk=version.pk)
        assert (stored.settings, stored.content_hash) == (version.settings, version.content_hash)
        assert services.current_version(question=version.question) == stored
