"""Every state change in accreditation, one module per part, re-exported here."""

from .assessing import (
    Judgement,
    open_submission,
    record_decision,
    release_submission,
    share_draw,
)
from .decision_emails import email_decision_made, queue_unsent_decision_emails
from .programmes import (
    check_publishable,
    check_version_editable,
    eligibility_problem,
    enrol,
    publish_version,
    start_version,
)

__all__ = [
    "check_publishable",
    "check_version_editable",
    "eligibility_problem",
    "email_decision_made",
    "enrol",
    "Judgement",
    "open_submission",
    "publish_version",
    "queue_unsent_decision_emails",
    "record_decision",
    "release_submission",
    "share_draw",
    "start_version",
]
