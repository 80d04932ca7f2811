"""A past answer's answer key after its question was corrected. Pure: no Django.

An answer refers to the option keys of the version it was given (Response.version), and keys are
random per version. To score it against a corrected version, the corrected version's judgement
(which options are right, their fractions, matches, the right order, accepted answers, feedback)
is carried over onto the old version's options, so the answer, its option order and the texts
the learner saw stay exactly as they were. `corrected_key` does that, or raises Unmappable with
the reason when there is no sound way to do it.

Versions are given as mappings with "kind", "options" and "settings", the fields of
assessments.models.QuestionVersion.
"""

from collections.abc import Mapping

from . import scoring

ESSAY = "essay"

_KIND_NAMES = {
    scoring.SINGLE_CHOICE: "single choice",
    scoring.MULTIPLE_RESPONSE: "multiple response",
    scoring.TRUE_FALSE: "true or false",
    scoring.SHORT_ANSWER: "short answer",
    scoring.NUMERICAL: "numerical",
    scoring.MATCHING: "matching",
    scoring.ORDERING: "ordering",
    ESSAY: "essay",
}
_CHOICE_KINDS = (scoring.SINGLE_CHOICE, scoring.MULTIPLE_RESPONSE, scoring.TRUE_FALSE)
_TYPED_KINDS = (scoring.SHORT_ANSWER, scoring.NUMERICAL)


class Unmappable(ValueError):  # noqa: N818 - reads as what the trainer is told
    """The old version's answers cannot be scored against the new one automatically; the
    message says why, for the trainer."""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _text(text: str) -> str:
    return " ".join(text.split())


def _distinct_texts(options, what: str) -> list[str]:
    texts = [_text(option["text"]) for option in options]
    if len(set(texts)) != len(texts):
        raise Unmappable(f"two of its {what} have the same text, so they cannot be told apart")
    return texts


def corrected_key(old: Mapping, new: Mapping) -> tuple[list[dict], dict]:
    """The options to score an answer to `old` with, in `old`'s keys and texts and with `new`'s
    judgement, and `new`'s settings that scoring reads (scoring.SCORING_SETTINGS: whether typed
    answers are case-sensitive, and the rules it is scored by). Raises Unmappable.

    - Single choice, multiple response, true or false: option i of the old version is option i
      of the new one (their authored positions); the number of options must be the same, and
      the same options merely put in another order are refused (position would mislead).
    - Short answer and numerical: the learner typed the answer, so the new accepted answers (and
      case sensitivity) apply as they are, however many there are.
    - Ordering: the authored order is the answer, so position says nothing about which item is
      which; items are paired by their text, and the items must be the same.
    - Matching: items and right-hand answers are paired by their text; both must be the same.
    - Essays are marked by people and never regraded automatically.
    """
    kind, new_kind = old["kind"], new["kind"]
    if kind == ESSAY or new_kind == ESSAY:
        raise Unmappable("essays are marked by people and are never regraded automatically")
    if kind != new_kind:
        raise Unmappable(
            f"it was {_KIND_NAMES.get(kind, kind)} and is now {_KIND_NAMES.get(new_kind, new_kind)}"
        )
    old_options, new_options = list(old["options"]), list(new["options"])
    new_settings = new.get("settings") or {}
    settings = {
        name: new_settings[name] for name in scoring.SCORING_SETTINGS if name in new_settings
    }
    if kind in _TYPED_KINDS:
        return [dict(option) for option in new_options], settings
    if kind in _CHOICE_KINDS:
        if len(old_options) != len(new_options):
            raise Unmappable(
                f"it had {_plural(len(old_options), 'option')} and now has {len(new_options)}"
            )
        old_texts = [_text(option["text"]) for option in old_options]
        new_texts = [_text(option["text"]) for option in new_options]
        if old_texts != new_texts and sorted(old_texts) == sorted(new_texts):
            # The same options dragged into another order: position no longer says which is
            # which, and pairing by it would judge each answer by another option's key.
            raise Unmappable("its options were put in a different order")
        options = []
        for was, now in zip(old_options, new_options, strict=True):
            option = {
                "key": was["key"],
                "text": was["text"],
                "correct": bool(now["correct"]),
                "feedback": now.get("feedback", ""),
            }
            if now.get("fraction") is not None:
                option["fraction"] = now["fraction"]
            options.append(option)
        return options, settings
    if kind == scoring.ORDERING:
        old_texts = _distinct_texts(old_options, "items")
        new_texts = _distinct_texts(new_options, "items")
        if sorted(old_texts) != sorted(new_texts):
            raise Unmappable("its items to put in order are not the same as they were")
        by_text = dict(zip(old_texts, old_options, strict=True))
        # In the new (right) order, each carrying the old key and text the learner saw.
        return [
            {
                "key": by_text[text]["key"],
                "text": by_text[text]["text"],
                "feedback": now.get("feedback", ""),
            }
            for text, now in zip(new_texts, new_options, strict=True)
        ], settings
    if kind == scoring.MATCHING:
        return _corrected_matching(old_options, new_options), settings
    raise Unmappable(f"questions of kind {kind!r} cannot be regraded automatically")


def _corrected_matching(old_options: list, new_options: list) -> list[dict]:
    def sides(options):
        return (
            [o for o in options if o.get("side") == "left"],
            [o for o in options if o.get("side") == "right"],
        )

    old_left, old_right = sides(old_options)
    new_left, new_right = sides(new_options)
    old_left_texts = _distinct_texts(old_left, "items")
    new_left_texts = _distinct_texts(new_left, "items")
    if sorted(old_left_texts) != sorted(new_left_texts):
        raise Unmappable("its items to match are not the same as they were")
    old_right_texts = _distinct_texts(old_right, "answers to match")
    new_right_texts = _distinct_texts(new_right, "answers to match")
    if sorted(old_right_texts) != sorted(new_right_texts):
        raise Unmappable("its answers to match are not the same as they were")
    old_right_key = {
        text: option["key"] for text, option in zip(old_right_texts, old_right, strict=True)
    }
    new_right_text = {
        option["key"]: text for text, option in zip(new_right_texts, new_right, strict=True)
    }
    new_by_text = dict(zip(new_left_texts, new_left, strict=True))
    corrected = []
    for text, was in zip(old_left_texts, old_left, strict=True):
        now = new_by_text[text]
        corrected.append(
            {
                "key": was["key"],
                "side": "left",
                "text": was["text"],
                "match": old_right_key[new_right_text[now["match"]]],
                "feedback": now.get("feedback", ""),
            }
        )
    return corrected + [dict(option) for option in old_right]


def can_map(old: Mapping, new: Mapping) -> str:
    """Why answers to `old` cannot be regraded against `new`, or "" when they can."""
    try:
        corrected_key(old, new)
    except Unmappable as problem:
        return str(problem)
    return ""
