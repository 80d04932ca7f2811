"""Every state change in accreditation, one module per part, re-exported here."""

from .awarding import check_award, check_awards_for
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
    "enrol",
    "publish_version",
    "remove_evidence",
    "save_statement",
    "start_version",
    "submit_unit",
    "withdraw_submission",
]
