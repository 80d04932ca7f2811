"""The marking services' old import path, kept for callers outside the app that still use it
(`from assessments import marking`). The services live in assessments.services.marking; new code
calls them through `from assessments import services`."""

from .services.marking import (
    CORRECTED,
    MODERATE,
    STAGE_FOR,
    MarkGiven,
    correct_mark,
    exact_score,
    final_mark_version,
    ready_to_release,
    record_mark,
    release_results,
    score_of,
    stage_for,
)

__all__ = [
    "CORRECTED",
    "MODERATE",
    "STAGE_FOR",
    "MarkGiven",
    "correct_mark",
    "exact_score",
    "final_mark_version",
    "ready_to_release",
    "record_mark",
    "release_results",
    "score_of",
    "stage_for",
]
