"""What a learner's download of their data (portal.privacy) holds from assessments: each
attempt with their own answers, and of the rest only what the review rules let them see now,
through the same rules and masking as the review page, so the file can never tell them more than
the page would."""

from django.utils import timezone

from ..models import Adjustment, Attempt
from .review import ReviewRules, check_feedback, review_rules, tries_remain

# An attempt not yet released (in progress, or awaiting marking): the learner's own answers and
# nothing else, however the review options are set.
ANSWERS_ONLY = ReviewRules(
    moment="before release", marks=False, correctness=False, feedback=False, answers=False
)


def personal_data(*, user) -> dict:
    """Every attempt of the person's, oldest first, and the adjustments made for them (as they
    are told of them: never the reason). Five queries whatever the attempts."""
    now = timezone.now()
    attempts = list(
        Attempt.objects.filter(user=user)
        .select_related("assessment")
        .prefetch_related(
            "responses__version",
            "responses__regraded_against",
            "responses__marks",
            "responses__corrections",
        )
        .order_by("started_at", "pk")
    )
    adjustments = list(
        Adjustment.objects.filter(learner=user).select_related("assessment").order_by("pk")
    )
    extra = {adjustment.assessment_id: adjustment.extra_attempts for adjustment in adjustments}
    may_try_again = {}
    for attempt in attempts:
        if attempt.assessment_id not in may_try_again:
            made = [a for a in attempts if a.assessment_id == attempt.assessment_id]
            may_try_again[attempt.assessment_id] = tries_remain(
                assessment=attempt.assessment,
                made=len(made),
                in_progress=sum(not a.is_submitted for a in made),
                extra=extra.get(attempt.assessment_id, 0),
            )
    return {
        "assessment_attempts": [
            _attempt(attempt, now=now, may_try_again=may_try_again[attempt.assessment_id])
            for attempt in attempts
        ],
        "assessment_adjustments": [
            {
                "assessment": adjustment.assessment.title,
                "adjustment": adjustment.for_learner,
                "made": adjustment.granted_at,
            }
            for adjustment in adjustments
        ],
    }


def _attempt(attempt: Attempt, *, now, may_try_again: bool) -> dict:
    if attempt.is_released:
        rules = review_rules(attempt=attempt, now=now, may_try_again=may_try_again)
    else:
        rules = ANSWERS_ONLY
    data = {
        "assessment": attempt.assessment.title,
        "attempt": attempt.number,
        "status": attempt.get_status_display(),
        "started": attempt.started_at,
        "submitted": attempt.submitted_at,
        "result_released": attempt.released_at if attempt.is_released else None,
    }
    if attempt.is_released and rules.marks:
        data["result"] = {
            "marks": attempt.points,
            "out_of": attempt.max_points,
            "percent": attempt.percent,
            "passed": attempt.passed,
        }
    if rules.hidden:
        data["not_shown_yet"] = (
            f"Not shown here or on the review page yet: {rules.hidden_text}."
            if attempt.is_released
            else "Marks, feedback and the right answers are shown once the result is released."
        )
    responses = sorted(attempt.responses.all(), key=lambda response: response.position)
    data["questions"] = [_question(response, rules) for response in responses]
    return data


def _question(response, rules: ReviewRules) -> dict:
    """One answer under the rules: check_feedback has already left out what they hide; this
    leaves out the fields that would otherwise read as false or empty."""
    checked = check_feedback(response=response, rules=rules)
    question = checked.review
    data = {"number": question.position, "question": question.stem, "kind": question.kind}
    if question.scenario:
        data["case_study"] = question.scenario
    if question.options:
        data["options"] = [_option(option, rules) for option in question.options]
    elif question.rows:
        data["items"] = [_row(row, rules) for row in question.rows]
    else:
        data["your_answer"] = question.given
    if checked.outcome:
        data["outcome"] = checked.label
    if rules.marks:
        data["marks"] = question.points
        data["out_of"] = question.max_marks
        if question.rubric_levels:
            data["rubric"] = [
                {"criterion": criterion, "level": level, "points": points, "out_of": top}
                for criterion, level, points, top in question.rubric_levels
            ]
    if rules.answers and question.right_answers:
        data["right_answers"] = question.right_answers
    if question.feedback:
        data["feedback"] = question.feedback
    if question.general_feedback:
        data["general_feedback"] = question.general_feedback
    return data


def _option(option, rules: ReviewRules) -> dict:
    data = {"text": option.text, "chosen": option.chosen}
    if rules.answers or (rules.correctness and option.chosen):
        data["right"] = option.correct
    if option.feedback:
        data["feedback"] = option.feedback
    return data


def _row(row, rules: ReviewRules) -> dict:
    data = {"item": row.text, "your_answer": row.given}
    if rules.answers:
        data["right_answer"] = row.right
    if rules.correctness:
        data["right"] = row.is_right
    if row.feedback:
        data["feedback"] = row.feedback
    return data
