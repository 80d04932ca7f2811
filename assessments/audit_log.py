"""How the assessments app's entries read in the admin's audit log (academy.audit)."""

from django.urls import reverse

from academy import audit

ACTIONS = {
    "mark.given": "Mark given",
    "mark.changed": "Mark changed",
    "mark.corrected": "Mark corrected",
    "results.released": "Results released",
    "adjustment.granted": "Adjustment granted",
    "adjustment.changed": "Adjustment changed",
    "question.regraded": "Question corrected and answers regraded",
    "response.regraded": "Answer regraded",
}


def _answer(response) -> str:
    attempt = response.attempt
    return (
        f"Question {response.position} of {attempt.user.full_name}'s attempt {attempt.number} "
        f"at {attempt.assessment.title}"
    )


def register() -> None:
    audit.describe_actions(ACTIONS)
    answer = ("response__attempt__user", "response__attempt__assessment")
    audit.describe_target(
        "assessments.mark",
        related=answer,
        describe=lambda mark: f"{mark.get_stage_display()}: {_answer(mark.response)}",
        url=lambda mark: reverse("marking_mark", args=[mark.response_id]),
    )
    audit.describe_target(
        "assessments.response", related=("attempt__user", "attempt__assessment"), describe=_answer
    )
    audit.describe_target(
        "assessments.adjustment",
        related=("learner", "assessment"),
        describe=lambda adjustment: (
            f"{adjustment.learner.full_name}'s adjustment for {adjustment.assessment.title}"
        ),
    )
