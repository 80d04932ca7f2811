"""The audit log's one write path, for every app's services (see docs/decisions.md)."""

from .models import AuditEntry


def record(*, actor, action: str, target, reason: str = "", **details):
    """Write one audit entry: who did what to which record, when and why."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        reason=reason,
        details=details,
    )
