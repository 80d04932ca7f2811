"""What organisation pages and exports read, in a fixed number of queries each."""

from .compliance import (
    Compliance,
    ExpectationRow,
    Filters,
    Person,
    PrincipleRow,
    TierRow,
    TrendPoint,
    add_months,
    compliance,
    framework_for,
    frameworks,
    month_start,
    teams_of,
)

__all__ = [
    "Compliance",
    "ExpectationRow",
    "Filters",
    "Person",
    "PrincipleRow",
    "TierRow",
    "TrendPoint",
    "add_months",
    "compliance",
    "framework_for",
    "frameworks",
    "month_start",
    "teams_of",
]
