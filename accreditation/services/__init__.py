"""Every state change in accreditation, one module per part, re-exported here."""

from .appeals import dismiss_appeal, lodge_appeal, uphold_appeal
from .awarding import check_award, check_awards_for
from .programmes import (
    check_publishable,
    check_version_editable,
    create_version,
    eligibility_problem,
    enrol,
    publish_version,
    start_version,
)
from .quality import CriterionFinding, choose_for_sample, confirm_decision, overturn_decision
from .quality_emails import (
    email_appeal_decided,
    email_decision_overturned,
    queue_unsent_quality_emails,
)

__all__ = [
    "CriterionFinding",
    "check_award",
    "check_awards_for",
    "check_publishable",
    "check_version_editable",
    "create_version",
    "eligibility_problem",
    "enrol",
    "publish_version",
    "start_version",
    # Quality assurance and appeals
    "choose_for_sample",
    "confirm_decision",
    "dismiss_appeal",
    "email_appeal_decided",
    "email_decision_overturned",
    "lodge_appeal",
    "overturn_decision",
    "queue_unsent_quality_emails",
    "uphold_appeal",
]
