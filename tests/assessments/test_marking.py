"""Essays marked by assessors: rubrics, first and second marking, moderation, release."""

from decimal import Decimal

import pytest
from django.core import mail

from academy.models import AuditEntry
from assessments import selectors, services, tasks
from assessments.models import Attempt, Mark, QuestionKind, Response
from assessments.services import marking
from assessments.services.marking import MarkGiven
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    RubricFactory,
    correct_answer,
    essay_question,
    rubric_criteria,
)

pytestmark = pytest.mark.django_db

ESSAY_TEXT = "I would first listen to the complainant.\n\nThen I would gather the records."


def make_assessment(**settings):
    rubric = RubricFactory()
    return AssessmentFactory(
        questions=[QuestionFactory(kind=QuestionKind.SINGLE_CHOICE), essay_question(rubric=rubric)],
        pass_mark=50,
        **settings,
    )


def hand_in(learner, assessment, *, essay=ESSAY_TEXT) -> Attempt:
    attempt = services.start_attempt(user=learner, assessment=assessment)
    answers = {}
    for response in attempt.responses.select_related("version"):
        if response.version.kind == QuestionKind.ESSAY:
            answers[response.pk] = [essay]
        else:
            answers[response.pk] = correct_answer(response)
    services.save_answers(attempt=attempt, answers=answers)
    return services.submit_attempt(attempt=attempt)


def essay_of(attempt) -> Response:
    return attempt.responses.select_related("version").get(version__kind=QuestionKind.ESSAY)


def give(*, response, marker, given, reason="", can_moderate=True):
    """Mark at the stage the marking page would offer this marker now."""
    response = Response.objects.get(pk=response.pk)
    marks = {mark.stage: mark for mark in response.marks.all()}
    stage = marking.stage_for(
        response=response, marks=marks, marker=marker, can_moderate=can_moderate
    )
    return marking.record_mark(
        response=response,
        marker=marker,
        stage=stage or "",
        given=given,
        reason=reason,
        can_moderate=can_moderate,
    )


def levels(response, *picks: int) -> dict[str, str]:
    """The level at each index for each criterion of the frozen rubric."""
    criteria = response.version.settings["rubric"]["criteria"]
    return {c["key"]: c["levels"][pick]["key"] for c, pick in zip(criteria, picks, strict=True)}


# Questions and versions ----------------------------------------------------------------------


def test_an_essay_takes_no_options():
    services.check_question(kind=QuestionKind.ESSAY, choices=[])
    with pytest.raises(services.AssessmentError, match="no options"):
        services.check_question(kind=QuestionKind.ESSAY, choices=[{"text": "A"}])


def test_a_rubric_needs_levels_that_can_mark():
    with pytest.raises(services.AssessmentError, match="two levels"):
        services.check_rubric([{"title": "Tone", "levels": [{"label": "Yes", "points": 1}]}])
    with pytest.raises(services.AssessmentError, match="different points"):
        services.check_rubric(
            [{"title": "Tone", "levels": [{"points": 1}, {"points": 1}]}],
        )
    with pytest.raises(services.AssessmentError, match="worth some points"):
        services.check_rubric([{"title": "Tone", "levels": [{"points": 0}, {"points": "0.0"}]}])


def test_the_version_freezes_the_rubric_and_a_later_edit_makes_a_new_one(learner):
    assessment = make_assessment()
    first = essay_of(hand_in(learner, assessment))
    frozen = first.version.settings["rubric"]
    assert [c["title"] for c in frozen["criteria"]] == ["Evidence", "Fairness"]
    assert all(c["key"] and all(lv["key"] for lv in c["levels"]) for c in frozen["criteria"])

    rubric = first.version.question.rubric
    rubric.criteria[0].value["title"] = "Evidence gathered"
    rubric.save()
    question = first.version.question
    new = services.current_version(question=question)
    assert new.pk != first.version_id
    first.version.refresh_from_db()
    assert first.version.settings["rubric"]["criteria"][0]["title"] == "Evidence"


# Handing in ------------------------------------------------------------------------------------


def test_an_attempt_with_an_essay_waits_for_marking(learner, submissions):
    attempt = hand_in(learner, make_assessment())
    assert attempt.status == Attempt.Status.MARKING
    assert attempt.is_submitted and not attempt.is_released
    assert attempt.percent is None and attempt.passed is None
    essay = essay_of(attempt)
    assert essay.selected == [ESSAY_TEXT]  # paragraphs kept
    assert essay.marking == Response.Marking.TO_MARK
    assert essay.score is None
    assert submissions == []  # nothing is announced before the result
    with pytest.raises(services.AssessmentError, match="already been submitted"):
        services.save_answers(attempt=attempt, answers={essay.pk: ["Changed my mind"]})


def test_an_essay_too_long_is_refused_and_nothing_is_saved(learner):
    assessment = make_assessment()
    attempt = services.start_attempt(user=learner, assessment=assessment)
    essay = essay_of(attempt)
    too_long = "x" * (services.ESSAY_MAX_CHARACTERS + 1)
    with pytest.raises(services.AssessmentError, match="under 20,000 characters"):
        services.save_answers(attempt=attempt, answers={essay.pk: [too_long]})
    with pytest.raises(services.AssessmentError):
        services.save_answers(attempt=attempt, answers={essay.pk: ["one", "two"]})
    essay.refresh_from_db()
    assert essay.selected == []


# First marking ---------------------------------------------------------------------------------


def test_a_first_mark_scores_releases_and_e_mails_the_learner(
    learner, assessor, submissions, django_capture_on_commit_callbacks
):
    attempt = hand_in(learner, make_assessment())
    essay = essay_of(attempt)
    with django_capture_on_commit_callbacks(execute=True):
        mark = give(
            response=essay,
            marker=assessor,
            given=MarkGiven(levels=levels(essay, 2, 1), feedback="Clear and fair."),
        )
    assert mark.stage == Mark.Stage.FIRST
    assert mark.score == Decimal("0.750")  # 3 of 4 points
    essay.refresh_from_db()
    assert essay.marking == Response.Marking.DONE and essay.score == Decimal("0.750")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.percent == Decimal("87.50") and attempt.passed
    assert attempt.released_at is not None
    assert submissions == [attempt.pk]
    assert len(mail.outbox) == 1
    assert "result is ready" in mail.outbox[0].subject
    assert f"/attempts/{attempt.pk}/result/" in mail.outbox[0].body
    assert "Clear and fair" not in mail.outbox[0].body  # feedback only behind the sign-in
    attempt.refresh_from_db()
    assert attempt.result_emailed_at is not None
    # The task is idempotent: a second run sends nothing.
    assert tasks.email_result_released(attempt.pk) is False
    assert len(mail.outbox) == 1


def test_an_essay_without_a_rubric_takes_a_percentage(learner, assessor):
    assessment = AssessmentFactory(questions=[essay_question()], pass_mark=60)
    essay = essay_of(hand_in(learner, assessment))
    for bad in ("", "abc", "101", "-1", "NaN"):
        with pytest.raises(services.AssessmentError, match="percentage from 0 to 100"):
            give(response=essay, marker=assessor, given=MarkGiven({}, bad))
    assert not Mark.objects.exists()
    give(response=essay, marker=assessor, given=MarkGiven({}, "55"))
    attempt = Attempt.objects.get(pk=essay.attempt_id)
    assert attempt.percent == Decimal("55.00") and attempt.passed is False


def test_a_mark_must_choose_a_level_of_every_criterion(learner, assessor):
    essay = essay_of(hand_in(learner, make_assessment()))
    some = levels(essay, 1, 1)
    missing = dict(list(some.items())[:1])
    with pytest.raises(services.AssessmentError, match="every criterion"):
        give(response=essay, marker=assessor, given=MarkGiven(missing))
    forged = {key: "not-a-level" for key in some}
    with pytest.raises(services.AssessmentError, match="every criterion"):
        give(response=essay, marker=assessor, given=MarkGiven(forged))
    essay.refresh_from_db()
    assert essay.marking == Response.Marking.TO_MARK and not Mark.objects.exists()


def test_an_automatically_scored_answer_cannot_be_marked(learner, assessor):
    attempt = hand_in(learner, make_assessment())
    other = attempt.responses.exclude(version__kind=QuestionKind.ESSAY).get()
    with pytest.raises(services.AssessmentError, match="scored automatically"):
        give(response=other, marker=assessor, given=MarkGiven({}, "10"))


# Second marking and moderation ------------------------------------------------------------------


def test_second_marking_is_by_another_assessor_and_an_agreeing_mark_keeps_the_first(
    learner, assessor, second_assessor
):
    attempt = hand_in(learner, make_assessment(second_marking_percent=100))
    essay = essay_of(attempt)
    assert essay.second_marking
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 2, 2)))
    essay.refresh_from_db()
    assert essay.marking == Response.Marking.SECOND and essay.score is None
    # The first marker can only change their own mark, never give the second one.
    with pytest.raises(services.AssessmentError, match="Someone else marked"):
        marking.record_mark(
            response=essay, marker=assessor, stage=Mark.Stage.SECOND, given=MarkGiven({})
        )
    # 4/4 against 4/4: they agree, the first mark stands and the result is released.
    give(response=essay, marker=second_assessor, given=MarkGiven(levels(essay, 2, 2)))
    essay.refresh_from_db()
    assert essay.marking == Response.Marking.DONE and essay.score == Decimal("1.000")
    assert Attempt.objects.get(pk=attempt.pk).is_released


def test_disagreeing_marks_go_to_a_moderator_who_decides(
    learner, assessor, second_assessor, moderator
):
    attempt = hand_in(learner, make_assessment(second_marking_percent=100, moderation_tolerance=10))
    essay = essay_of(attempt)
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 2, 2)))
    give(response=essay, marker=second_assessor, given=MarkGiven(levels(essay, 0, 1)))
    essay.refresh_from_db()
    assert essay.marking == Response.Marking.MODERATION and essay.score is None
    assert not Attempt.objects.get(pk=attempt.pk).is_released
    for marker in (assessor, second_assessor):
        with pytest.raises(services.AssessmentError, match="Someone else marked"):
            marking.record_mark(
                response=essay,
                marker=marker,
                stage=Mark.Stage.MODERATED,
                given=MarkGiven(levels(essay, 1, 1)),
                can_moderate=True,
            )
    mark = give(
        response=essay,
        marker=moderator,
        given=MarkGiven(levels(essay, 1, 2), feedback="Good evidence; fairness partly shown."),
    )
    assert mark.stage == Mark.Stage.MODERATED
    essay.refresh_from_db()
    assert essay.marking == Response.Marking.DONE and essay.score == Decimal("0.750")
    attempt.refresh_from_db()
    assert attempt.is_released and attempt.percent == Decimal("87.50")
    rules = selectors.review_rules(attempt=attempt)
    reviewed = selectors.reviewed_questions(attempt=attempt, rules=rules)[1]
    assert reviewed.feedback == "Good evidence; fairness partly shown."
    assert [row[1] for row in reviewed.rubric_levels] == ["Partly shown", "Fully shown"]


def test_no_second_marking_when_the_sample_is_zero(learner):
    essay = essay_of(hand_in(learner, make_assessment(second_marking_percent=0)))
    assert essay.second_marking is False


# Changing marks --------------------------------------------------------------------------------


def test_changing_a_mark_needs_a_reason_and_keeps_who_when_old_new_and_why(
    learner, assessor, second_assessor
):
    attempt = hand_in(learner, make_assessment(hold_results=True))
    essay = essay_of(attempt)
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 1, 1)))
    with pytest.raises(services.AssessmentError, match="reason"):
        give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 2, 2)))
    with pytest.raises(services.AssessmentError, match="Someone else marked"):
        give(
            response=essay,
            marker=second_assessor,
            given=MarkGiven(levels(essay, 2, 2)),
            reason="I think it is better",
        )
    give(
        response=essay,
        marker=assessor,
        given=MarkGiven(levels(essay, 2, 2)),
        reason="Missed the second half of the answer",
    )
    essay.refresh_from_db()
    assert essay.score == Decimal("1.000")
    entries = AuditEntry.objects.filter(action__startswith="mark.").order_by("pk")
    assert [e.action for e in entries] == ["mark.given", "mark.changed"]
    change = entries[1]
    assert change.actor == assessor and change.reason == "Missed the second half of the answer"
    assert change.details["old"]["score"] == "0.500"
    assert change.details["new"]["score"] == "1.000"
    assert change.at is not None


def test_marks_cannot_change_after_release(learner, assessor):
    essay = essay_of(hand_in(learner, make_assessment()))
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 1, 1)))
    with pytest.raises(services.AssessmentError, match="released"):
        give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 2, 2)), reason="Late")


# Holding and releasing ---------------------------------------------------------------------------


def test_held_results_wait_for_release_which_is_audited_and_e_mailed(
    learner, other_learner, assessor, submissions, django_capture_on_commit_callbacks
):
    assessment = make_assessment(hold_results=True)
    marked = essay_of(hand_in(learner, assessment))
    waiting = essay_of(hand_in(other_learner, assessment))
    give(response=marked, marker=assessor, given=MarkGiven(levels(marked, 2, 2)))
    attempt = Attempt.objects.get(pk=marked.attempt_id)
    assert attempt.status == Attempt.Status.MARKING and attempt.percent == Decimal("100.00")
    assert submissions == [] and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        released = marking.release_results(assessment=assessment, by=assessor)
    assert released == 1  # the other learner's essay is not marked yet
    assert Attempt.objects.get(pk=marked.attempt_id).is_released
    assert not Attempt.objects.get(pk=waiting.attempt_id).is_released
    assert submissions == [marked.attempt_id]
    assert [m.to for m in mail.outbox] == [[learner.email]]
    entry = AuditEntry.objects.get(action="results.released")
    assert entry.actor == assessor and entry.details["attempt_ids"] == [marked.attempt_id]
    # Releasing again releases nothing and e-mails nobody.
    with django_capture_on_commit_callbacks(execute=True):
        assert marking.release_results(assessment=assessment, by=assessor) == 0
    assert len(mail.outbox) == 1


def test_no_new_attempt_while_one_is_marked_and_the_delay_counts_from_hand_in(learner, assessor):
    assessment = make_assessment(attempt_delay_minutes=30)
    hand_in(learner, assessment)
    grade = selectors.grade_for(user=learner, assessment=assessment)
    assert grade.percent is None  # not released: not yet part of the grade
    with pytest.raises(services.AssessmentError, match="being marked"):
        services.start_attempt(user=learner, assessment=assessment)
    essay = Response.objects.get(attempt__user=learner, version__kind=QuestionKind.ESSAY)
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 1, 1)))
    with pytest.raises(services.AssessmentError, match="wait of 30 minutes"):
        services.start_attempt(user=learner, assessment=assessment)


def test_the_percentage_is_exact_whatever_each_answer_rounds_to(learner, assessor):
    rubric = RubricFactory(criteria=rubric_criteria("Evidence", "Fairness", "Clarity"))
    assessment = AssessmentFactory(
        questions=[QuestionFactory(kind=QuestionKind.SINGLE_CHOICE), essay_question(rubric=rubric)]
    )
    essay = essay_of(hand_in(learner, assessment))
    # 5 of 6 points: stored as 0.833, but the attempt has exactly 11/6 of 2 marks.
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 2, 2, 1)))
    essay.refresh_from_db()
    assert essay.score == Decimal("0.833")
    assert Attempt.objects.get(pk=essay.attempt_id).percent == Decimal("91.67")


# Who may mark what, and when -------------------------------------------------------------------


def test_nobody_marks_their_own_attempt(assessor, staff_groups):
    essay = essay_of(hand_in(assessor, make_assessment()))
    with pytest.raises(services.AssessmentError, match="your own attempt"):
        give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 1, 1)))
    assert not selectors.marking_queue(marker=assessor).exists()


def test_a_mark_for_a_stage_that_moved_on_is_refused(learner, assessor, second_assessor):
    """Two assessors open the same answer to give it a first mark; the later one is refused
    rather than silently becoming the blind second mark."""
    essay = essay_of(hand_in(learner, make_assessment(second_marking_percent=100)))
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 1, 1)))
    with pytest.raises(services.AssessmentError, match="Someone else marked"):
        marking.record_mark(
            response=essay,
            marker=second_assessor,
            stage=Mark.Stage.FIRST,
            given=MarkGiven(levels(essay, 2, 2)),
        )
    assert Mark.objects.get().marker == assessor


def test_only_a_moderator_moderates(learner, assessor, second_assessor, moderator):
    essay = essay_of(hand_in(learner, make_assessment(second_marking_percent=100)))
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 2, 2)))
    give(response=essay, marker=second_assessor, given=MarkGiven(levels(essay, 0, 0)))
    with pytest.raises(services.AssessmentError, match="Someone else marked"):
        marking.record_mark(
            response=essay,
            marker=moderator,
            stage=Mark.Stage.MODERATED,
            given=MarkGiven(levels(essay, 1, 1)),
            can_moderate=False,
        )


def test_a_second_marker_corrects_their_own_mark(learner, assessor, second_assessor):
    essay = essay_of(hand_in(learner, make_assessment(second_marking_percent=100)))
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 2, 2)))
    give(response=essay, marker=second_assessor, given=MarkGiven(levels(essay, 0, 0)))
    essay.refresh_from_db()
    assert essay.marking == Response.Marking.MODERATION
    give(
        response=essay,
        marker=second_assessor,
        given=MarkGiven(levels(essay, 2, 2)),
        reason="Ticked the wrong column",
    )
    essay.refresh_from_db()
    assert essay.marking == Response.Marking.DONE and essay.score == Decimal("1.000")


def test_an_essay_left_blank_scores_nothing_and_is_not_marked(learner):
    attempt = hand_in(learner, make_assessment(), essay="")
    essay = essay_of(attempt)
    assert essay.marking == Response.Marking.NONE and essay.score == 0
    assert attempt.is_released and attempt.percent == Decimal("50.00")


def test_a_percentage_mark_keeps_to_one_decimal_place(learner, assessor):
    assessment = AssessmentFactory(questions=[essay_question()], pass_mark=50)
    essay = essay_of(hand_in(learner, assessment))
    with pytest.raises(services.AssessmentError, match="one decimal place"):
        give(response=essay, marker=assessor, given=MarkGiven({}, "49.96"))
    give(response=essay, marker=assessor, given=MarkGiven({}, "49.9"))
    attempt = Attempt.objects.get(pk=essay.attempt_id)
    assert attempt.percent == Decimal("49.90") and attempt.passed is False


def test_the_sweep_sends_result_e_mails_that_were_never_queued(learner, assessor, monkeypatch):
    essay = essay_of(hand_in(learner, make_assessment()))
    # The broker is down when the result is released: the e-mail is not queued.
    monkeypatch.setattr(marking, "enqueue", lambda task, *args: False)
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 1, 1)))
    monkeypatch.undo()
    assert mail.outbox == []
    assert services.unsent_result_emails() == [essay.attempt_id]
    assert tasks.sweep_unsent_result_emails() == 1
    assert len(mail.outbox) == 1
    assert services.unsent_result_emails() == []
    assert tasks.sweep_unsent_result_emails() == 0
