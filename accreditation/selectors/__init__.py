"""Reads for pages and reports, each in a fixed number of queries whatever the rows; one module
per part, re-exported here.

- assessing: the assessor's queue, a submission to assess, the rubric and its history
- programmes: programmes, versions, requirements, competencies, a person's candidacies
- casework: casework reviews waiting for an assessor
- cpd: the CPD log and its years
- dashboard: every requirement of a candidacy and where the candidate stands on it
- portfolio: portfolio units' states, the unit page, who may see evidence
- renewal: keeping an accreditation: its period, renewal window and what is still needed
- reports: figures for the accreditation report
"""

from .assessing import (
    WAITING_DAYS,
    QueueRow,
    QueueShow,
    assessable_submissions,
    assessing_queue,
    candidate_label,
    earlier_submissions,
    queue_counts,
    queue_rows,
    resubmissions_left,
    resubmissions_left_after,
    rubric,
    submission_to_assess,
    submission_to_open,
)
from .casework import CaseworkToReview, casework_for_review, casework_to_review
from .cpd import (
    CPDOverview,
    CPDYear,
    cpd_entries,
    cpd_overview,
    expectation_groups,
    own_reflective_entries,
)
from .dashboard import RequirementRow, State, needed_for_award, requirement_rows
from .portfolio import (
    CHANGEABLE,
    UnitPage,
    UnitState,
    UnitStatus,
    can_view_evidence,
    candidacies_of,
    criteria_results,
    evidence_of,
    submit_problems,
    unit_page,
    unit_requirements,
    unit_state,
    unit_states,
    word_count,
)
from .programmes import (
    active_candidacy,
    candidacy_for,
    competencies_of,
    current_version,
    expectations_of,
    my_candidacies,
    open_programmes,
    requirements_of,
)
from .renewal import RENEWAL_WINDOW_DAYS, RenewalStatus, renewal_status
from .reports import (
    UnitFigures,
    appeal_figures,
    pipeline_counts,
    quality_figures,
    unit_figures,
)

__all__ = [
    "RENEWAL_WINDOW_DAYS",
    "RenewalStatus",
    "renewal_status",
    "CPDOverview",
    "CPDYear",
    "cpd_entries",
    "cpd_overview",
    "expectation_groups",
    "own_reflective_entries",
    "CaseworkToReview",
    "casework_for_review",
    "casework_to_review",
    "CHANGEABLE",
    "QueueRow",
    "QueueShow",
    "RequirementRow",
    "State",
    "UnitFigures",
    "UnitPage",
    "UnitState",
    "UnitStatus",
    "WAITING_DAYS",
    "active_candidacy",
    "appeal_figures",
    "assessable_submissions",
    "assessing_queue",
    "can_view_evidence",
    "candidacies_of",
    "candidacy_for",
    "candidate_label",
    "competencies_of",
    "criteria_results",
    "current_version",
    "earlier_submissions",
    "evidence_of",
    "expectations_of",
    "my_candidacies",
    "needed_for_award",
    "open_programmes",
    "pipeline_counts",
    "quality_figures",
    "queue_counts",
    "queue_rows",
    "requirement_rows",
    "requirements_of",
    "resubmissions_left",
    "resubmissions_left_after",
    "rubric",
    "submission_to_assess",
    "submission_to_open",
    "submit_problems",
    "unit_figures",
    "unit_page",
    "unit_requirements",
    "unit_state",
    "unit_states",
    "word_count",
]
