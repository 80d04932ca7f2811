"""Read paths of the assessments app, one module per job; this facade re-exports their public
names, so callers write `from assessments import selectors` and `selectors.grade_for(...)`.

- attempts: an open attempt's pages, deadline, answer states, and the learner's grade
- review: the review rules and what a learner sees of scored answers
- marking: the marking queue and an answer as its marker opens it
- versions: a question's version history
- record: the learner's record of every attempt, for their learning page
"""

from .attempts import (
    AnswerState,
    Grade,
    OptionView,
    QuestionView,
    RowView,
    TimeLeft,
    adjustment_for,
    answer_states,
    attempt_for,
    grade_for,
    question_view,
    questions_to_answer,
    time_left,
)
from .marking import (
    QueueRow,
    candidate_label,
    candidate_number,
    final_mark,
    marking_queue,
    queue_rows,
    response_to_mark,
)
from .record import AssessmentRecord, AttemptRecord, attempt_record
from .review import (
    PRACTICE,
    REVIEW_IMMEDIATELY,
    REVIEW_ITEMS,
    CheckedAnswer,
    ReviewedOption,
    ReviewedQuestion,
    ReviewedRow,
    ReviewRules,
    answer_key,
    check_feedback,
    during_rules,
    outcome_of,
    review_rules,
    reviewed,
    reviewed_questions,
    with_scenario_starts,
)
from .versions import VersionRow, version_history

__all__ = [
    "PRACTICE",
    "REVIEW_IMMEDIATELY",
    "REVIEW_ITEMS",
    "AnswerState",
    "AssessmentRecord",
    "AttemptRecord",
    "CheckedAnswer",
    "Grade",
    "OptionView",
    "QuestionView",
    "QueueRow",
    "ReviewRules",
    "ReviewedOption",
    "ReviewedQuestion",
    "ReviewedRow",
    "RowView",
    "TimeLeft",
    "VersionRow",
    "adjustment_for",
    "attempt_record",
    "answer_key",
    "answer_states",
    "attempt_for",
    "candidate_label",
    "candidate_number",
    "check_feedback",
    "during_rules",
    "final_mark",
    "grade_for",
    "marking_queue",
    "outcome_of",
    "question_view",
    "questions_to_answer",
    "queue_rows",
    "response_to_mark",
    "review_rules",
    "reviewed",
    "reviewed_questions",
    "time_left",
    "version_history",
    "with_scenario_starts",
]
