"""Every state change of the assessments app, one module per job; this facade re-exports their
public names, so callers write `from assessments import services` and
`services.start_attempt(...)`.

- questions: create_question and update_question, the one way a question is written
- validation: the rules a question's options and a rubric must follow
- versions: the immutable question versions attempts are given
- slots: an assessment's fixed questions and random draws
- adjustments: learners' reasonable adjustments
- answers: reading and scoring a learner's answer
- attempts: starting, answering, checking and handing in attempts
- marking: assessors' marks, moderation, corrections and releasing results
- notifications: the result and corrected-result e-mails
- regrading: regrading past answers after a question is corrected
- importing (with gift_mapping): question banks in and out, as GIFT or JSON
- moodle_importing (with moodle_mapping): question banks in and out as Moodle XML
- privacy: the assessments app's part of erasing a person
"""

from .adjustments import ADJUSTMENT_FIELDS, grant_adjustment
from .answers import (
    ESSAY_MAX_CHARACTERS,
    MISMATCH,
    Answer,
    FormQuestion,
    answers_from_form,
    form_question,
    machine_score,
    option_order,
    validated_answer,
)
from .attempts import (
    CHECKING_OFF,
    NOT_ANSWERED,
    NOT_CHECKABLE,
    NOT_IN_ATTEMPT,
    TimeUp,
    attempts_left,
    check_can_start,
    deadline_for,
    finalise_if_overdue,
    finalise_overdue_attempts,
    grace,
    is_overdue,
    release,
    save_and_submit,
    save_answers,
    save_form,
    score_attempt,
    start_attempt,
    submit_answer,
    submit_attempt,
    uk_time,
)
from .bank_imports import (
    FORMATS,
    ImportFormat,
    fail_bank_import,
    import_file,
    import_progress,
    queue_waiting_imports,
    run_bank_import,
)
from .errors import AssessmentError
from .importing import (
    GiftExport,
    ImportRefused,
    bank_named,
    decode_text,
    export_bank_json,
    export_gift,
    import_bank_json,
    import_gift,
    read_bank_json,
    read_gift,
    title_from_stem,
)
from .marking import (
    CORRECTED,
    MODERATE,
    STAGE_FOR,
    MarkGiven,
    announce_changed_result,
    correct_mark,
    exact_score,
    final_mark_version,
    ready_to_release,
    record_mark,
    release_results,
    score_of,
    stage_for,
)
from .moodle_importing import (
    MoodleExport,
    export_moodle_xml,
    import_moodle_xml,
    moodle_xml_text,
    read_moodle_xml,
)
from .notifications import (
    CORRECTION_EMAIL_TASK,
    RESULT_EMAIL_TASK,
    email_mark_corrected,
    email_result_released,
    queue_unsent_emails,
    unsent_correction_emails,
    unsent_result_emails,
)
from .privacy import erase_personal_data
from .questions import create_question, update_question
from .regrading import Regrade, VersionPlan, regrade_question
from .slots import SlotsRefused, check_slots, draw_questions
from .validation import check_question, check_rubric, choices_to_check
from .versions import current_version, current_versions, rubric_content, with_version_content

__all__ = [
    "erase_personal_data",
    "ADJUSTMENT_FIELDS",
    "CHECKING_OFF",
    "CORRECTED",
    "CORRECTION_EMAIL_TASK",
    "ESSAY_MAX_CHARACTERS",
    "FORMATS",
    "MISMATCH",
    "MODERATE",
    "NOT_ANSWERED",
    "NOT_CHECKABLE",
    "NOT_IN_ATTEMPT",
    "RESULT_EMAIL_TASK",
    "STAGE_FOR",
    "Answer",
    "AssessmentError",
    "FormQuestion",
    "GiftExport",
    "ImportFormat",
    "ImportRefused",
    "MarkGiven",
    "Regrade",
    "SlotsRefused",
    "TimeUp",
    "VersionPlan",
    "announce_changed_result",
    "answers_from_form",
    "attempts_left",
    "bank_named",
    "check_can_start",
    "check_question",
    "check_rubric",
    "check_slots",
    "choices_to_check",
    "correct_mark",
    "create_question",
    "current_version",
    "current_versions",
    "deadline_for",
    "decode_text",
    "draw_questions",
    "email_mark_corrected",
    "email_result_released",
    "exact_score",
    "fail_bank_import",
    "export_bank_json",
    "export_gift",
    "final_mark_version",
    "finalise_if_overdue",
    "finalise_overdue_attempts",
    "form_question",
    "grace",
    "grant_adjustment",
    "import_bank_json",
    "import_file",
    "import_gift",
    "import_moodle_xml",
    "export_moodle_xml",
    "moodle_xml_text",
    "read_moodle_xml",
    "MoodleExport",
    "import_progress",
    "is_overdue",
    "machine_score",
    "option_order",
    "queue_unsent_emails",
    "queue_waiting_imports",
    "read_bank_json",
    "read_gift",
    "ready_to_release",
    "record_mark",
    "regrade_question",
    "release",
    "release_results",
    "run_bank_import",
    "rubric_content",
    "save_and_submit",
    "save_answers",
    "save_form",
    "score_attempt",
    "score_of",
    "stage_for",
    "start_attempt",
    "submit_answer",
    "submit_attempt",
    "title_from_stem",
    "uk_time",
    "unsent_correction_emails",
    "unsent_result_emails",
    "update_question",
    "validated_answer",
    "with_version_content",
]
