"""Reads for pages and reports, each in a fixed number of queries whatever the rows; one module
per part, re-exported here.

- programmes: programmes, versions, requirements, competencies, a person's candidacies
- dashboard: every requirement of a candidacy and where the candidate stands on it
- portfolio: portfolio units' states, the unit page, who may see evidence
- reports: figures for the accreditation report
"""

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
from .reports import (
    UnitFigures,
    appeal_figures,
    pipeline_counts,
    quality_figures,
    unit_figures,
)

__all__ = [
    "CHANGEABLE",
    "RequirementRow",
    "State",
    "UnitFigures",
    "UnitPage",
    "UnitState",
    "UnitStatus",
    "active_candidacy",
    "appeal_figures",
    "can_view_evidence",
    "candidacies_of",
    "candidacy_for",
    "competencies_of",
    "criteria_results",
    "current_version",
    "evidence_of",
    "expectations_of",
    "my_candidacies",
    "needed_for_award",
    "open_programmes",
    "pipeline_counts",
    "quality_figures",
    "requirement_rows",
    "requirements_of",
    "submit_problems",
    "unit_figures",
    "unit_page",
    "unit_requirements",
    "unit_state",
    "unit_states",
    "word_count",
]
