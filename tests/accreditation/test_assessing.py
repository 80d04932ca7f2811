"""Opening, handing back and deciding submitted portfolio units: the rules the services hold,
the audit log, IQA sampling at decision time and the candidate's e-mail."""

import pytest
from django.core import mail

from academy.models import AuditEntry
from accreditation import selectors, services
from accreditation.errors import (
    AccreditationError,
    AlreadyTakenError,
    DecisionIncompleteError,
    WrongStateError,
)
from accreditation.models import Decision, QualitySample, Submission
from tests.accreditation.assessing import (
    FEEDBACK,
    TO_RESUBMIT,
    decide,
    judgements,
    make_assessor,
    open_and_decide,
)
from tests.accreditation.factories import (
    CandidacyFactory,
    PortfolioUnitFactory,
    ProgrammeFactory,
    SubmissionFactory,
    VersionFactory,
)

pytestmark = pytest.mark.django_db

COMPETENT = Decision.Outcome.COMPETENT
NOT_YET = Decision.Outcome.NOT_YET_COMPETENT


@pytest.fixture
def assessor(staff_groups):
    return make_assessor(full_name="Ada Assessor")


@pytest.fixture
def submission(db):
    return SubmissionFactory()


# Opening ----------------------------------------------------------------------------------------


def test_opening_makes_the_submission_the_assessors_and_is_audited(assessor, submission):
    services.open_submission(submission=submission, assessor=assessor)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.IN_ASSESSMENT
    assert submission.assessor == assessor
    assert submission.opened_at is not None
    entry = AuditEntry.objects.get(action="submission.opened")
    assert entry.actor == assessor and entry.target_id == str(submission.pk)


def test_the_second_assessor_to_open_is_told_who_was_first(assessor, submission):
    services.open_submission(submission=submission, assessor=assessor)
    with pytest.raises(AlreadyTakenError, match="Ada Assessor opened this submission first"):
        services.open_submission(submission=submission, assessor=make_assessor())
    submission.refresh_from_db()
    assert submission.assessor == assessor


def test_opening_your_own_opened_submission_again_changes_nothing(assessor, submission):
    services.open_submission(submission=submission, assessor=assessor)
    services.open_submission(submission=submission, assessor=assessor)
    assert AuditEntry.objects.filter(action="submission.opened").count() == 1


def test_a_withdrawn_submission_cannot_be_opened(assessor, submission):
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.WITHDRAWN)
    with pytest.raises(WrongStateError, match="withdrew"):
        services.open_submission(submission=submission, assessor=assessor)


# Handing back -----------------------------------------------------------------------------------


def test_handing_a_submission_back_puts_it_in_the_queue_again_with_the_reason_kept(
    assessor, submission
):
    services.open_submission(submission=submission, assessor=assessor)
    with pytest.raises(AccreditationError, match="Say why"):
        services.release_submission(submission=submission, assessor=assessor, reason="  ")
    services.release_submission(
        submission=submission, assessor=assessor, reason="I supervised this candidate last year."
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.assessor is None and submission.opened_at is None
    entry = AuditEntry.objects.get(action="submission.released")
    assert entry.reason == "I supervised this candidate last year."
    other = make_assessor()
    services.open_submission(submission=submission, assessor=other)


def test_only_the_assessor_who_opened_it_can_hand_it_back(assessor, submission):
    services.open_submission(submission=submission, assessor=assessor)
    with pytest.raises(WrongStateError):
        services.release_submission(submission=submission, assessor=make_assessor(), reason="x")


# Deciding ---------------------------------------------------------------------------------------


def test_a_decision_copies_the_rubric_as_it_reads_and_closes_the_submission(assessor, submission):
    decision = open_and_decide(submission, assessor, NOT_YET, True, False)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DECIDED
    criteria = list(submission.work.requirement.unit.criteria.select_related("competency"))
    assert decision.criteria == [
        {
            "criterion": criterion.pk,
            "competency": criterion.competency.name,
            "statement": criterion.statement,
            "met": met,
            "comment": f"On criterion {number}.",
        }
        for number, (criterion, met) in enumerate(
            zip(criteria, [True, False], strict=True), start=1
        )
    ]
    assert decision.kind == Decision.Kind.ASSESSMENT and decision.decided_by == assessor
    assert (decision.feedback, decision.to_resubmit) == (FEEDBACK, TO_RESUBMIT)
    # Editing the rubric afterwards leaves the decision as it was made.
    criteria[0].statement = "Something else"
    criteria[0].save()
    decision.refresh_from_db()
    assert decision.criteria[0]["statement"] != "Something else"


def test_each_decision_is_audited_with_who_the_outcome_and_the_feedback(assessor, submission):
    decision = open_and_decide(submission, assessor, COMPETENT)
    entry = AuditEntry.objects.get(action="decision.recorded")
    assert entry.actor == assessor
    assert entry.target_type == "accreditation.decision"
    assert entry.target_id == str(decision.pk)
    assert entry.reason == FEEDBACK
    assert entry.details["outcome"] == COMPETENT
    assert entry.at is not None


def test_competent_needs_every_criterion_met(assessor, submission):
    services.open_submission(submission=submission, assessor=assessor)
    with pytest.raises(DecisionIncompleteError) as refused:
        decide(submission, assessor, COMPETENT, True, False)
    assert refused.value.problems == [
        f"Competent needs every criterion met, and criterion 2 ({_competency(submission, 1)}) "
        "is not. Choose not yet competent, or judge the criteria again."
    ]
    assert not Decision.objects.exists()


def _competency(submission, index: int) -> str:
    return selectors.rubric(submission.work.requirement.unit)[index].competency.name


def test_every_criterion_must_be_judged_and_feedback_given(assessor, submission):
    services.open_submission(submission=submission, assessor=assessor)
    given = judgements(submission)
    first = next(iter(given))
    given[first] = services.Judgement(met=None)
    with pytest.raises(DecisionIncompleteError) as refused:
        services.record_decision(
            submission=submission,
            assessor=assessor,
            outcome=NOT_YET,
            judgements=given,
            feedback=" ",
            to_resubmit="",
        )
    assert refused.value.problems == [
        f"Say whether each criterion is met: criterion 1 ({_competency(submission, 0)}).",
        "Write feedback for the candidate.",
        "Say what the candidate should do and resubmit.",
    ]
    with pytest.raises(DecisionIncompleteError, match="Choose an outcome"):
        services.record_decision(
            submission=submission,
            assessor=assessor,
            outcome="",
            judgements=judgements(submission),
            feedback=FEEDBACK,
        )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.IN_ASSESSMENT


def test_a_submission_is_decided_once(assessor, submission):
    open_and_decide(submission, assessor, COMPETENT)
    with pytest.raises(WrongStateError, match="decided already"):
        decide(submission, assessor, NOT_YET, True, False)
    assert Decision.objects.count() == 1


def test_only_the_assessor_who_opened_it_decides(assessor, submission):
    with pytest.raises(WrongStateError, match="Open this submission"):
        decide(submission, assessor)
    services.open_submission(submission=submission, assessor=assessor)
    with pytest.raises(AlreadyTakenError):
        decide(submission, make_assessor())
    assert not Decision.objects.exists()


# IQA sampling -----------------------------------------------------------------------------------


def _programme_sampling(percent: int):
    return VersionFactory(programme=ProgrammeFactory(iqa_sample_percent=percent))


def test_an_assessors_first_decision_is_always_sampled(assessor):
    version = _programme_sampling(0)
    first = open_and_decide(
        SubmissionFactory(candidacy=CandidacyFactory(version=version)), assessor
    )
    second = open_and_decide(
        SubmissionFactory(candidacy=CandidacyFactory(version=version)), assessor
    )
    assert first.sample.reason == QualitySample.Reason.FIRST_DECISION
    assert not QualitySample.objects.filter(decision=second).exists()
    entry = AuditEntry.objects.get(action="decision.recorded", target_id=str(first.pk))
    assert entry.details["sampled"] == "first_decision"


@pytest.mark.parametrize(("percent", "sampled"), [(0, 0), (100, 5)])
def test_the_programmes_share_is_sampled_at_random(assessor, percent, sampled):
    """With the real, system random draw: 0% never samples, 100% always does."""
    version = _programme_sampling(percent)
    open_and_decide(SubmissionFactory(candidacy=CandidacyFactory(version=version)), assessor)
    decisions = [
        open_and_decide(
            SubmissionFactory(candidacy=CandidacyFactory(version=version)),
            assessor,
            draw=services.share_draw,
        )
        for _ in range(5)
    ]
    assert (
        QualitySample.objects.filter(
            decision__in=decisions, reason=QualitySample.Reason.SHARE
        ).count()
        == sampled
    )


def test_a_draw_below_the_share_is_sampled_and_one_at_it_is_not(assessor):
    version = _programme_sampling(10)
    open_and_decide(SubmissionFactory(candidacy=CandidacyFactory(version=version)), assessor)
    below, at = (
        open_and_decide(
            SubmissionFactory(candidacy=CandidacyFactory(version=version)),
            assessor,
            draw=lambda value=value: value,
        )
        for value in (9, 10)
    )
    assert below.sample.reason == QualitySample.Reason.SHARE
    assert not QualitySample.objects.filter(decision=at).exists()


def test_the_system_draw_stays_within_0_to_99():
    assert {services.share_draw() for _ in range(2000)} <= set(range(100))


# The candidate's e-mail -------------------------------------------------------------------------


def test_the_candidate_is_emailed_once_that_a_decision_was_made_without_the_feedback(
    assessor, submission, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = open_and_decide(submission, assessor, COMPETENT)
    # The unit was the programme's only requirement, so its certificate is e-mailed too.
    unit = submission.work.requirement.unit
    assert len(decision_emails(unit)) == 1
    message = decision_emails(unit)[0]
    candidate = submission.work.candidacy.candidate
    assert message.to == [candidate.email]
    assert "A decision has been made" in message.body
    assert "http://testserver/" in message.body
    assert FEEDBACK not in message.body and "Competent" not in message.body
    assert "no resubmissions" not in message.body.lower()
    decision.refresh_from_db()
    assert decision.emailed_at is not None
    # The task again (a retry, or the sweep) sends nothing more.
    assert services.email_decision_made(decision_id=decision.pk) is False
    assert services.queue_unsent_decision_emails() == 0
    assert len(decision_emails(unit)) == 1


def decision_emails(unit):
    return [message for message in mail.outbox if unit.code in message.subject]


def test_a_decision_whose_email_was_never_queued_is_queued_by_the_sweep(assessor, submission):
    decision = open_and_decide(submission, assessor, COMPETENT)  # on-commit never ran
    unit = submission.work.requirement.unit
    assert not decision_emails(unit)
    assert services.queue_unsent_decision_emails() == 1  # Celery runs eagerly in tests
    assert len(decision_emails(unit)) == 1
    decision.refresh_from_db()
    assert decision.emailed_at is not None


# Resubmissions ----------------------------------------------------------------------------------


def test_resubmissions_run_out_at_the_units_limit(assessor):
    unit = PortfolioUnitFactory(resubmission_limit=1)
    candidacy = CandidacyFactory(version=VersionFactory(units=[unit]))
    first = SubmissionFactory(candidacy=candidacy)
    assert selectors.resubmissions_left(first.work) == 1
    open_and_decide(first, assessor, NOT_YET, True, False)
    assert selectors.resubmissions_left(first.work) == 1
    withdrawn = SubmissionFactory(candidacy=candidacy, status=Submission.Status.WITHDRAWN)
    assert selectors.resubmissions_left(withdrawn.work) == 1  # withdrawing uses none
    second = SubmissionFactory(candidacy=candidacy)
    assert second.number == 3
    assert selectors.resubmissions_left(second.work) == 0
    assert selectors.resubmissions_left_after(second) == 0
    assert selectors.resubmissions_left_after(first) == 1


def test_the_email_says_when_no_resubmissions_are_left(
    assessor, django_capture_on_commit_callbacks
):
    unit = PortfolioUnitFactory(resubmission_limit=0)
    submission = SubmissionFactory(candidacy=CandidacyFactory(version=VersionFactory(units=[unit])))
    with django_capture_on_commit_callbacks(execute=True):
        open_and_decide(submission, assessor, NOT_YET, False, False)
    assert "used every resubmission this unit allows" in mail.outbox[0].body
