"""Internal quality assurance: an IQA confirms or overturns a sampled decision with reasons,
once; an overturn becomes the candidate's decision, may complete the award, and is e-mailed."""

import pytest
from django.core import mail

from academy import services as people
from academy.models import AuditEntry
from accreditation import selectors, services
from accreditation.errors import (
    AccreditationError,
    AlreadyTakenError,
    ConflictOfInterestError,
    WrongStateError,
)
from accreditation.models import Candidacy, Decision, QualitySample
from accreditation.services.quality import CriterionFinding
from accreditation.tasks import email_decision_overturned
from certificates.models import Award, Certificate
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
def iqa(staff_groups):
    return staff(people.INTERNAL_QUALITY_ASSURERS, full_name="Iris Quality")


def the_candidacy(sample: QualitySample) -> Candidacy:
    return sample.decision.submission.work.candidacy


def test_confirming_keeps_the_decision_and_records_who_when_and_why(iqa):
    sample = QualitySampleFactory()

    services.confirm_decision(sample=sample, reviewer=iqa, reasons="Feedback matches the rubric.")

    sample.refresh_from_db()
    assert sample.outcome == QualitySample.Outcome.CONFIRMED
    assert sample.reviewer == iqa and sample.reviewed_at is not None
    assert sample.reasons == "Feedback matches the rubric."
    assert sample.decision.submission.decisions.count() == 1
    entry = AuditEntry.objects.get(action="decision.confirmed")
    assert entry.actor == iqa and entry.reason == "Feedback matches the rubric."
    assert entry.target_id == str(sample.decision.pk)
    assert mail.outbox == []


def test_an_overturn_becomes_the_candidates_decision_and_completes_the_award(
    iqa, django_capture_on_commit_callbacks
):
    sample = QualitySampleFactory()
    old = sample.decision
    candidacy = the_candidacy(sample)
    first, second = selectors.quality.unit_criteria(old.submission.work.requirement.unit_id)

    with django_capture_on_commit_callbacks(execute=True):
        services.overturn_decision(
            sample=sample,
            reviewer=iqa,
            reasons="The second plan shows the evidence for every question.",
            outcome=Decision.Outcome.COMPETENT,
            feedback="Both plans link questions to evidence.",
            findings={second.pk: CriterionFinding(met=True, comment="In the second plan.")},
        )

    new = old.submission.decisions.get(kind=Decision.Kind.IQA_OVERTURN)
    assert new.supersedes == old and new.decided_by == iqa
    assert new.outcome == Decision.Outcome.COMPETENT and new.to_resubmit == ""
    assert [c["criterion"] for c in new.criteria] == [second.pk]
    assert new.criteria[0]["met"] is True and new.criteria[0]["comment"] == "In the second plan."
    submission = old.submission.__class__.objects.prefetch_related("decisions").get(
        pk=old.submission_id
    )
    assert selectors.current_decision(submission) == new
    (row,) = selectors.requirement_rows(candidacy=candidacy)
    assert row.state == selectors.State.COMPETENT
    candidacy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.AWARDED
    assert Certificate.objects.filter(
        award__kind=Award.Kind.ACCREDITATION, learner=candidacy.candidate
    ).exists()
    sample.refresh_from_db()
    assert sample.outcome == QualitySample.Outcome.OVERTURNED
    entry = AuditEntry.objects.get(action="decision.overturned")
    assert entry.actor == iqa and entry.reason.startswith("The second plan")
    assert entry.details["new_decision"] == new.pk

    changed = [m for m in mail.outbox if "decision has changed" in m.subject]
    assert len(changed) == 1
    assert changed[0].to == [candidacy.candidate.email]
    assert f"/accreditation/candidacy/{candidacy.pk}/" in changed[0].body
    assert "Both plans" not in changed[0].body  # feedback stays behind the sign-in
    assert email_decision_overturned(sample.pk) is False  # sent once, however often it runs
    assert len([m for m in mail.outbox if "decision has changed" in m.subject]) == 1


def test_an_overturn_to_not_yet_competent_needs_what_to_resubmit(iqa):
    sample = QualitySampleFactory(decision__outcome=Decision.Outcome.COMPETENT)
    with pytest.raises(AccreditationError, match="what the candidate should do"):
        services.overturn_decision(
            sample=sample,
            reviewer=iqa,
            reasons="The plan does not weigh evidence.",
            outcome=Decision.Outcome.NOT_YET_COMPETENT,
            feedback="Weigh the evidence.",
        )
    sample.refresh_from_db()
    assert sample.reviewed_at is None
    assert not Decision.objects.filter(kind=Decision.Kind.IQA_OVERTURN).exists()


def test_competent_is_refused_with_a_criterion_judged_not_met(iqa):
    sample = QualitySampleFactory()
    first, _second = selectors.quality.unit_criteria(
        sample.decision.submission.work.requirement.unit_id
    )
    with pytest.raises(AccreditationError, match="criterion 1 is not"):
        services.overturn_decision(
            sample=sample,
            reviewer=iqa,
            reasons="Close call.",
            outcome=Decision.Outcome.COMPETENT,
            feedback="Good.",
            findings={first.pk: CriterionFinding(met=False)},
        )


@pytest.mark.parametrize("reasons", ["", "   "])
def test_reasons_are_required(iqa, reasons):
    sample = QualitySampleFactory()
    with pytest.raises(AccreditationError, match="Give your reasons"):
        services.confirm_decision(sample=sample, reviewer=iqa, reasons=reasons)
    assert not AuditEntry.objects.exists()


def test_a_sample_is_reviewed_once(iqa, staff_groups):
    sample = QualitySampleFactory()
    services.confirm_decision(sample=sample, reviewer=iqa, reasons="Sound.")
    other = staff(people.INTERNAL_QUALITY_ASSURERS)

    with pytest.raises(AlreadyTakenError, match="Iris Quality already confirmed"):
        services.overturn_decision(
            sample=sample,
            reviewer=other,
            reasons="I disagree.",
            outcome=Decision.Outcome.COMPETENT,
            feedback="Fine.",
        )
    assert sample.decision.submission.decisions.count() == 1
    assert AuditEntry.objects.filter(action__startswith="decision.").count() == 1


def test_an_iqa_never_reviews_their_own_decision(iqa):
    sample = QualitySampleFactory(decision__submission__assessor=iqa)
    with pytest.raises(ConflictOfInterestError, match="You made this decision"):
        services.confirm_decision(sample=sample, reviewer=iqa, reasons="Mine, and fine.")
    sample.refresh_from_db()
    assert sample.reviewed_at is None


def test_an_iqa_never_reviews_a_decision_about_themselves_or_their_organisation(iqa):
    about_them = QualitySampleFactory(decision__submission__work__candidacy__candidate=iqa)
    with pytest.raises(ConflictOfInterestError):
        services.confirm_decision(sample=about_them, reviewer=iqa, reasons="Fine.")

    trust = OrganisationFactory()
    MembershipFactory(user=iqa, organisation=trust)
    colleague = MembershipFactory(organisation=trust).user
    about_colleague = QualitySampleFactory(
        decision__submission__work__candidacy__candidate=colleague
    )
    with pytest.raises(ConflictOfInterestError, match="your organisation"):
        services.confirm_decision(sample=about_colleague, reviewer=iqa, reasons="Fine.")


def test_no_overturn_while_the_candidates_appeal_waits(iqa):
    sample = QualitySampleFactory()
    AppealFactory(decision=sample.decision)
    with pytest.raises(WrongStateError, match="appeal panel decides first"):
        services.overturn_decision(
            sample=sample,
            reviewer=iqa,
            reasons="Should be competent.",
            outcome=Decision.Outcome.COMPETENT,
            feedback="Good.",
        )
    services.confirm_decision(sample=sample, reviewer=iqa, reasons="Sound as it stands.")


def test_once_the_unit_has_moved_on_an_overturn_is_recorded_and_changes_nothing(
    iqa, django_capture_on_commit_callbacks
):
    sample = QualitySampleFactory()
    work = sample.decision.submission.work
    DecidedSubmissionFactory(work=work)  # handed in again since

    with django_capture_on_commit_callbacks(execute=True):
        services.overturn_decision(
            sample=sample,
            reviewer=iqa,
            reasons="It was competent the first time.",
            outcome=Decision.Outcome.COMPETENT,
            feedback="Good.",
        )

    sample.refresh_from_db()
    assert sample.outcome == QualitySample.Outcome.OVERTURNED
    assert not Decision.objects.filter(kind=Decision.Kind.IQA_OVERTURN).exists()
    assert AuditEntry.objects.get(action="decision.overturned").details["new_decision"] is None
    assert mail.outbox == []


def test_an_iqa_chooses_a_decision_to_sample_once(iqa):
    decision = DecisionFactory()
    sample = services.choose_for_sample(decision=decision, reviewer=iqa)
    assert sample.reason == QualitySample.Reason.CHOSEN
    assert AuditEntry.objects.get(action="decision.sampled").actor == iqa
    with pytest.raises(WrongStateError, match="sampled already"):
        services.choose_for_sample(decision=decision, reviewer=iqa)


def test_an_iqa_cannot_choose_their_own_decision_or_one_replaced(iqa, staff_groups):
    own = DecisionFactory(submission__assessor=iqa)
    with pytest.raises(ConflictOfInterestError):
        services.choose_for_sample(decision=own, reviewer=iqa)
    replaced = DecisionFactory()
    Decision.objects.create(
        submission=replaced.submission,
        kind=Decision.Kind.APPEAL,
        outcome=Decision.Outcome.COMPETENT,
        feedback="On appeal.",
        decided_by=staff(people.PROGRAMME_MANAGERS),
        supersedes=replaced,
    )
    with pytest.raises(WrongStateError, match="no longer stands"):
        services.choose_for_sample(decision=replaced, reviewer=iqa)
    assert not QualitySample.objects.exists()


def test_unsent_overturn_emails_are_queued_again_by_the_sweep(iqa):
    sample = QualitySampleFactory()
    services.overturn_decision(
        sample=sample,
        reviewer=iqa,
        reasons="Competent.",
        outcome=Decision.Outcome.COMPETENT,
        feedback="Good.",
    )  # outside a captured commit: the e-mail's task was never queued
    confirmed = QualitySampleFactory()
    services.confirm_decision(sample=confirmed, reviewer=iqa, reasons="Sound.")
    assert mail.outbox == []

    assert services.queue_unsent_quality_emails() == 1
    assert len(mail.outbox) == 1
    assert services.queue_unsent_quality_emails() == 0
