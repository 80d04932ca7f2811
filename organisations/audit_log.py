"""How the organisations app's entries read in the admin's audit log (academy.audit)."""

from academy import audit

ACTIONS = {
    "learner_record.viewed": "Learner's record viewed by their organisation's manager",
    "membership.tier_changed": "Role tier changed by the organisation's manager",
}


def register() -> None:
    audit.describe_actions(ACTIONS)
    audit.describe_target(
        "academy.membership",
        related=("user", "organisation"),
        describe=lambda membership: f"{membership.user} at {membership.organisation}",
    )
