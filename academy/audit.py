"""The audit log's one write path, for every app's services (see docs/decisions.md), and how an
entry reads in the admin: each app names its actions and the records they concern in words, from
its AppConfig.ready(), so the people app need not import any of them."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

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


@dataclass(frozen=True)
class TargetKind:
    """How the admin names one model's records in the log: the relations to load with them (so
    a page of entries costs one query per kind of record), a description, and a link (None: the
    admin's own page for the record, if it has one)."""

    related: tuple[str, ...] = ()
    describe: Callable = str
    url: Callable | None = None


_ACTIONS: dict[str, str] = {}
_TARGETS: dict[str, TargetKind] = {}


def describe_actions(words: dict[str, str]) -> None:
    """Name actions in words: {"mark.corrected": "Mark corrected"}."""
    _ACTIONS.update(words)


def describe_target(label: str, **kind) -> None:
    """Say how records of the model `label` ("assessments.mark") read in the log."""
    _TARGETS[label] = TargetKind(**kind)


def action_words(action: str) -> str:
    """The action in words; one no app has named reads as its stored name with spaces."""
    if action in _ACTIONS:
        return _ACTIONS[action]
    return action.replace(".", ": ").replace("_", " ").capitalize()


def load_targets(entries) -> None:
    """Set `target`, `target_text` and `target_kind` on each entry, with one query per kind of
    record among them. A record since deleted reads as such."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        wanted[entry.target_type].add(entry.target_id)
    found: dict[tuple[str, str], object] = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        kind = _TARGETS.get(label, TargetKind())
        records = model._default_manager.select_related(*kind.related).filter(pk__in=ids)
        found.update(((label, str(obj.pk)), obj) for obj in records)
    for entry in entries:
        entry.target = found.get((entry.target_type, entry.target_id))
        entry.target_kind = _TARGETS.get(entry.target_type, TargetKind())
        if entry.target is None:
            entry.target_text = f"A record since deleted ({entry.target_type} {entry.target_id})"
        else:
            entry.target_text = entry.target_kind.describe(entry.target)
