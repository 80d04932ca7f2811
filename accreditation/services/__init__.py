"""Every state change in accreditation, one module per part, re-exported here."""

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
    "check_publishable",
    "check_version_editable",
    "create_version",
    "eligibility_problem",
    "enrol",
    "publish_version",
    "start_version",
]
