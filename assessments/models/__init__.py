"""The assessments app's models, one module per job; import them from here."""

from .assessments import MAX_MARKS, Assessment, AssessmentQuestion, GradingMethod
from .attempts import Adjustment, Attempt, Response
from .imports import BankImport
from .marking import Mark, MarkCorrection
from .questions import (
    CHOICE_KINDS,
    MANUAL_KINDS,
    MAX_DRAW,
    OPTION_FIELDS_USED,
    Choice,
    Difficulty,
    Question,
    QuestionBank,
    QuestionKind,
    QuestionVersion,
    Rubric,
    Scenario,
)

__all__ = [
    "CHOICE_KINDS",
    "MANUAL_KINDS",
    "MAX_DRAW",
    "MAX_MARKS",
    "OPTION_FIELDS_USED",
    "Adjustment",
    "Assessment",
    "AssessmentQuestion",
    "Attempt",
    "BankImport",
    "Choice",
    "Difficulty",
    "GradingMethod",
    "Mark",
    "MarkCorrection",
    "Question",
    "QuestionBank",
    "QuestionKind",
    "QuestionVersion",
    "Response",
    "Rubric",
    "Scenario",
]
