"""How the accreditation app's entries read in the admin's audit log (academy.audit)."""

from django.urls import reverse

from academy import audit

ACTIONS = {
    "programme_version.started": "Programme version started",
    "programme_version.published": "Programme version published",
    "candidacy.enrolled": "Candidate enrolled",
    "candidacy.awarded": "Accreditation awarded",
    "candidacy.renewed": "Accreditation renewed",
    "candidacy.lapsed": "Accreditation lapsed",
    "candidacy.withdrawn": "Candidate withdrew",
    "evidence.added": "Evidence uploaded",
    "evidence.removed": "Evidence removed",
    "submission.submitted": "Unit handed in",
    "submission.withdrawn": "Unit withdrawn by the candidate",
    "submission.opened": "Unit opened by an assessor",
    "submission.released": "Unit handed back to the queue",
    "decision.recorded": "Assessor's decision",
    "decision.sampled": "Decision chosen for IQA",
    "decision.confirmed": "Decision confirmed by IQA",
    "decision.overturned": "Decision overturned by IQA",
    "appeal.lodged": "Appeal lodged",
    "appeal.upheld": "Appeal upheld",
    "appeal.dismissed": "Appeal dismissed",
    "casework_review.recorded": "Casework review recorded",
}


def _unit_work(work) -> str:
    return f"{work.requirement.unit.code} for candidate {work.candidacy.reference}"


def register() -> None:
    audit.describe_actions(ACTIONS)
    audit.describe_target(
        "accreditation.programmeversion",
        related=("programme",),
        describe=lambda version: f"{version.programme}, version {version.number}",
        url=lambda version: reverse("accreditation_version:inspect", args=[version.pk]),
    )
    # Candidates by reference only: the log is read by administrators, and anonymous
    # assessment is kept there too.
    audit.describe_target(
        "accreditation.candidacy",
        related=("programme",),
        describe=lambda candidacy: f"Candidate {candidacy.reference} on {candidacy.programme}",
        url=lambda candidacy: reverse("accreditation_candidacy:inspect", args=[candidacy.pk]),
    )
    audit.describe_target(
        "accreditation.submission",
        related=("work__requirement__unit", "work__candidacy"),
        describe=lambda submission: (
            f"Submission {submission.number} of {_unit_work(submission.work)}"
        ),
    )
    audit.describe_target(
        "accreditation.decision",
        related=("submission__work__requirement__unit", "submission__work__candidacy"),
        describe=lambda decision: (
            f"{decision.get_kind_display()} ({decision.get_outcome_display().lower()}) on "
            f"{_unit_work(decision.submission.work)}"
        ),
    )
    audit.describe_target(
        "accreditation.unitwork",
        related=("requirement__unit", "candidacy"),
        describe=_unit_work,
    )
    audit.describe_target(
        "accreditation.evidence",
        related=("work__requirement__unit", "work__candidacy"),
        describe=lambda evidence: f"Evidence file {evidence.pk} of {_unit_work(evidence.work)}",
    )
    audit.describe_target(
        "accreditation.appeal",
        related=(
            "decision__submission__work__requirement__unit",
            "decision__submission__work__candidacy",
        ),
        describe=lambda appeal: f"Appeal on {_unit_work(appeal.decision.submission.work)}",
    )
    audit.describe_target(
        "accreditation.caseworkreview",
        related=("candidacy",),
        describe=lambda review: (
            f"Casework review {review.case_reference} of candidate {review.candidacy.reference}"
        ),
    )
