"""Appeals: a candidate appeals the decision on their unit once, within the programme's days to
appeal; a panel member with no part in it upholds (with the panel's decision) or dismisses, with
reasons, once; the candidate is e-mailed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from academy import services as people
from academy.models import AuditEntry
from accreditation import selectors, services
from accreditation.errors import (
    AccreditationError,
    AlreadyTakenError,
    ConflictOfInterestError,
    WrongStateError,
)
from accreditation.models import Appeal, Candidacy, Decision, QualitySample
from accreditation.selectors.quality import appeal_state, appealable
from accreditation.tasks import email_appeal_decided
from tests.academy.factories import MembershipFactory, OrganisationFactory

from .factories import (
    AppealFactory,
    DecidedSubmissionFactory,
    DecisionFactory,
    QualitySampleFactory,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(staff_groups):
    return staff(people.PROGRAMME_MANAGERS, full_name="Pat Panel")


def candidate_of(decision: Decision):
    return decision.submission.work.candidacy.candidate


def days_ago(decision: Decision, days: int) -> Decision:
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - timedelta(days=days))
    decision.refresh_from_db()
    return decision


# Lodging ---------------------------------------------------------------------------------------


def test_a_candidate_appeals_their_decision_with_grounds():
    decision = DecisionFactory()
    candidate = candidate_of(decision)
    appeal = services.lodge_appeal(
        decision=decision, candidate=candidate, grounds="  The second plan was missed.  "
    )
    assert appeal.grounds == "The second plan was missed."
    assert appeal.outcome == "" and appeal.decided_at is None
    entry = AuditEntry.objects.get(action="appeal.lodged")
    assert entry.actor == candidate and entry.target_id == str(appeal.pk)


def test_the_window_to_appeal_is_the_programmes_number_of_days():
    decision = DecisionFactory(
        submission__work__candidacy__version__programme__appeal_window_days=10
    )
    now = timezone.now()
    assert appealable(days_ago(decision, 9), now)
    late = days_ago(decision, 11)
    assert not appealable(late, now)
    state = appeal_state(late, now)
    assert not state.can_appeal and "ended on" in state.problem and "10 days" in state.problem
    with pytest.raises(WrongStateError, match="time to appeal this decision ended"):
        services.lodge_appeal(decision=late, candidate=candidate_of(late), grounds="Late.")
    assert not Appeal.objects.exists()


def test_a_decision_is_appealed_once():
    decision = DecisionFactory()
    services.lodge_appeal(decision=decision, candidate=candidate_of(decision), grounds="One.")
    decision = Decision.objects.select_related("appeal").get(pk=decision.pk)
    assert appeal_state(decision, timezone.now()).label == "Appeal waiting for the panel"
    with pytest.raises(WrongStateError, match="already appealed"):
        services.lodge_appeal(decision=decision, candidate=candidate_of(decision), grounds="Two.")
    assert Appeal.objects.count() == 1


def test_nobody_appeals_a_decision_about_someone_else(learner):
    decision = DecisionFactory()
    with pytest.raises(WrongStateError, match="your own work"):
        services.lodge_appeal(decision=decision, candidate=learner, grounds="Not mine.")
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("grounds", ["", "   ", "x" * 5001])
def test_grounds_are_required_and_capped(grounds):
    decision = DecisionFactory()
    with pytest.raises(AccreditationError):
        services.lodge_appeal(decision=decision, candidate=candidate_of(decision), grounds=grounds)
    assert not Appeal.objects.exists()


def test_what_cannot_be_appealed(member):
    now = timezone.now()
    competent = DecisionFactory(outcome=Decision.Outcome.COMPETENT)
    assert "not yet competent" in appeal_state(competent, now).problem

    resubmitted = DecisionFactory()
    DecidedSubmissionFactory(work=resubmitted.submission.work)
    assert "resubmitted" in appeal_state(resubmitted, now).problem

    replaced = DecisionFactory()
    on_appeal = Decision.objects.create(
        submission=replaced.submission,
        kind=Decision.Kind.APPEAL,
        outcome=Decision.Outcome.NOT_YET_COMPETENT,
        feedback="Still short.",
        to_resubmit="More.",
        decided_by=member,
        supersedes=replaced,
    )
    assert "replaced" in appeal_state(replaced, now).problem
    assert "final" in appeal_state(on_appeal, now).problem

    withdrawn = DecisionFactory(
        submission__work__candidacy__status=Candidacy.Status.WITHDRAWN,
    )
    assert "withdrawn" in appeal_state(withdrawn, now).problem


def test_an_iqas_overturn_can_be_appealed(staff_groups):
    iqa = staff(people.INTERNAL_QUALITY_ASSURERS)
    sample = QualitySampleFactory(decision__outcome=Decision.Outcome.COMPETENT)
    services.overturn_decision(
        sample=sample,
        reviewer=iqa,
        reasons="Evidence not weighed.",
        outcome=Decision.Outcome.NOT_YET_COMPETENT,
        feedback="Weigh it.",
        to_resubmit="A plan that weighs evidence.",
    )
    overturn = Decision.objects.get(kind=Decision.Kind.IQA_OVERTURN)
    assert appealable(overturn, timezone.now())
    assert not appealable(sample.decision, timezone.now())


# Deciding --------------------------------------------------------------------------------------


def test_upholding_records_the_panels_decision_as_the_candidates(
    member, django_capture_on_commit_callbacks
):
    appeal = AppealFactory()
    appealed = appeal.decision
    candidacy = appealed.submission.work.candidacy

    with django_capture_on_commit_callbacks(execute=True):
        services.uphold_appeal(
            appeal=appeal,
            member=member,
            reasons="The second plan answers every question.",
            outcome=Decision.Outcome.COMPETENT,
            feedback="Competent on both plans.",
        )

    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.panel_member) == (Appeal.Outcome.UPHELD, member)
    assert appeal.reasons == "The second plan answers every question."
    new = Decision.objects.get(kind=Decision.Kind.APPEAL)
    assert new.supersedes == appealed and new.decided_by == member
    (row,) = selectors.requirement_rows(candidacy=candidacy)
    assert row.state == selectors.State.COMPETENT
    candidacy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.AWARDED
    entry = AuditEntry.objects.get(action="appeal.upheld")
    assert entry.actor == member and entry.details["new_decision"] == new.pk

    decided = [m for m in mail.outbox if "appeal has been decided" in m.subject]
    assert len(decided) == 1 and decided[0].to == [candidacy.candidate.email]
    assert email_appeal_decided(appeal.pk) is False
    assert len([m for m in mail.outbox if "appeal has been decided" in m.subject]) == 1


def test_dismissing_leaves_the_decision_standing(member, django_capture_on_commit_callbacks):
    appeal = AppealFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.dismiss_appeal(appeal=appeal, member=member, reasons="The plan omits evidence.")
    appeal.refresh_from_db()
    assert appeal.outcome == Appeal.Outcome.DISMISSED
    assert appeal.decision.submission.decisions.count() == 1
    decision = Decision.objects.select_related(
        "appeal", "submission__work__candidacy__programme"
    ).get(pk=appeal.decision_id)
    assert appeal_state(decision, timezone.now()).label == "Appeal dismissed"
    assert AuditEntry.objects.get(action="appeal.dismissed").reason == "The plan omits evidence."
    assert len(mail.outbox) == 1


def test_an_appeal_is_decided_once(member, staff_groups):
    appeal = AppealFactory()
    services.dismiss_appeal(appeal=appeal, member=member, reasons="No grounds.")
    other = staff(people.ADMINISTRATORS)
    with pytest.raises(AlreadyTakenError, match="Pat Panel already dismissed"):
        services.uphold_appeal(
            appeal=appeal,
            member=other,
            reasons="Grounds.",
            outcome=Decision.Outcome.COMPETENT,
            feedback="Fine.",
        )
    assert not Decision.objects.filter(kind=Decision.Kind.APPEAL).exists()


def test_the_panel_needs_reasons_and_a_complete_decision(member):
    appeal = AppealFactory()
    with pytest.raises(AccreditationError, match="Give your reasons"):
        services.dismiss_appeal(appeal=appeal, member=member, reasons=" ")
    with pytest.raises(AccreditationError, match="Write feedback"):
        services.uphold_appeal(
            appeal=appeal, member=member, reasons="Grounds.", outcome="competent", feedback=""
        )
    appeal.refresh_from_db()
    assert appeal.decided_at is None


def test_who_may_not_sit_on_the_panel(staff_groups):
    iqa = staff(people.INTERNAL_QUALITY_ASSURERS)
    assessor = staff(people.ASSESSORS)
    appeal = AppealFactory(decision__submission__assessor=assessor)
    QualitySample.objects.create(
        decision=appeal.decision,
        reason=QualitySample.Reason.SHARE,
        reviewer=iqa,
        outcome="confirmed",
        reasons="Sound.",
        reviewed_at=timezone.now(),
    )
    candidate = candidate_of(appeal.decision)
    trust = OrganisationFactory()
    MembershipFactory(user=candidate, organisation=trust)
    colleague = staff(people.PROGRAMME_MANAGERS)
    MembershipFactory(user=colleague, organisation=trust)

    for too_close in (assessor, iqa, candidate, colleague):
        with pytest.raises(ConflictOfInterestError):
            services.dismiss_appeal(appeal=appeal, member=too_close, reasons="No.")
        assert not selectors.quality.appeals_waiting(member=too_close).exists()
    independent = staff(people.INTERNAL_QUALITY_ASSURERS)
    assert list(selectors.quality.appeals_waiting(member=independent)) == [appeal]
    services.dismiss_appeal(appeal=appeal, member=independent, reasons="No grounds.")


def test_the_iqa_who_made_an_overturn_does_not_hear_its_appeal(staff_groups):
    iqa = staff(people.INTERNAL_QUALITY_ASSURERS)
    sample = QualitySampleFactory(decision__outcome=Decision.Outcome.COMPETENT)
    services.overturn_decision(
        sample=sample,
        reviewer=iqa,
        reasons="Not weighed.",
        outcome=Decision.Outcome.NOT_YET_COMPETENT,
        feedback="Weigh it.",
        to_resubmit="Weighed plan.",
    )
    overturn = Decision.objects.get(kind=Decision.Kind.IQA_OVERTURN)
    appeal = services.lodge_appeal(
        decision=overturn, candidate=candidate_of(overturn), grounds="It was weighed."
    )
    with pytest.raises(ConflictOfInterestError):
        services.dismiss_appeal(appeal=appeal, member=iqa, reasons="No.")


def test_no_uphold_once_the_candidate_has_handed_the_unit_in_again(member):
    appeal = AppealFactory()
    DecidedSubmissionFactory(work=appeal.decision.submission.work)
    with pytest.raises(WrongStateError, match="handed this unit in again"):
        services.uphold_appeal(
            appeal=appeal, member=member, reasons="Yes.", outcome="competent", feedback="Good."
        )
    services.dismiss_appeal(appeal=appeal, member=member, reasons="Overtaken by the resubmission.")
