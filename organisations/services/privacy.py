"""The organisations app's part of erasing a person (portal.privacy.erase_learner)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Assignment, Invitation, PersonalAssignment
from .compliance import refresh_trained_spans


@transaction.atomic
def erase_personal_data(*, user) -> None:
    """Delete the invitations to the person's address (they carry the address and the name the
    manager typed), end the training assigned to them that is still open, and take them off the
    assignments that chose them by name. What they met stays, with no name on it, for their
    organisation's figures of the time. Run it while the person still has their address. Safe to
    run again."""
    Invitation.objects.filter(Q(email=user.email.lower()) | Q(accepted_by=user)).delete()
    PersonalAssignment.objects.filter(user=user, met_at__isnull=True, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    refresh_trained_spans(user_ids={user.pk})
    Assignment.people.through.objects.filter(user=user).delete()
