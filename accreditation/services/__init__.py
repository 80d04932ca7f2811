"""Every state change in accreditation, one module per part, re-exported here."""

from .appeals import dismiss_appeal, lodge_appeal, uphold_appeal
from .assessing import (
    Judgement,
    open_submission,
    record_decision,
    release_submission,
    share_draw,
)
from .awarding import check_award, check_awards_for
from .casework import record_casework_review
from .cpd import (
    add_reflective_entry,
    change_reflective_entry,
    delete_reflective_entry,
    record_assessment_pass,
    record_course_completion,
    record_recording_watched,
    record_webinar_attendance,
    remove_assessment_pass,
    remove_webinar_attendance,
)
from .decision_emails import email_decision_made, queue_unsent_decision_emails
from .portfolio import (
    add_evidence,
    remove_evidence,
    save_statement,
    submit_unit,
    withdraw_submission,
)
from .privacy import erase_personal_data
from .programmes import (
    check_publishable,
    check_version_editable,
    create_version,
    eligibility_problem,
    enrol,
    publish_version,
    start_version,
    withdraw_candidacy,
)
from .quality import CriterionFinding, choose_for_sample, confirm_decision, overturn_decision
from .quality_emails import (
    email_appeal_decided,
    email_decision_overturned,
    queue_unsent_quality_emails,
)
from .renewal import (
    check_due_renewals,
    check_renewal,
    check_renewals_for,
    check_renewals_for_people,
    record_lapses,
)

__all__ = [
    "CriterionFinding",
    "Judgement",
    "add_evidence",
    "add_reflective_entry",
    "change_reflective_entry",
    "check_award",
    "check_awards_for",
    "check_due_renewals",
    "check_publishable",
    "check_renewal",
    "check_renewals_for",
    "check_renewals_for_people",
    "check_version_editable",
    "choose_for_sample",
    "confirm_decision",
    "create_version",
    "delete_reflective_entry",
    "dismiss_appeal",
    "eligibility_problem",
    "email_appeal_decided",
    "email_decision_made",
    "erase_personal_data",
    "email_decision_overturned",
    "enrol",
    "lodge_appeal",
    "open_submission",
    "overturn_decision",
    "publish_version",
    "queue_unsent_decision_emails",
    "queue_unsent_quality_emails",
    "record_assessment_pass",
    "record_casework_review",
    "record_course_completion",
    "record_recording_watched",
    "record_webinar_attendance",
    "record_decision",
    "record_lapses",
    "release_submission",
    "remove_assessment_pass",
    "remove_webinar_attendance",
    "remove_evidence",
    "save_statement",
    "share_draw",
    "start_version",
    "submit_unit",
    "uphold_appeal",
    "withdraw_candidacy",
    "withdraw_submission",
]
