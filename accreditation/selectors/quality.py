"""Reads for internal and external quality assurance and for appeals: the IQA's queues, the
record of a sampled submission, the EQA's anonymous view of the samples, whether a candidate may
appeal a decision, and the appeal panel's queue. Lists load in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from academy.selectors import is_too_close_to_judge, people_too_close_to_judge

from ..models import (
    Appeal,
    Candidacy,
    Decision,
    Evidence,
    QualitySample,
    RubricCriterion,
    Submission,
)

# What every list of decisions shows beside the decision: whose work, on which unit of which
# programme, and who decided it.
DECISION_RELATED = (
    "decided_by",
    "submission__work__candidacy__candidate",
    "submission__work__candidacy__programme",
    "submission__work__requirement__unit",
)


def unit_path(work) -> str:
    """The candidate's page for the unit of this UnitWork."""
    return reverse(
        "accreditation:unit",
        kwargs={"candidacy_pk": work.candidacy_id, "requirement_pk": work.requirement_id},
    )


def staff_name(person) -> str:
    return person.get_full_name() or person.email


# Internal quality assurance --------------------------------------------------------------------


def current_decision(submission: Submission) -> Decision | None:
    """The decision that stands on a submission, from its prefetched decisions (oldest first):
    the latest one no other decision supersedes."""
    decisions = list(submission.decisions.all())
    superseded = {d.supersedes_id for d in decisions if d.supersedes_id}
    standing = [d for d in decisions if d.pk not in superseded]
    return standing[-1] if standing else None


def unit_criteria(unit_id: int) -> list[RubricCriterion]:
    """The unit's rubric as it reads now, in order, with each criterion's competency."""
    return list(
        RubricCriterion.objects.filter(unit_id=unit_id)
        .select_related("competency")
        .order_by("sort_order", "pk")
    )


def appeal_waiting(decision: Decision) -> bool:
    """Whether the candidate's appeal against the decision waits for the panel."""
    return Appeal.objects.filter(decision=decision, decided_at__isnull=True).exists()


def samples_to_review(
    *, reviewer, programme_id: int | None = None, reason: str = "", assessor_id: int | None = None
) -> QuerySet:
    """Samples no IQA has reviewed yet that `reviewer` may review (not their own decisions, nor
    about anyone too close to them), oldest first, each with `appeal_waiting`."""
    samples = (
        QualitySample.objects.filter(reviewed_at__isnull=True)
        .exclude(decision__decided_by=reviewer)
        .exclude(
            decision__submission__work__candidacy__candidate__in=people_too_close_to_judge(
                judge=reviewer
            )
        )
        .select_related(*(f"decision__{name}" for name in DECISION_RELATED))
        .annotate(
            appeal_waiting=Exists(
                Appeal.objects.filter(decision=OuterRef("decision"), decided_at__isnull=True)
            )
        )
        .order_by("sampled_at", "pk")
    )
    if programme_id:
        samples = samples.filter(decision__submission__work__candidacy__programme_id=programme_id)
    if reason:
        samples = samples.filter(reason=reason)
    if assessor_id:
        samples = samples.filter(decision__decided_by_id=assessor_id)
    return samples


def reviewed_samples(*, programme_id: int | None = None, reason: str = "", assessor_id=None):
    """Samples already reviewed, the latest review first, with who reviewed them."""
    samples = (
        QualitySample.objects.filter(reviewed_at__isnull=False)
        .select_related("reviewer", *(f"decision__{name}" for name in DECISION_RELATED))
        .order_by("-reviewed_at", "-pk")
    )
    if programme_id:
        samples = samples.filter(decision__submission__work__candidacy__programme_id=programme_id)
    if reason:
        samples = samples.filter(reason=reason)
    if assessor_id:
        samples = samples.filter(decision__decided_by_id=assessor_id)
    return samples


def decisions_to_sample(
    *, reviewer, programme_id: int | None = None, assessor_id: int | None = None
) -> QuerySet:
    """Assessors' decisions that still stand and have not been sampled, which `reviewer` may
    choose to review, the latest first."""
    decisions = (
        Decision.objects.filter(
            kind=Decision.Kind.ASSESSMENT, sample__isnull=True, superseded_by__isnull=True
        )
        .exclude(decided_by=reviewer)
        .exclude(
            submission__work__candidacy__candidate__in=people_too_close_to_judge(judge=reviewer)
        )
        .select_related(*DECISION_RELATED)
        .order_by("-decided_at", "-pk")
    )
    if programme_id:
        decisions = decisions.filter(submission__work__candidacy__programme_id=programme_id)
    if assessor_id:
        decisions = decisions.filter(decided_by_id=assessor_id)
    return decisions


def assessors_with_decisions():
    """The people who have made assessors' decisions, for the queues' filter, in one query."""
    return (
        get_user_model()
        .objects.filter(
            pk__in=Decision.objects.filter(kind=Decision.Kind.ASSESSMENT).values("decided_by_id")
        )
        .order_by("full_name", "email")
    )


@dataclass(frozen=True)
class DecisionRecord:
    """One decision on a submission with what quality assurance and appeals made of it."""

    decision: Decision
    sample: QualitySample | None
    appeal: Appeal | None
    standing: bool


@dataclass(frozen=True)
class SubmissionRecord:
    """A submission as it was handed in, and every decision made on it, in order."""

    submission: Submission
    candidacy: Candidacy
    evidence: list[Evidence]
    decisions: list[DecisionRecord]
    current: Decision | None
    # A later submission of the same unit that was not withdrawn: the unit has moved on.
    resubmitted: bool


def submission_record(submission_id: int) -> SubmissionRecord:
    """The submission's frozen statement and evidence, its decisions (each with its IQA sample
    and appeal) and its candidacy, in a fixed number of queries."""
    submission = (
        Submission.objects.select_related(
            "work__candidacy__candidate",
            "work__candidacy__programme",
            "work__requirement__unit",
            "assessor",
        )
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related(
                    "decided_by", "sample__reviewer", "appeal__panel_member"
                ).order_by("decided_at", "pk"),
            ),
        )
        .get(pk=submission_id)
    )
    current = current_decision(submission)
    records = [
        DecisionRecord(
            decision=decision,
            sample=getattr(decision, "sample", None),
            appeal=getattr(decision, "appeal", None),
            standing=current is not None and decision.pk == current.pk,
        )
        for decision in submission.decisions.all()
    ]
    resubmitted = (
        Submission.objects.filter(work_id=submission.work_id, number__gt=submission.number)
        .exclude(status=Submission.Status.WITHDRAWN)
        .exists()
    )
    return SubmissionRecord(
        submission=submission,
        candidacy=submission.work.candidacy,
        evidence=list(submission.evidence.all()),
        decisions=records,
        current=current,
        resubmitted=resubmitted,
    )


def sample_to_review(pk: int) -> QualitySample | None:
    return (
        QualitySample.objects.select_related(
            "reviewer", *(f"decision__{name}" for name in DECISION_RELATED)
        )
        .filter(pk=pk)
        .first()
    )


def may_review(*, reviewer, sample: QualitySample) -> str:
    """Why `reviewer` may not review the sample, or "" when they may."""
    decision = sample.decision
    if decision.decided_by_id == reviewer.pk:
        return "You made this decision, so another IQA reviews it."
    candidate_id = decision.submission.work.candidacy.candidate_id
    if is_too_close_to_judge(judge=reviewer, person_id=candidate_id):
        return (
            "You may not review this decision: the work is your own, or the candidate is in your "
            "organisation."
        )
    return ""


# External quality assurance --------------------------------------------------------------------


def external_samples(*, programme_id: int | None = None, reviewed: str = "") -> QuerySet:
    """Every sample, for the external quality assurer: the latest first. The candidate is
    loaded for nothing: pages name candidacies by reference only."""
    samples = QualitySample.objects.select_related(
        "reviewer",
        "decision__decided_by",
        "decision__submission__work__candidacy__programme",
        "decision__submission__work__requirement__unit",
    ).order_by("-sampled_at", "-pk")
    if programme_id:
        samples = samples.filter(decision__submission__work__candidacy__programme_id=programme_id)
    if reviewed == "yes":
        samples = samples.filter(reviewed_at__isnull=False)
    elif reviewed == "no":
        samples = samples.filter(reviewed_at__isnull=True)
    return samples


def sampled_evidence(*, sample: QualitySample, evidence_id: int) -> Evidence | None:
    """A file handed in with the sampled submission, or None."""
    return Evidence.objects.filter(
        pk=evidence_id, submissions=sample.decision.submission_id
    ).first()


# Appeals ---------------------------------------------------------------------------------------


def appeal_deadline(decision: Decision) -> datetime:
    """The last moment the candidate may appeal the decision."""
    programme = decision.submission.work.candidacy.programme
    return decision.decided_at + timedelta(days=programme.appeal_window_days)


def appeal_problem(decision: Decision, now: datetime) -> str:
    """Why the decision cannot be appealed now, in words for the candidate, or "" when it can.
    Loads the decision's appeal and successor unless select_related gave them."""
    candidacy = decision.submission.work.candidacy
    if getattr(decision, "appeal", None) is not None:
        return "You have already appealed this decision. Each decision can be appealed once."
    if decision.kind == Decision.Kind.APPEAL:
        return "This decision was made on appeal, and an appeal panel's decision is final."
    if getattr(decision, "superseded_by", None) is not None:
        return "This decision has been replaced, so it can no longer be appealed."
    if decision.outcome != Decision.Outcome.NOT_YET_COMPETENT:
        return "Only a “not yet competent” decision can be appealed."
    if candidacy.status == Candidacy.Status.WITHDRAWN:
        return "You have withdrawn from this programme."
    if (
        Submission.objects.filter(
            work_id=decision.submission.work_id, number__gt=decision.submission.number
        )
        .exclude(status=Submission.Status.WITHDRAWN)
        .exists()
    ):
        return "You have resubmitted this unit since, so this decision can no longer be appealed."
    deadline = appeal_deadline(decision)
    if now > deadline:
        ended = date_format(localtime(deadline), "j F Y")
        return (
            f"The time to appeal this decision ended on {ended}, "
            f"{candidacy.programme.appeal_window_days} days after it was made."
        )
    return ""


def appealable(decision: Decision, now: datetime) -> bool:
    """Whether the candidate may appeal the decision now: the standing "not yet competent"
    decision on their latest submission of the unit, not appealed yet, within the programme's
    days to appeal, and not itself made on appeal."""
    return not appeal_problem(decision, now)


@dataclass(frozen=True)
class AppealState:
    """What the candidate's unit page says about appealing a decision."""

    appeal: Appeal | None
    can_appeal: bool
    deadline: datetime
    # Why they cannot appeal, when they cannot and have not.
    problem: str

    @property
    def waiting(self) -> bool:
        return self.appeal is not None and not self.appeal.outcome

    @property
    def label(self) -> str:
        if self.appeal is None:
            return "You can appeal this decision" if self.can_appeal else ""
        if not self.appeal.outcome:
            return "Appeal waiting for the panel"
        return f"Appeal {self.appeal.get_outcome_display().lower()}"


def appeal_state(decision: Decision, now: datetime) -> AppealState:
    """The appeal against the decision, if any, and whether one can be made now."""
    appeal = getattr(decision, "appeal", None)
    problem = appeal_problem(decision, now) if appeal is None else ""
    return AppealState(
        appeal=appeal,
        can_appeal=appeal is None and not problem,
        deadline=appeal_deadline(decision),
        problem=problem,
    )


def candidate_decision(*, person, candidacy_id: int, decision_id: int) -> Decision | None:
    """The decision with this id on the person's own candidacy, or None (another's reads as
    missing)."""
    return (
        Decision.objects.select_related(
            "appeal",
            "superseded_by",
            "submission__work__candidacy__programme",
            "submission__work__requirement__unit",
        )
        .filter(
            pk=decision_id,
            submission__work__candidacy_id=candidacy_id,
            submission__work__candidacy__candidate=person,
        )
        .first()
    )


def _panel_exclusions(appeals: QuerySet, *, member) -> QuerySet:
    """Leave out the appeals `member` may not hear: on work they assessed or decided, on a
    submission whose decision they reviewed as IQA, or from someone too close to them."""
    return (
        appeals.exclude(decision__submission__assessor=member)
        .exclude(decision__decided_by=member)
        .exclude(
            Exists(
                QualitySample.objects.filter(
                    decision__submission=OuterRef("decision__submission"), reviewer=member
                )
            )
        )
        .exclude(
            decision__submission__work__candidacy__candidate__in=people_too_close_to_judge(
                judge=member
            )
        )
    )


def appeals_waiting(*, member, programme_id: int | None = None) -> QuerySet:
    """Appeals no panel member has decided that `member` may hear, oldest first."""
    appeals = _panel_exclusions(
        Appeal.objects.filter(decided_at__isnull=True), member=member
    ).select_related(*(f"decision__{name}" for name in DECISION_RELATED))
    if programme_id:
        appeals = appeals.filter(decision__submission__work__candidacy__programme_id=programme_id)
    return appeals.order_by("lodged_at", "pk")


def decided_appeals(*, programme_id: int | None = None) -> QuerySet:
    appeals = Appeal.objects.filter(decided_at__isnull=False).select_related(
        "panel_member", *(f"decision__{name}" for name in DECISION_RELATED)
    )
    if programme_id:
        appeals = appeals.filter(decision__submission__work__candidacy__programme_id=programme_id)
    return appeals.order_by("-decided_at", "-pk")


def appeal_to_decide(pk: int) -> Appeal | None:
    return (
        Appeal.objects.select_related(
            "panel_member", *(f"decision__{name}" for name in DECISION_RELATED)
        )
        .filter(pk=pk)
        .first()
    )


def may_hear(*, member, appeal: Appeal) -> str:
    """Why `member` may not sit on the appeal's panel, or "" when they may."""
    if not _panel_exclusions(Appeal.objects.filter(pk=appeal.pk), member=member).exists():
        return (
            "You may not decide this appeal: you assessed or decided the work, reviewed it for "
            "quality assurance, or the candidate is yourself or in your organisation."
        )
    return ""
