"""How the organisations app's entries read in the admin's audit log (academy.audit)."""

from academy import audit

ACTIONS = {
    "invitation.created": "Invitation sent",
    "invitation.renewed": "Invitation renewed",
    "invitation.uploaded": "Invitations uploaded from a CSV file",
    "invitation.resent": "Invitation sent again",
    "invitation.withdrawn": "Invitation withdrawn",
    "invitation.accepted": "Invitation accepted",
    "membership.tier_changed": "Role tier changed by the organisation's manager",
}


def register() -> None:
    audit.describe_actions(ACTIONS)
    audit.describe_target(
        "organisations.invitation",
        related=("organisation",),
        describe=lambda invitation: (
            f"Invitation of {invitation.email} to {invitation.organisation}"
        ),
    )
    audit.describe_target(
        "academy.membership",
        related=("user", "organisation"),
        describe=lambda membership: f"{membership.user} at {membership.organisation}",
    )
