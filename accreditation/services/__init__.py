"""Every state change in accreditation, one module per part, re-exported here."""

from .assessing import (
    Judgement,
    open_submission,
    record_decision,
    release_submission,
    share_draw,
)
from .awarding import check_award, check_awards_for
from .casework import record_casework_review
from .decision_emails import email_decision_made, queue_unsent_decision_emails
from .portfolio import (
    add_evidence,
    remove_evidence,
    save_statement,
    submit_unit,
    withdraw_submission,
)
from .programmes import (
    check_publishable,
    check_version_editable,
    create_version,
    eligibility_problem,
    enrol,
    publish_version,
    start_version,
)

__all__ = [
    "add_evidence",
    "check_award",
    "check_awards_for",
    "check_publishable",
    "check_version_editable",
    "create_version",
    "eligibility_problem",
    "email_decision_made",
    "enrol",
    "Judgement",
    "open_submission",
    "publish_version",
    "record_casework_review",
    "remove_evidence",
    "save_statement",
    "queue_unsent_decision_emails",
    "record_decision",
    "release_submission",
    "share_draw",
    "start_version",
    "submit_unit",
    "withdraw_submission",
]
