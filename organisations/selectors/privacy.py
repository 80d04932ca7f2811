"""What a person's download of their data (portal.privacy) holds from organisations."""

from django.db.models import Q

from ..models import Invitation, PersonalAssignment


def personal_data(*, user) -> dict:
    """The invitations sent to the person's address (or accepted with their account) and the
    training assigned to them, each cycle of it. Two queries."""
    invitations = (
        Invitation.objects.filter(Q(email=user.email.lower()) | Q(accepted_by=user))
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
    assignments = PersonalAssignment.objects.filter(user=user).select_related(
        "assignment__organisation",
        "assignment__course",
        "assignment__webinar",
        "assignment__programme",
    )
    return {
        "invitations": [
            {
                "organisation": invitation.organisation.name,
                "email": invitation.email,
                "name": invitation.full_name,
                "role_tier": invitation.get_role_tier_display(),
                "sent": invitation.sent_at,
                "expires": invitation.expires_at,
                "accepted": invitation.accepted_at,
                "withdrawn": invitation.withdrawn_at,
            }
            for invitation in invitations
        ],
        "assignments": [
            {
                "organisation": personal.assignment.organisation.name,
                "kind": personal.assignment.get_kind_display(),
                "item": str(personal.assignment.item),
                "cycle": personal.cycle,
                "repeats_every_months": personal.assignment.repeat_every_months,
                "due": personal.due_on,
                "met": personal.met_at,
                "ended": personal.ended_at,
            }
            for personal in assignments.order_by("due_on", "pk")
        ],
    }
