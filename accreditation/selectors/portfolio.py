"""A candidate's portfolio units: their states, the unit page, and who may see evidence."""

import enum
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.db.models.functions import Length

from ..models import (
    Candidacy,
    Decision,
    Evidence,
    PortfolioUnit,
    Requirement,
    RubricCriterion,
    Submission,
    UnitWork,
)
from .quality import appeal_waiting

# Portfolio units ----------------------------------------------------------------------------------


class UnitStatus(enum.StrEnum):
    """Where a candidate is with one portfolio unit.

    After a "not yet competent" decision the unit reads NOT_YET_COMPETENT until the candidate
    changes it (uploads a file or saves the statement), then RESUBMISSION_DUE until they hand it
    in again; NO_RESUBMISSIONS_LEFT once the unit's resubmission limit is used up."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    BEING_ASSESSED = "being_assessed"
    COMPETENT = "competent"
    NOT_YET_COMPETENT = "not_yet_competent"
    RESUBMISSION_DUE = "resubmission_due"
    NO_RESUBMISSIONS_LEFT = "no_resubmissions_left"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    UnitStatus.NOT_STARTED: "Not started",
    UnitStatus.IN_PROGRESS: "In progress",
    UnitStatus.SUBMITTED: "Submitted",
    UnitStatus.BEING_ASSESSED: "Being assessed",
    UnitStatus.COMPETENT: "Competent",
    UnitStatus.NOT_YET_COMPETENT: "Not yet competent",
    UnitStatus.RESUBMISSION_DUE: "Resubmission due",
    UnitStatus.NO_RESUBMISSIONS_LEFT: "No resubmissions left",
}
# The candidate may change the evidence and statement only in these.
CHANGEABLE = frozenset(
    {
        UnitStatus.NOT_STARTED,
        UnitStatus.IN_PROGRESS,
        UnitStatus.NOT_YET_COMPETENT,
        UnitStatus.RESUBMISSION_DUE,
    }
)
_OPEN = {
    Submission.Status.SUBMITTED: UnitStatus.SUBMITTED,
    Submission.Status.IN_ASSESSMENT: UnitStatus.BEING_ASSESSED,
}


@dataclass(frozen=True)
class UnitState:
    requirement_id: int
    status: UnitStatus
    evidence_count: int
    # Submissions that were assessed or are open; withdrawn ones never count.
    submissions_made: int
    # How many more times the unit may be handed in after a "not yet competent" decision.
    resubmissions_left: int
    open_submission_id: int | None
    # The latest decision of the latest decided submission that no later decision supersedes.
    current_decision: Decision | None

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def changeable(self) -> bool:
        return self.status in CHANGEABLE


def candidacies_of(user) -> QuerySet[Candidacy]:
    """The candidacies a person may see as a candidate: their own."""
    if not user.is_authenticated:
        return Candidacy.objects.none()
    return Candidacy.objects.filter(candidate=user)


def unit_requirements(candidacy: Candidacy) -> QuerySet[Requirement]:
    return Requirement.objects.filter(
        version_id=candidacy.version_id, kind=Requirement.Kind.UNIT
    ).select_related("unit")


def unit_states(candidacy: Candidacy) -> dict[int, UnitState]:
    """The state of each of the candidacy's portfolio units, by requirement id, in four queries
    however many units and submissions there are."""
    return _unit_states(candidacy, list(unit_requirements(candidacy)))


def unit_state(candidacy: Candidacy, requirement: Requirement) -> UnitState:
    return _unit_states(candidacy, [requirement])[requirement.pk]


def _unit_states(candidacy: Candidacy, requirements: list[Requirement]) -> dict[int, UnitState]:
    wanted = [r.pk for r in requirements]
    works = {
        work.requirement_id: work
        for work in UnitWork.objects.filter(candidacy=candidacy, requirement_id__in=wanted)
        .defer("statement")
        .annotate(
            evidence_count=Count("evidence"),
            last_upload=Max("evidence__uploaded_at"),
            statement_length=Length("statement"),
        )
    }
    work_ids = [work.pk for work in works.values()]
    submissions = defaultdict(list)
    for row in Submission.objects.filter(work_id__in=work_ids).values(
        "id", "work_id", "number", "status"
    ):
        submissions[row["work_id"]].append(row)
    decisions = defaultdict(list)
    for decision in Decision.objects.filter(
        submission__work_id__in=work_ids, superseded_by__isnull=True
    ).order_by("decided_at", "pk"):
        decisions[decision.submission_id].append(decision)
    return {
        requirement.pk: _state_of(requirement, works.get(requirement.pk), submissions, decisions)
        for requirement in requirements
    }


def _state_of(requirement, work, submissions, decisions) -> UnitState:
    rows = sorted(submissions[work.pk], key=lambda r: r["number"]) if work else []
    made = [r for r in rows if r["status"] != Submission.Status.WITHDRAWN]
    open_row = next((r for r in made if r["status"] in _OPEN), None)
    decided = [r for r in made if r["status"] == Submission.Status.DECIDED]
    current = decisions[decided[-1]["id"]][-1] if decided and decisions[decided[-1]["id"]] else None
    left = max(0, requirement.unit.resubmission_limit - max(0, len(made) - 1))
    if open_row:
        status = _OPEN[open_row["status"]]
    elif current and current.outcome == Decision.Outcome.COMPETENT:
        status = UnitStatus.COMPETENT
    elif current:
        if not left:
            status = UnitStatus.NO_RESUBMISSIONS_LEFT
        elif _changed_since(work, current.decided_at):
            status = UnitStatus.RESUBMISSION_DUE
        else:
            status = UnitStatus.NOT_YET_COMPETENT
    elif work and (work.evidence_count or work.statement_length or rows):
        status = UnitStatus.IN_PROGRESS
    else:
        status = UnitStatus.NOT_STARTED
    return UnitState(
        requirement_id=requirement.pk,
        status=status,
        evidence_count=work.evidence_count if work else 0,
        submissions_made=len(made),
        resubmissions_left=0 if status == UnitStatus.COMPETENT else left,
        open_submission_id=open_row["id"] if open_row else None,
        current_decision=current,
    )


def _changed_since(work, moment) -> bool:
    return any(t is not None and t > moment for t in (work.last_upload, work.statement_saved_at))


def word_count(text: str) -> int:
    return len(text.split())


def submit_problems(
    *, candidacy: Candidacy, unit: PortfolioUnit, state: UnitState, words: int
) -> list[str]:
    """Why the unit cannot be handed in now, one sentence each; empty when it can."""
    if candidacy.status != Candidacy.Status.ACTIVE:
        return [f"Your candidacy is {candidacy.get_status_display().lower()}."]
    if state.status in (UnitStatus.SUBMITTED, UnitStatus.BEING_ASSESSED):
        return ["You have handed this unit in already."]
    if state.status == UnitStatus.COMPETENT:
        return ["This unit has been judged competent: there is nothing more to hand in."]
    if state.status == UnitStatus.NO_RESUBMISSIONS_LEFT:
        return [
            f"You have used the {unit.resubmission_limit} resubmission"
            f"{'' if unit.resubmission_limit == 1 else 's'} this unit allows."
        ]
    if state.current_decision and appeal_waiting(state.current_decision):
        return [
            "Your appeal against the decision is waiting for the panel: you can hand the unit "
            "in again once it is decided."
        ]
    problems = []
    if state.evidence_count < unit.min_evidence_files:
        problems.append(
            f"Upload at least {unit.min_evidence_files} evidence "
            f"file{'' if unit.min_evidence_files == 1 else 's'} (you have "
            f"{state.evidence_count})."
        )
    if words < unit.reflection_min_words:
        problems.append(
            f"Write at least {unit.reflection_min_words} words in your reflective statement "
            f"(it has {words})."
        )
    return problems


def evidence_of(work: UnitWork | None) -> list[Evidence]:
    """The unit's evidence files, each with `kept`: True when it was handed in with a
    submission that is open or was assessed, so it stays in that record and cannot be removed."""
    if work is None:
        return []
    return list(
        work.evidence.annotate(
            kept=Exists(
                Submission.evidence.through.objects.filter(evidence_id=OuterRef("pk")).exclude(
                    submission__status=Submission.Status.WITHDRAWN
                )
            )
        )
    )


def can_view_evidence(user, evidence: Evidence) -> bool:
    """The candidate; the assessor of a submission it was handed in with; internal quality
    assurers and programme managers (staff with their authenticator set up, as in the admin)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if evidence.work.candidacy.candidate_id == user.pk:
        return True
    if settings.ACADEMY_STAFF_MFA_REQUIRED and not user.authenticator_set.exists():
        return False
    if user.has_perm("accreditation.quality_assure") or user.has_perm(
        "accreditation.manage_programmes"
    ):
        return True
    return (
        user.has_perm("accreditation.assess_portfolios")
        and evidence.submissions.filter(assessor=user).exists()
    )


@dataclass(frozen=True)
class UnitPage:
    """Everything the candidate's page for one unit shows."""

    requirement: Requirement
    unit: PortfolioUnit
    criteria: list[RubricCriterion]
    state: UnitState
    work: UnitWork | None
    evidence: list[Evidence]
    submissions: list[Submission]
    statement_words: int
    submit_problems: list[str]
    # Whether the candidate may change the evidence and statement now.
    changeable: bool
    # The current decision's result for each criterion: statement, met, comment.
    criteria_results: list[dict]


def criteria_results(decision: Decision | None) -> list[dict]:
    """Each criterion the decision recorded, as the candidate reads it."""
    if decision is None:
        return []
    return [
        {
            "statement": item.get("statement") or item.get("criterion", ""),
            "met": bool(item.get("met")),
            "comment": item.get("comment", ""),
        }
        for item in decision.criteria
        if isinstance(item, dict)
    ]


def unit_page(candidacy: Candidacy, requirement: Requirement) -> UnitPage:
    state = unit_state(candidacy, requirement)
    work = UnitWork.objects.filter(candidacy=candidacy, requirement=requirement).first()
    words = word_count(work.statement) if work else 0
    return UnitPage(
        requirement=requirement,
        unit=requirement.unit,
        criteria=list(requirement.unit.criteria.select_related("competency")),
        state=state,
        work=work,
        evidence=evidence_of(work),
        submissions=list(work.submissions.order_by("-number")) if work else [],
        statement_words=words,
        submit_problems=submit_problems(
            candidacy=candidacy, unit=requirement.unit, state=state, words=words
        ),
        changeable=state.changeable and candidacy.status == Candidacy.Status.ACTIVE,
        criteria_results=criteria_results(state.current_decision),
    )
