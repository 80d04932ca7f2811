"""Every state change of assessments and attempts."""

import hashlib
import json
import random
import secrets
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format

from academy.audit import record

from . import draws, scoring
from .models import (
    CHOICE_KINDS,
    MANUAL_KINDS,
    Adjustment,
    Assessment,
    AssessmentQuestion,
    Attempt,
    Question,
    QuestionKind,
    QuestionVersion,
    Response,
    Rubric,
)
from .selectors import adjustment_for, answer_key
from .signals import attempt_submitted


class AssessmentError(Exception):
    """A rule about questions, assessments or attempts was broken; the message is for the user."""


_KIND_NAMES = {
    QuestionKind.SINGLE_CHOICE: "a single-choice question",
    QuestionKind.MULTIPLE_RESPONSE: "a multiple-response question",
    QuestionKind.TRUE_FALSE: "a true-or-false question",
    QuestionKind.SHORT_ANSWER: "a short-answer question",
    QuestionKind.NUMERICAL: "a numerical question",
    QuestionKind.MATCHING: "a matching question",
    QuestionKind.ORDERING: "an ordering question",
    QuestionKind.ESSAY: "an essay question",
}
# Which option fields each kind uses; any other field must be left empty.
_FIELDS_USED = {
    QuestionKind.SINGLE_CHOICE: {"text", "is_correct"},
    QuestionKind.MULTIPLE_RESPONSE: {"text", "is_correct", "fraction"},
    QuestionKind.TRUE_FALSE: {"text", "is_correct"},
    QuestionKind.SHORT_ANSWER: {"text", "is_correct", "fraction"},
    QuestionKind.NUMERICAL: {"is_correct", "fraction", "value", "tolerance"},
    QuestionKind.MATCHING: {"text", "match_text"},
    QuestionKind.ORDERING: {"text"},
    QuestionKind.ESSAY: set(),
}
_FIELD_LABELS = {
    "text": "Text",
    "is_correct": "Correct",
    "fraction": "Fraction of the mark",
    "match_text": "Matches",
    "value": "Value",
    "tolerance": "Tolerance",
}


def _is_set(value) -> bool:
    return value not in (None, "", False)


def _mark(choice: dict) -> Decimal:
    """An accepted short or numerical answer's mark: its fraction, else all or nothing."""
    if choice.get("fraction") is not None:
        return Decimal(choice["fraction"])
    return Decimal(1) if choice.get("is_correct") else Decimal(0)


def check_question(*, kind: str, choices: list[dict]) -> None:
    """Raise AssessmentError unless the options make a question that can be answered and scored.

    Each choice is a dict of Choice fields (text, is_correct, fraction, match_text, value,
    tolerance); missing fields count as empty.
    """
    if kind not in _KIND_NAMES:
        raise AssessmentError("Choose what kind of question this is.")
    name = _KIND_NAMES[kind]
    if kind == QuestionKind.ESSAY:
        if choices:
            raise AssessmentError(
                "An essay question has no options or answers: an assessor marks it. Delete "
                "the options."
            )
        return
    if not choices:
        raise AssessmentError(f"Add at least one option or answer to {name}.")
    correct = [choice for choice in choices if choice.get("is_correct")]

    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_RESPONSE) and len(choices) < 2:
        raise AssessmentError("A question needs at least two options.")
    if kind == QuestionKind.SINGLE_CHOICE and len(correct) != 1:
        raise AssessmentError("A single-choice question needs exactly one correct option.")
    if kind == QuestionKind.MULTIPLE_RESPONSE and not correct:
        raise AssessmentError("A multiple-response question needs at least one correct option.")
    if kind == QuestionKind.TRUE_FALSE and (len(choices) != 2 or len(correct) != 1):
        raise AssessmentError(
            "A true-or-false question needs exactly two options (such as “True” and “False”) "
            "with one of them correct."
        )
    for number, choice in enumerate(choices, start=1):
        for field, label in _FIELD_LABELS.items():
            if field not in _FIELDS_USED[kind] and _is_set(choice.get(field)):
                raise AssessmentError(
                    f"Option {number}: {name} does not use “{label}”; leave it empty."
                )
        needs_text = "text" in _FIELDS_USED[kind] and kind != QuestionKind.MATCHING
        if needs_text and not (choice.get("text") or "").strip():
            raise AssessmentError(f"Option {number}: enter its text.")
        fraction = choice.get("fraction")
        if fraction is not None and not -1 <= Decimal(fraction) <= 1:
            raise AssessmentError(f"Option {number}: a fraction of the mark is from -1 to 1.")
    if kind == QuestionKind.MULTIPLE_RESPONSE:
        _check_multiple_response(choices, correct)
    if kind in (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERICAL):
        _check_accepted_answers(kind, choices)
    if kind == QuestionKind.MATCHING:
        pairs = [c for c in choices if (c.get("text") or "").strip()]
        for number, choice in enumerate(choices, start=1):
            if not (choice.get("match_text") or "").strip():
                raise AssessmentError(f"Option {number}: enter what it matches.")
        if len(pairs) < 2:
            raise AssessmentError("A matching question needs at least two pairs with text.")
        matches = {" ".join(c["match_text"].split()) for c in choices}
        if len(matches) < 2:
            raise AssessmentError(
                "A matching question needs at least two different answers to match."
            )
    if kind == QuestionKind.ORDERING and len(choices) < 2:
        raise AssessmentError("An ordering question needs at least two items to put in order.")


def _check_multiple_response(choices: list[dict], correct: list[dict]) -> None:
    for number, choice in enumerate(choices, start=1):
        fraction = choice.get("fraction")
        if fraction is None:
            continue
        if choice.get("is_correct") and fraction <= 0:
            raise AssessmentError(
                f"Option {number}: a correct option's fraction of the mark must be above 0."
            )
        if not choice.get("is_correct") and fraction > 0:
            raise AssessmentError(
                f"Option {number}: a wrong option's fraction of the mark must be 0 or below "
                "(negative to take marks away)."
            )
    given = [c["fraction"] for c in correct if c.get("fraction") is not None]
    if given and len(given) != len(correct):
        raise AssessmentError(
            "Give every correct option a fraction of the mark, or leave them all empty to "
            "share the mark equally."
        )
    if given and abs(sum(Decimal(f) for f in given) - 1) > Decimal("0.01"):
        raise AssessmentError(
            "The correct options' fractions of the mark must add up to 1 (for example 0.5 and "
            "0.5, or 0.33333 three times)."
        )


def _check_accepted_answers(kind: str, choices: list[dict]) -> None:
    name = _KIND_NAMES[kind]
    for number, choice in enumerate(choices, start=1):
        if kind == QuestionKind.NUMERICAL and choice.get("value") is None:
            raise AssessmentError(f"Option {number}: enter the accepted value.")
        if choice.get("fraction") is not None and Decimal(choice["fraction"]) < 0:
            raise AssessmentError(
                f"Option {number}: part marks for an answer are from 0 to 1 (no negative marks)."
            )
        if choice.get("tolerance") is not None and Decimal(choice["tolerance"]) < 0:
            raise AssessmentError(f"Option {number}: a tolerance cannot be negative.")
    if not any(_mark(choice) == 1 for choice in choices):
        raise AssessmentError(
            f"{name[0].upper()}{name[1:]} needs at least one answer that earns the full mark "
            "(ticked correct, or a fraction of 1)."
        )


ESSAY_MAX_CHARACTERS = 20_000


def check_rubric(criteria: list[dict]) -> None:
    """Raise AssessmentError unless the criteria (each {"title", "levels": [{"label",
    "points"}]}) can mark an essay: two or more levels each, different points within a criterion,
    and some points to earn."""
    if not criteria:
        raise AssessmentError("A rubric needs at least one criterion.")
    for number, criterion in enumerate(criteria, start=1):
        levels = criterion.get("levels") or []
        title = criterion.get("title") or f"Criterion {number}"
        if len(levels) < 2:
            raise AssessmentError(f"“{title}” needs at least two levels.")
        points = [Decimal(level["points"]) for level in levels]
        if any(p < 0 for p in points):
            raise AssessmentError(f"“{title}”: points cannot be negative.")
        if max(points) <= 0:
            raise AssessmentError(f"“{title}”: its top level must be worth some points.")
        if len(set(points)) != len(points):
            raise AssessmentError(f"“{title}”: give each level different points.")


def rubric_content(rubric: Rubric) -> dict:
    """The rubric as a question version freezes it (without keys)."""
    return {
        "name": rubric.name,
        "guidance": rubric.guidance,
        "criteria": [
            {
                "title": block.value["title"],
                "description": block.value["description"],
                "levels": [
                    {
                        "label": level["label"],
                        "points": _number(level["points"]),
                        "descriptor": level["descriptor"],
                    }
                    for level in block.value["levels"]
                ],
            }
            for block in rubric.criteria
        ],
    }


def _keyed_rubric(rubric: dict | None) -> dict | None:
    """The frozen rubric with random keys for criteria and levels, which marks refer to."""
    if rubric is None:
        return None
    return {
        **rubric,
        "criteria": [
            {
                "key": secrets.token_hex(4),
                **criterion,
                "levels": [{"key": secrets.token_hex(4), **lvl} for lvl in criterion["levels"]],
            }
            for criterion in rubric["criteria"]
        ],
    }


def _number(value: Decimal | None) -> str | None:
    """A decimal as a canonical string, so 0.5 and 0.50000 give the same version."""
    if value is None:
        return None
    text = format(Decimal(value).normalize(), "f")
    return "0" if text == "-0" else text


def _content_of(question: Question) -> dict:
    """What a version freezes. Single and multiple choice without fractions keep the shape they
    had before other kinds existed, so their content hashes (and versions) do not change."""
    kind = question.kind
    options = []
    for c in question.choices.all():
        if kind == QuestionKind.MATCHING:
            option = {"text": c.text, "match": c.match_text, "feedback": c.feedback}
        elif kind == QuestionKind.ORDERING:
            option = {"text": c.text, "feedback": c.feedback}
        elif kind == QuestionKind.NUMERICAL:
            option = {
                "value": _number(c.value),
                "tolerance": _number(c.tolerance) or "0",
                "correct": c.is_correct,
                "feedback": c.feedback,
            }
        else:
            option = {"text": c.text, "correct": c.is_correct, "feedback": c.feedback}
        if c.fraction is not None and kind in (
            QuestionKind.MULTIPLE_RESPONSE,
            QuestionKind.SHORT_ANSWER,
            QuestionKind.NUMERICAL,
        ):
            option["fraction"] = _number(c.fraction)
        options.append(option)
    content = {
        "kind": kind,
        "stem": question.stem,
        "general_feedback": question.general_feedback,
        "options": options,
    }
    if kind == QuestionKind.SHORT_ANSWER:
        content["settings"] = {"case_sensitive": question.case_sensitive}
    if kind == QuestionKind.ESSAY:
        rubric = rubric_content(question.rubric) if question.rubric_id else None
        if rubric:
            check_rubric(rubric["criteria"])
        content["settings"] = {"rubric": rubric}
    if question.scenario_id:
        # Only when there is one, so versions of questions without a case study keep their hash.
        scenario = {"title": question.scenario.title, "text": question.scenario.text}
        content["settings"] = {**content.get("settings", {}), "scenario": scenario}
    return content


def choices_to_check(question: Question) -> list[dict]:
    return [
        {
            "text": c.text,
            "is_correct": c.is_correct,
            "fraction": c.fraction,
            "match_text": c.match_text,
            "value": c.value,
            "tolerance": c.tolerance,
        }
        for c in question.choices.all()
    ]


def _keyed_options(kind: str, options: list[dict]) -> list[dict]:
    """The options with random keys, so nothing about a key hints at its place or correctness.
    A matching question's right-hand texts are keyed once each (two items may share a match)."""
    if kind != QuestionKind.MATCHING:
        return [{"key": secrets.token_hex(4), **option} for option in options]
    right_keys: dict[str, str] = {}
    for option in options:
        right_keys.setdefault(" ".join(option["match"].split()), secrets.token_hex(4))
    keyed = [
        {
            "key": secrets.token_hex(4),
            "side": "left",
            "text": option["text"],
            "match": right_keys[" ".join(option["match"].split())],
            "feedback": option["feedback"],
        }
        for option in options
        if option["text"].strip()
    ]
    keyed += [{"key": key, "side": "right", "text": text} for text, key in right_keys.items()]
    return keyed


def _checked_content(question: Question) -> tuple[dict, str]:
    """What a version of the question as it is now freezes, and its hash; AssessmentError when
    the question could not be answered or scored."""
    content = _content_of(question)
    check_question(kind=content["kind"], choices=choices_to_check(question))
    return content, hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def current_version(*, question: Question) -> QuestionVersion:
    """The immutable version matching the question as it is now, created on first use."""
    content, digest = _checked_content(question)
    existing = QuestionVersion.objects.filter(question=question, content_hash=digest).first()
    return existing or _new_version(question, content, digest)


def current_versions(*, questions: list[Question]) -> list[QuestionVersion]:
    """current_version of each question, in order, looking the existing ones up in one query
    (an exam start would otherwise make one per question). The questions should have their
    choices, rubric and case study loaded."""
    checked = [(question, *_checked_content(question)) for question in questions]
    existing = {
        (version.question_id, version.content_hash): version
        for version in QuestionVersion.objects.filter(
            question__in=[question.pk for question in questions],
            content_hash__in=[digest for _question, _content, digest in checked],
        )
    }
    return [
        existing.get((question.pk, digest)) or _new_version(question, content, digest)
        for question, content, digest in checked
    ]


def _new_version(question: Question, content: dict, digest: str) -> QuestionVersion:
    """Freeze the content as the question's next version (or return the one a racing caller
    froze first)."""
    options = _keyed_options(content["kind"], content["options"])
    version_settings = content.get("settings", {})
    if "rubric" in version_settings:
        version_settings = {**version_settings, "rubric": _keyed_rubric(version_settings["rubric"])}
    with transaction.atomic():
        Question.objects.select_for_update().filter(pk=question.pk).first()
        last = question.versions.aggregate(last=Max("number"))["last"] or 0
        try:
            with transaction.atomic():
                return QuestionVersion.objects.create(
                    question=question,
                    number=last + 1,
                    content_hash=digest,
                    kind=content["kind"],
                    stem=content["stem"],
                    general_feedback=content["general_feedback"],
                    options=options,
                    settings=version_settings,
                )
        except IntegrityError:
            return QuestionVersion.objects.get(question=question, content_hash=digest)


def attempts_left(
    *, user, assessment: Assessment, adjustment: Adjustment | None = None
) -> int | None:
    """Attempts the learner may still start: those allowed plus any extra attempts granted to
    them, less those made; None when unlimited. Pass the adjustment when already loaded."""
    if assessment.max_attempts is None:
        return None
    if adjustment is None:
        adjustment = adjustment_for(user=user, assessment=assessment)
    allowed = assessment.max_attempts + (adjustment.extra_attempts if adjustment else 0)
    used = Attempt.objects.filter(user=user, assessment=assessment).count()
    return max(0, allowed - used)


# An assessment's questions: fixed questions and random draws ---------------------------------


class SlotsRefused(AssessmentError):
    """An assessment's rows of questions cannot be given as they are. problems holds (index of
    the row in the slots checked, message) pairs, ready to show next to each row."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__(" ".join(message for _index, message in problems))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _tagged(slot: AssessmentQuestion) -> str:
    return f" tagged with expectation {slot.expectation.code}" if slot.expectation_id else ""


def _pool(slot: AssessmentQuestion) -> list[int]:
    """The ids of the questions a draw picks from, as the bank is now."""
    questions = Question.objects.filter(bank_id=slot.bank_id)
    if slot.expectation_id:
        questions = questions.filter(expectations=slot.expectation_id)
    return list(questions.order_by("pk").values_list("pk", flat=True).distinct())


def check_slots(*, slots: list[AssessmentQuestion]) -> None:
    """Raise SlotsRefused unless every attempt can be given these rows of questions: each row a
    fixed question (once) or a draw from a bank with enough questions, and all the draws
    together able to give different questions, none of them one of the fixed questions."""
    problems: list[tuple[int, str]] = []
    fixed: set[int] = set()
    for index, slot in enumerate(slots):
        row_problem = slot.row_problem()
        problem = row_problem[1] if row_problem else None
        if problem is None and slot.question_id in fixed:
            problem = (
                f"“{slot.question}” is already in this assessment; each question can be in it once."
            )
        if problem:
            problems.append((index, problem))
        elif slot.question_id:
            fixed.add(slot.question_id)
    if problems:
        raise SlotsRefused(problems)

    by_bank: dict[int, list[tuple[int, list[int]]]] = {}
    for index, slot in enumerate(slots):
        if slot.question_id:
            continue
        in_bank = _pool(slot)
        pool = [pk for pk in in_bank if pk not in fixed]
        if not in_bank:
            what = f"no questions{_tagged(slot)}" if slot.expectation_id else "no questions yet"
            problems.append((index, f"“{slot.bank}” has {what}, so nothing can be drawn."))
        elif len(pool) < slot.draw_count:
            also_fixed = len(in_bank) - len(pool)
            fixed_note = ""
            if also_fixed:
                which = "is a fixed question" if also_fixed == 1 else "are fixed questions"
                fixed_note = f", and {also_fixed} of them {which} in this assessment"
            problems.append(
                (
                    index,
                    f"This draw asks for {_plural(slot.draw_count, 'question')}, but “{slot.bank}” "
                    f"has {_plural(len(in_bank), 'question')}{_tagged(slot)}{fixed_note}. "
                    + (f"Draw at most {len(pool)}." if pool else "Nothing is left to draw."),
                )
            )
        else:
            by_bank.setdefault(slot.bank_id, []).append((index, pool))
    # Draws from one bank may overlap (a whole-bank draw and a tagged one): together they must
    # still be able to give different questions. Banks never share questions.
    for group in by_bank.values():
        if len(group) < 2:
            continue
        counts = [slots[index].draw_count for index, _pool_ids in group]
        best = draws.most_given([pool for _index, pool in group], counts)
        if best < sum(counts):
            bank = slots[group[0][0]].bank
            problems.extend(
                (
                    index,
                    f"The draws from “{bank}” ask for {sum(counts)} different questions "
                    f"between them, but their questions overlap: at most {best} can be given "
                    "without repeating one.",
                )
                for index, _pool_ids in group
            )
    if problems:
        raise SlotsRefused(sorted(problems))


def draw_questions(*, slots: list[AssessmentQuestion], shuffle: bool) -> list[Question]:
    """The questions one attempt is given, in order: each fixed question, and each draw's
    questions picked at random (random.SystemRandom) from its bank as it is now, never one given
    twice; shuffled into a random order when shuffle is set. The slots' questions should have
    their choices prefetched; the drawn ones are loaded here with theirs."""
    rng = random.SystemRandom()
    fixed = {slot.question_id for slot in slots if slot.question_id}
    drawn_slots = [slot for slot in slots if not slot.question_id]
    pools = [[pk for pk in _pool(slot) if pk not in fixed] for slot in drawn_slots]
    chosen = draws.draw(pools, [slot.draw_count for slot in drawn_slots], rng=rng)
    if chosen is None:
        raise AssessmentError(
            "This assessment cannot be started: its banks no longer have enough questions to "
            "draw from. Please tell the course team."
        )
    drawn = Question.objects.select_related("rubric", "scenario").prefetch_related("choices")
    drawn = drawn.in_bulk([pk for picks in chosen for pk in picks])
    picks = iter(chosen)
    questions = []
    for slot in slots:
        if slot.question_id:
            questions.append(slot.question)
        else:
            questions.extend(drawn[pk] for pk in next(picks))
    if shuffle:
        questions = _shuffled_keeping_case_studies_together(questions, rng)
    return questions


def _shuffled_keeping_case_studies_together(questions: list[Question], rng) -> list[Question]:
    """A random order in which the questions about one case study stay together, in their own
    order, where the first of them would be, so the case study is read once."""
    blocks: dict[object, list[Question]] = {}
    for question in questions:
        key = ("case", question.scenario_id) if question.scenario_id else ("one", question.pk)
        blocks.setdefault(key, []).append(question)
    order = list(blocks.values())
    rng.shuffle(order)
    return [question for block in order for question in block]


ADJUSTMENT_FIELDS = ("extra_minutes", "no_time_limit", "extra_attempts", "reason")


@transaction.atomic
def grant_adjustment(
    *,
    learner,
    assessment: Assessment,
    by,
    extra_minutes: int = 0,
    no_time_limit: bool = False,
    extra_attempts: int = 0,
    reason: str,
) -> Adjustment:
    """Set the learner's adjustment for the assessment (creating or replacing it) and record who
    made it, when, why, and the old and new values. Applies to attempts started from now on: an
    attempt already under way keeps its deadline. Setting everything to 0 withdraws it (the
    record and its history stay)."""
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError("Give the reason for the adjustment.")
    if extra_minutes is None:
        extra_minutes = 0
    if extra_attempts is None:
        extra_attempts = 0
    if extra_minutes < 0 or extra_attempts < 0:
        raise AssessmentError("Extra time and extra attempts cannot be negative.")
    if no_time_limit and extra_minutes:
        raise AssessmentError(
            "Choose either extra time or no time limit: with no time limit, extra time means "
            "nothing."
        )
    existing = (
        Adjustment.objects.select_for_update()
        .filter(learner=learner, assessment=assessment)
        .first()
    )
    old = {field: getattr(existing, field) for field in ADJUSTMENT_FIELDS} if existing else None
    new = {
        "extra_minutes": extra_minutes,
        "no_time_limit": bool(no_time_limit),
        "extra_attempts": extra_attempts,
        "reason": reason,
    }
    adjustment, created = Adjustment.objects.update_or_create(
        learner=learner,
        assessment=assessment,
        defaults={**new, "granted_by": by, "granted_at": timezone.now()},
    )
    record(
        actor=by,
        action="adjustment.granted" if created else "adjustment.changed",
        target=adjustment,
        reason=reason,
        learner_id=learner.pk,
        assessment_id=assessment.pk,
        old=old,
        new=new,
    )
    return adjustment


def grace() -> timedelta:
    """How long after the deadline answers are still accepted (slow networks, a late click)."""
    return timedelta(seconds=getattr(settings, "ASSESSMENT_GRACE_SECONDS", 30))


def uk_time(moment: datetime) -> str:
    """A moment as learners read it: "14:35 on 3 December 2026 (UK time)"."""
    return date_format(timezone.localtime(moment), r"H:i \o\n j F Y") + " (UK time)"


def deadline_for(
    *, assessment: Assessment, started_at: datetime, adjustment: Adjustment | None = None
) -> datetime | None:
    """When an attempt started at started_at must end: the time limit (plus the learner's extra
    minutes, or none with no time limit), capped by the close. The close always caps it: after
    it, no attempt is open for anyone (see docs/decisions.md)."""
    ends = []
    if assessment.time_limit_minutes and not (adjustment and adjustment.no_time_limit):
        minutes = assessment.time_limit_minutes + (adjustment.extra_minutes if adjustment else 0)
        ends.append(started_at + timedelta(minutes=minutes))
    if assessment.closes_at:
        ends.append(assessment.closes_at)
    return min(ends) if ends else None


def is_overdue(attempt: Attempt, *, now: datetime | None = None) -> bool:
    """True once the attempt's deadline and the grace after it have both passed."""
    if attempt.deadline is None or attempt.is_submitted:
        return False
    return (now or timezone.now()) > attempt.deadline + grace()


def check_can_start(
    *, user, assessment: Assessment, now: datetime, adjustment: Adjustment | None = None
) -> None:
    """Raise AssessmentError, with what the learner can do about it, unless a new attempt may
    start now (counting the extra attempts of the learner's adjustment, passed when loaded).
    Call with the learner's row locked (start_attempt does)."""
    if assessment.opens_at and now < assessment.opens_at:
        raise AssessmentError(f"This assessment opens at {uk_time(assessment.opens_at)}.")
    if assessment.closes_at and now >= assessment.closes_at:
        raise AssessmentError(
            f"This assessment closed at {uk_time(assessment.closes_at)}, so no new attempts "
            "can be started."
        )
    if attempts_left(user=user, assessment=assessment, adjustment=adjustment) == 0:
        raise AssessmentError("You have used all the attempts allowed for this assessment.")
    if Attempt.objects.filter(
        user=user, assessment=assessment, status=Attempt.Status.MARKING
    ).exists():
        raise AssessmentError(
            "Your last attempt is being marked. You can start another once its result is released."
        )
    if assessment.attempt_delay_minutes:
        last = (
            Attempt.objects.filter(user=user, assessment=assessment)
            .exclude(status=Attempt.Status.IN_PROGRESS)
            .order_by("-submitted_at")
            .values_list("submitted_at", flat=True)
            .first()
        )
        if last is not None:
            ready = last + timedelta(minutes=assessment.attempt_delay_minutes)
            if now < ready:
                raise AssessmentError(
                    f"You can start your next attempt at {uk_time(ready)}. There is a wait of "
                    f"{assessment.attempt_delay_minutes} minutes between attempts."
                )


def option_order(version: QuestionVersion, *, shuffle: bool) -> list[str]:
    """The keys a learner is shown, in the order shown, frozen when the attempt starts (and
    chosen afresh each time a knowledge check is shown)."""
    shuffled = random.SystemRandom().sample
    keys = [option["key"] for option in version.options]
    kind = version.kind
    if kind in (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERICAL, QuestionKind.ESSAY):
        return []  # the learner types the answer: no option is shown
    if kind == QuestionKind.TRUE_FALSE:
        return keys  # "True" then "False", as written
    if kind == QuestionKind.MATCHING:
        # The right-hand answers are always shuffled: in authored order they would line up.
        lefts = [o["key"] for o in version.options if o["side"] == "left"]
        rights = [o["key"] for o in version.options if o["side"] == "right"]
        lefts = shuffled(lefts, len(lefts)) if shuffle else lefts
        return lefts + shuffled(rights, len(rights))
    if kind == QuestionKind.ORDERING:
        # The authored order is the answer, so the items are always shown in another order.
        order = keys
        while order == keys:
            order = shuffled(keys, len(keys))
        return order
    return shuffled(keys, len(keys)) if shuffle else keys


def start_attempt(*, user, assessment: Assessment) -> Attempt:
    """Return the learner's open attempt, or start a new one with its questions frozen.

    An open attempt whose time is up is finalised first, in its own transaction (so it stays
    finalised even when a starting rule then refuses a new attempt), with the answers saved in
    time; then the starting rules decide whether a new one may start.
    """
    open_attempt = Attempt.objects.filter(
        user=user, assessment=assessment, status=Attempt.Status.IN_PROGRESS
    ).first()
    if open_attempt:
        finalise_if_overdue(attempt=open_attempt)
    return _start_attempt(user=user, assessment=assessment)


@transaction.atomic
def _start_attempt(*, user, assessment: Assessment) -> Attempt:
    """start_attempt with the learner's row locked first, so racing starts by the same learner
    (two tabs, a double click, a retried request) run one after another: the attempt limit and
    the one-open-attempt rule hold under concurrency, while different learners start in
    parallel."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
    now = timezone.now()
    open_attempt = Attempt.objects.filter(
        user=user, assessment=assessment, status=Attempt.Status.IN_PROGRESS
    ).first()
    if open_attempt and not is_overdue(open_attempt, now=now):
        return open_attempt
    if open_attempt:  # its time ran out a moment ago
        _finalise(_locked(open_attempt), late=True)
    adjustment = adjustment_for(user=user, assessment=assessment)
    check_can_start(user=user, assessment=assessment, now=now, adjustment=adjustment)
    slots = list(
        assessment.assessment_questions.select_related("question__rubric", "question__scenario")
        .prefetch_related("question__choices")
        .order_by("sort_order")
    )
    if not slots:
        raise AssessmentError("This assessment has no questions yet.")
    questions = draw_questions(slots=slots, shuffle=assessment.shuffle_questions)
    versions = current_versions(questions=questions)
    number = (
        Attempt.objects.filter(user=user, assessment=assessment).aggregate(n=Max("number"))["n"]
        or 0
    ) + 1
    attempt = Attempt.objects.create(
        user=user,
        assessment=assessment,
        number=number,
        started_at=now,
        deadline=deadline_for(assessment=assessment, started_at=now, adjustment=adjustment),
        max_points=len(versions),
        questions_per_page=assessment.questions_per_page or None,
    )
    responses = [
        Response(
            attempt=attempt,
            position=position,
            version=version,
            option_order=option_order(version, shuffle=assessment.shuffle_options),
        )
        for position, version in enumerate(versions, start=1)
    ]
    Response.objects.bulk_create(responses)
    return attempt


Answer = list[str] | dict[str, str]
MISMATCH = "The answers sent do not match the questions in this attempt."


class TimeUp(AssessmentError):  # noqa: N818 - reads as the event the learner is told about
    """Answers arrived after the deadline and its grace: they were refused and the attempt was
    finalised with the answers saved in time. The finalising is committed before this is raised."""

    def __init__(self, attempt: Attempt):
        self.attempt = attempt
        super().__init__(
            f"Your time ran out at {uk_time(attempt.deadline)}. The answers you had saved by then "
            "have been submitted; answers sent after that were not kept."
        )


def save_answers(*, attempt: Attempt, answers: dict[int, Answer]) -> None:
    """Store answers keyed by response id. Anything that does not belong changes nothing.

    An answer is what the attempt page posts for the question: the chosen option keys (single
    choice, multiple response, true or false), a one-item list with the typed text (short
    answer, numerical), or a dict from each item's key to the chosen right-hand key (matching)
    or to its position "1".."n" (ordering), with "" for an item not answered yet. An answer
    already checked (submit_answer) is final: a different one for it is refused.
    """
    _while_open(attempt, lambda open_attempt: _store_answers(open_attempt, answers))


CHECKING_OFF = "This assessment does not let you check answers before you submit."
NOT_CHECKABLE = "An essay is marked by an assessor after you submit, so it cannot be checked now."
NOT_ANSWERED = "Answer the question before checking it."
NOT_IN_ATTEMPT = "The question to check is not in this attempt."


def submit_answer(*, attempt: Attempt, response_id: int, answers: dict[int, Answer]) -> Response:
    """The learner's "Check this answer" (Assessment.check_during_attempt, Moodle's immediate
    feedback): store the page's answers as save_answers does, then hand in the answer to one
    question of them. It is scored now, by machine_score as at submission, and is final from
    then on. Refused, changing nothing, when the assessment does not allow checking, for a
    question not in the attempt, an essay or an unanswered question; checking an answer again
    changes nothing. The checked response is returned."""
    return _while_open(
        attempt, lambda open_attempt: _submit_answer(open_attempt, response_id, answers)
    )


def _while_open(attempt: Attempt, work):
    """work(the attempt, its row locked), in one transaction, while the attempt takes answers.
    After the deadline and its grace it is finalised instead, with the answers saved in time,
    and TimeUp is raised once that is committed."""
    with transaction.atomic():
        attempt = _locked(attempt)
        if attempt.is_submitted:
            raise AssessmentError("This attempt has already been submitted.")
        late = is_overdue(attempt)
        if late:
            _finalise(attempt, late=True)
        else:
            result = work(attempt)
    if late:
        raise TimeUp(attempt)
    return result


def _submit_answer(attempt: Attempt, response_id: int, answers: dict[int, Answer]) -> Response:
    if not attempt.assessment.check_during_attempt:
        raise AssessmentError(CHECKING_OFF)
    responses = _store_answers(attempt, answers)
    response = responses.get(response_id)
    if response is None:
        raise AssessmentError(NOT_IN_ATTEMPT)
    if response.version.kind in MANUAL_KINDS:
        raise AssessmentError(NOT_CHECKABLE)
    if response.checked_at is not None:
        return response  # checked already (a double click, another tab): it stays as it was
    if not response.selected:
        raise AssessmentError(NOT_ANSWERED)
    response.score = scoring.to_decimal(machine_score(response))
    response.checked_at = timezone.now()
    response.save(update_fields=["score", "checked_at"])
    return response


def _store_answers(attempt: Attempt, answers: dict[int, Answer]) -> dict[int, Response]:
    """Write the answers that changed; every response of the attempt by id, as now stored."""
    responses = {r.pk: r for r in attempt.responses.select_related("version")}
    unknown = set(answers) - set(responses)
    if unknown:
        raise AssessmentError(MISMATCH)
    changed = []
    for response_id, answer in answers.items():
        response = responses[response_id]
        selected = checked_answer(response, answer)
        if response.checked_at is not None:
            # An old tab may send a checked answer again as it was; any other is a change.
            if not _same_answer(response, selected):
                raise AssessmentError(
                    f"Question {response.position} has been checked, so its answer cannot be "
                    "changed."
                )
            continue
        # An autosave sends the whole page each time: write only the answers that changed.
        if selected != response.selected:
            response.selected = selected
            changed.append(response)
    if changed:
        Response.objects.bulk_update(changed, ["selected"])
    return responses


def _same_answer(response: Response, selected) -> bool:
    """Whether selected is the stored answer (options chosen in another order are the same)."""
    if response.version.kind in CHOICE_KINDS:
        return set(selected) == set(response.selected)
    return selected == response.selected


def checked_answer(response: Response, answer: Answer):
    """The answer as stored in Response.selected, or AssessmentError when it cannot be one.
    Knowledge checks read their answers with it too."""
    kind = response.version.kind
    if kind in (QuestionKind.MATCHING, QuestionKind.ORDERING):
        if not isinstance(answer, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in answer.items()
        ):
            raise AssessmentError(MISMATCH)
    elif not isinstance(answer, list) or not all(isinstance(v, str) for v in answer):
        raise AssessmentError(MISMATCH)

    if kind == QuestionKind.ESSAY:
        if len(answer) > 1:
            raise AssessmentError(MISMATCH)
        # Line breaks are the learner's paragraphs: only the ends are trimmed.
        text = answer[0].strip() if answer else ""
        if len(text) > ESSAY_MAX_CHARACTERS:
            raise AssessmentError(
                f"Question {response.position}: keep the answer under "
                f"{ESSAY_MAX_CHARACTERS:,} characters (it has {len(text):,})."
            )
        return [text] if text else []

    if kind in (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERICAL):
        if len(answer) > 1:
            raise AssessmentError(MISMATCH)
        text = " ".join(answer[0].split()) if answer else ""
        if len(text) > 500:
            raise AssessmentError(
                f"Question {response.position}: keep the answer under 500 characters."
            )
        if kind == QuestionKind.NUMERICAL and text and scoring.parse_number(text) is None:
            raise AssessmentError(
                f"Question {response.position}: enter a number, like 12 or 3.5 (or leave it empty)."
            )
        return [text] if text else []

    if kind == QuestionKind.MATCHING:
        sides = {o["key"]: o["side"] for o in response.version.options}
        for left, right in answer.items():
            if left not in response.option_order or sides.get(left) != "left":
                raise AssessmentError("An answer names an option that is not in its question.")
            if right and (right not in response.option_order or sides.get(right) != "right"):
                raise AssessmentError("An answer names an option that is not in its question.")
        return {left: right for left, right in answer.items() if right}

    if kind == QuestionKind.ORDERING:
        items = response.option_order
        if not set(answer) <= set(items):
            raise AssessmentError("An answer names an option that is not in its question.")
        allowed = {str(n) for n in range(1, len(items) + 1)}
        if not set(answer.values()) <= allowed | {""}:
            raise AssessmentError(MISMATCH)
        positions = {key: answer.get(key, "") for key in items}
        if not any(positions.values()):
            return []
        if set(positions.values()) != allowed:
            raise AssessmentError(
                f"Question {response.position}: give each item a different position from 1 to "
                f"{len(items)}."
            )
        return sorted(items, key=lambda key: int(positions[key]))

    keys = list(dict.fromkeys(answer))
    if not set(keys) <= set(response.option_order):
        raise AssessmentError("An answer names an option that is not in its question.")
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.TRUE_FALSE) and len(keys) > 1:
        raise AssessmentError("Choose only one option for a single-choice question.")
    return keys


def _locked(attempt: Attempt) -> Attempt:
    """The attempt re-read with its row locked until the transaction ends (PostgreSQL returns
    the latest committed version once the lock is granted)."""
    return (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("assessment")
        .get(pk=attempt.pk)
    )


@transaction.atomic
def submit_attempt(*, attempt: Attempt) -> Attempt:
    """Score and close the attempt, exactly once however many times it is called.

    Called after the deadline and its grace, it finalises the attempt as the server would have
    (flagged auto_submitted): only answers saved in time are there to score.
    """
    attempt = _locked(attempt)
    if attempt.is_submitted:
        return attempt
    return _finalise(attempt, late=is_overdue(attempt))


def finalise_if_overdue(*, attempt: Attempt) -> bool:
    """Finalise the attempt if its time is up; True when this call finalised it."""
    if attempt.is_submitted or attempt.deadline is None:
        return False
    return _finalise_if_overdue(attempt.pk)


@transaction.atomic
def _finalise_if_overdue(attempt_id: int) -> bool:
    attempt = _locked(Attempt(pk=attempt_id))
    if not is_overdue(attempt):
        return False
    _finalise(attempt, late=True)
    return True


def finalise_overdue_attempts(*, now: datetime | None = None) -> int:
    """Finalise every open attempt whose time is up; the number finalised. Safe to run again or
    alongside a learner's own submission: each attempt is locked and checked before scoring."""
    cutoff = (now or timezone.now()) - grace()
    overdue = Attempt.objects.filter(
        status=Attempt.Status.IN_PROGRESS, deadline__lt=cutoff
    ).values_list("pk", flat=True)
    return sum(_finalise_if_overdue(pk) for pk in list(overdue))


def _finalise(attempt: Attempt, *, late: bool) -> Attempt:
    """Hand in the locked, open attempt: score its saved answers, and either release the result
    (announced once) or, when an answer needs a person to mark it, put those in the marking
    queue, a sample of them for second marking."""
    responses = list(attempt.responses.select_related("version"))
    sample = random.SystemRandom().random
    to_mark = False
    exact = []
    for response in responses:
        if response.version.kind in MANUAL_KINDS and not response.selected:
            response.score = Decimal(0)  # nothing written: nothing to mark
            exact.append(Fraction(0))
            continue
        if response.version.kind in MANUAL_KINDS:
            to_mark = True
            response.score = None
            response.marking = Response.Marking.TO_MARK
            response.second_marking = sample() * 100 < attempt.assessment.second_marking_percent
            continue
        # A checked answer got its score from this same function when it was checked, and has
        # not changed since (it is final), so the mark the learner was shown is the one kept;
        # the exact share is needed again for the total.
        exact.append(machine_score(response))
        response.score = scoring.to_decimal(exact[-1])
    Response.objects.bulk_update(responses, ["score", "marking", "second_marking"])
    attempt.submitted_at = timezone.now()
    attempt.auto_submitted = late
    if to_mark:
        attempt.status = Attempt.Status.MARKING
        attempt.save(update_fields=["status", "submitted_at", "auto_submitted"])
        return attempt
    scored = score_attempt(attempt, exact)
    return release(attempt, also=["submitted_at", "auto_submitted", *scored])


def machine_score(response: Response) -> Fraction:
    """The exact share of the mark an automatically scored answer earns (its version loaded,
    and the version it was regraded against, if any: then it is judged by that corrected key)."""
    options, case_sensitive = answer_key(response)
    return scoring.score_response(
        response.version.kind, options, response.selected, case_sensitive=case_sensitive
    )


def score_attempt(attempt: Attempt, scores: list[Fraction]) -> list[str]:
    """Set (not save) the attempt's points, percentage and pass from the exact score of each of
    its answers, so rounding each answer's stored score never moves the percentage or the pass;
    the fields set."""
    total = sum(scores, Fraction(0))
    attempt.points = scoring.to_decimal(total)
    attempt.percent = scoring.percentage(total, attempt.max_points)
    attempt.passed = scoring.has_passed(total, attempt.max_points, attempt.assessment.pass_mark)
    return ["points", "percent", "passed"]


def release(attempt: Attempt, *, also: list[str]) -> Attempt:
    """Release the scored attempt's result to the learner and announce it, once; saved with the
    other fields named in also."""
    attempt.status = Attempt.Status.SUBMITTED
    attempt.released_at = timezone.now()
    attempt.save(update_fields=["status", "released_at", *also])
    attempt_submitted.send(sender=Attempt, attempt=attempt)
    return attempt
