"""Every state change in accreditation, one module per part, re-exported here."""

from .cpd import (
    add_reflective_entry,
    change_reflective_entry,
    delete_reflective_entry,
    record_assessment_pass,
    record_course_completion,
    remove_assessment_pass,
)
from .programmes import (
    check_publishable,
    check_version_editable,
    eligibility_problem,
    enrol,
    publish_version,
    start_version,
)

__all__ = [
    "add_reflective_entry",
    "change_reflective_entry",
    "check_publishable",
    "check_version_editable",
    "delete_reflective_entry",
    "eligibility_problem",
    "enrol",
    "publish_version",
    "record_assessment_pass",
    "record_course_completion",
    "remove_assessment_pass",
    "start_version",
]
