"""Helpers for the assessing tests: assessors, memberships and a decision made the way the
decision form makes it."""

from academy import services as people
from accreditation import selectors, services
from accreditation.models import Decision, Submission
from tests.academy.factories import MembershipFactory, UserFactory

FEEDBACK = "Your plans are clear and you weighed the evidence with care."
TO_RESUBMIT = "A plan that shows how you would test what the records say."


def make_assessor(**kwargs):
    """An assessor with MFA set up unless told (the staff_groups fixture must have run)."""
    kwargs.setdefault("mfa", True)
    return UserFactory(groups=[people.ASSESSORS], **kwargs)


def member(user, organisation, team: str = ""):
    return MembershipFactory(user=user, organisation=organisation, team=team)


def judgements(submission: Submission, *met: bool) -> dict[int, services.Judgement]:
    """A judgement of each of the unit's criteria: met unless `met` says otherwise, in order."""
    criteria = selectors.rubric(submission.work.requirement.unit)
    flags = list(met) or [True] * len(criteria)
    return {
        criterion.pk: services.Judgement(met=flag, comment=f"On criterion {number}.")
        for number, (criterion, flag) in enumerate(zip(criteria, flags, strict=True), start=1)
    }


def decide(
    submission: Submission,
    assessor,
    outcome: str = Decision.Outcome.COMPETENT,
    *met: bool,
    draw=lambda: 99,
) -> Decision:
    """Record the assessor's decision on a submission they opened; not yet competent comes with
    what to resubmit. The IQA share's draw misses unless told."""
    return services.record_decision(
        submission=submission,
        assessor=assessor,
        outcome=outcome,
        judgements=judgements(submission, *met),
        feedback=FEEDBACK,
        to_resubmit=TO_RESUBMIT if outcome == Decision.Outcome.NOT_YET_COMPETENT else "",
        draw=draw,
    )


def open_and_decide(submission, assessor, outcome=Decision.Outcome.COMPETENT, *met, **kwargs):
    services.open_submission(submission=submission, assessor=assessor)
    return decide(submission, assessor, outcome, *met, **kwargs)
