from .candidates import Candidacy, Decision, Evidence, Submission, UnitWork
from .cpd import CPDEntry
from .programmes import (
    CaseworkChecklist,
    ChecklistItem,
    Competency,
    PortfolioUnit,
    Programme,
    ProgrammeVersion,
    Requirement,
    RubricCriterion,
)
from .quality import Appeal, CaseworkReview, QualitySample

__all__ = [
    "Appeal",
    "CPDEntry",
    "Candidacy",
    "CaseworkChecklist",
    "CaseworkReview",
    "ChecklistItem",
    "Competency",
    "Decision",
    "Evidence",
    "PortfolioUnit",
    "Programme",
    "ProgrammeVersion",
    "QualitySample",
    "Requirement",
    "RubricCriterion",
    "Submission",
    "UnitWork",
]
