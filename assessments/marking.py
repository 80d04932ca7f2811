"""The marking services' old import path, kept for callers outside the app that still use it
(tests/certificates: `from assessments import marking`). The services live in
assessments.services.marking; new code calls them through `from assessments import services`."""

from .services.marking import MarkGiven, correct_mark, record_mark, stage_for

__all__ = ["MarkGiven", "correct_mark", "record_mark", "stage_for"]
