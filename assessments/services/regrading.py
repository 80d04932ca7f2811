"""Regrading past answers after a question is corrected (docs/decisions.md, "Regrading").

An answer keeps pointing at the version it was given (Response.version never changes). Regrading
scores it again against the question's current version, whose answer key is carried over onto
the old version's options by assessments.remapping, and records that version on the answer
(Response.regraded_against), so its review shows the corrected right answers. Attempts' totals
are worked out again from exact fractions, every changed mark is written to the audit log, and
released attempts whose result changed are announced (signals.attempt_regraded) once the
transaction commits. Essays are marked by people and are never regraded here.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Count, Q

from academy.audit import record

from .. import remapping, scoring
from ..formatting import decimal_text
from ..models import MANUAL_KINDS, Attempt, Question, QuestionVersion, Response
from .answers import machine_score
from .attempts import score_attempt
from .errors import AssessmentError
from .marking import announce_changed_result, exact_score
from .versions import current_version, with_version_content

# Attempts whose answers can no longer change: released, or waiting for marking or release.
HANDED_IN = (Attempt.Status.SUBMITTED, Attempt.Status.MARKING)


@dataclass(frozen=True)
class VersionPlan:
    """An older version of the question with handed-in answers, as the regrade treats it."""

    number: int
    answers: int  # handed-in answers given this version
    waiting: int  # of them, those not yet regraded against the current version
    problem: str  # why it cannot be regraded automatically; "" when it can


@dataclass
class Regrade:
    """What a regrade would do (a dry run) or did."""

    against: QuestionVersion
    dry_run: bool
    versions: list[VersionPlan] = field(default_factory=list)
    answers: int = 0  # answers regraded (or that would be)
    raised: int = 0  # marks that went (or would go) up
    lowered: int = 0  # and down
    attempts_changed: int = 0  # attempts whose points, percentage or pass changed
    passes_changed: int = 0  # of them, those whose pass or fail changed
    left_alone: int = 0  # answers on versions that cannot be regraded automatically

    @property
    def changed(self) -> int:
        return self.raised + self.lowered

    @property
    def unmappable(self) -> list[VersionPlan]:
        return [plan for plan in self.versions if plan.problem]


def _content(version: QuestionVersion) -> dict:
    return {"kind": version.kind, "options": version.options, "settings": version.settings}


def _problem(version: QuestionVersion, against: QuestionVersion) -> str:
    if version.kind in MANUAL_KINDS:
        return "essays are marked by people and are never regraded automatically"
    return remapping.can_map(_content(version), _content(against))


def regrade_question(
    *,
    question: Question,
    by,
    reason: str = "",
    against: QuestionVersion | None = None,
    dry_run: bool = False,
) -> Regrade:
    """Regrade every handed-in answer to the question given an older version (or regraded
    against one) against its current version; with dry_run, only say what would change.

    against, when given, is the version the trainer saw in the preview: if the question has been
    edited since, AssessmentError asks them to look again. Safe to run again (a second run finds
    nothing to do and writes nothing) and from a task (tasks.regrade_question loads these by id):
    it locks the question, then the attempts it changes, in one transaction.
    """
    reason = (reason or "").strip()
    if not dry_run and not reason:
        raise AssessmentError("Say why the past attempts are being regraded.")
    with transaction.atomic():
        if not dry_run:
            # One regrade of a question at a time.
            Question.objects.select_for_update().filter(pk=question.pk).first()
        current = current_version(question=with_version_content().get(pk=question.pk))
        if against is not None and against.pk != current.pk:
            raise AssessmentError(
                "The question has been changed since you checked what regrading would do. "
                "Check again before you regrade."
            )
        report = Regrade(against=current, dry_run=dry_run)
        problems = {
            version.pk: _problem(version, current)
            for version in QuestionVersion.objects.filter(question=question).exclude(pk=current.pk)
        }
        mappable = [pk for pk, problem in problems.items() if not problem]
        # Answers to regrade: on a mappable older version and not already regraded against the
        # current one, or on the current version itself but regraded against another (the
        # question was put back as it was: it is scored on its own version again).
        waiting = Response.objects.filter(
            Q(version_id__in=mappable) & ~Q(regraded_against=current)
            | Q(version=current, regraded_against__isnull=False),
            attempt__status__in=HANDED_IN,
        )
        report.versions = _plans(question, current, problems, waiting)
        report.left_alone = sum(plan.answers for plan in report.unmappable)
        attempts = Attempt.objects.filter(pk__in=waiting.values("attempt_id")).select_related(
            "assessment"
        )
        if not dry_run:
            attempts = attempts.select_for_update(of=("self",))
        attempts = list(attempts.order_by("pk"))
        if not attempts:
            return report
        _regrade(report, question, current, mappable, attempts, reason=reason, by=by)
    return report


def _plans(question, current, problems, waiting) -> list[VersionPlan]:
    """Each version other than the current one that has handed-in answers, oldest first."""
    given = dict(
        Response.objects.filter(version__question=question, attempt__status__in=HANDED_IN)
        .exclude(version=current)
        .values_list("version_id")
        .annotate(n=Count("pk"))
    )
    to_do = dict(waiting.values_list("version_id").annotate(n=Count("pk")))
    numbers = dict(QuestionVersion.objects.filter(pk__in=given).values_list("pk", "number"))
    return sorted(
        (
            VersionPlan(
                number=numbers[pk],
                answers=count,
                waiting=to_do.get(pk, 0),
                problem=problems.get(pk, ""),
            )
            for pk, count in given.items()
        ),
        key=lambda plan: plan.number,
    )


def _regrade(report: Regrade, question, current, mappable, attempts, *, reason: str, by) -> None:
    by_attempt = {attempt.pk: attempt for attempt in attempts}
    responses = defaultdict(list)
    for response in (
        Response.objects.filter(attempt_id__in=by_attempt)
        .select_related("version", "regraded_against")
        .prefetch_related("marks")
        .order_by("attempt_id", "position")
    ):
        responses[response.attempt_id].append(response)
    mappable_or_current = {*mappable, current.pk}
    regraded, changed_marks, changed_attempts, announce = [], [], [], []
    for attempt_id, rows in responses.items():
        attempt = by_attempt[attempt_id]
        for response in rows:
            if response.version.question_id != question.pk:
                continue
            target = None if response.version_id == current.pk else current
            if response.version_id not in mappable_or_current or response.regraded_against_id == (
                target.pk if target else None
            ):
                continue
            before = response.score
            response.regraded_against = target
            response.score = scoring.to_decimal(machine_score(response))
            regraded.append(response)
            if response.score != before:
                changed_marks.append((response, before))
                if response.score > (before or 0):
                    report.raised += 1
                else:
                    report.lowered += 1
        total_before = (attempt.points, attempt.percent, attempt.passed)
        if attempt.status == Attempt.Status.SUBMITTED or attempt.percent is not None:
            # Released, or fully marked and held for release: its total is worked out again from
            # exact fractions. An attempt still being marked keeps its total for marking to set.
            score_attempt(attempt, [(exact_score(r), r.max_marks) for r in rows])
        if (attempt.points, attempt.percent, attempt.passed) != total_before:
            report.attempts_changed += 1
            changed_attempts.append((attempt, total_before))
            if attempt.passed != total_before[2]:
                report.passes_changed += 1
            if attempt.is_released:
                announce.append((attempt, total_before))
    report.answers = len(regraded)
    if report.dry_run or not regraded:
        return
    Response.objects.bulk_update(regraded, ["score", "regraded_against"], batch_size=500)
    Attempt.objects.bulk_update(
        [attempt for attempt, _before in changed_attempts],
        ["points", "percent", "passed"],
        batch_size=500,
    )
    totals = {attempt.pk: before for attempt, before in changed_attempts}
    audit = partial(record, actor=by, reason=reason)  # every entry of this regrade
    for response, before in changed_marks:
        attempt = by_attempt[response.attempt_id]
        _points, percent_before, passed_before = totals.get(
            attempt.pk, (attempt.points, attempt.percent, attempt.passed)
        )
        audit(
            action="response.regraded",
            target=response,
            attempt_id=attempt.pk,
            learner_id=attempt.user_id,
            question_id=question.pk,
            position=response.position,
            version=response.version.number,
            regraded_against=current.number,
            old_score=decimal_text(before),
            new_score=decimal_text(response.score),
            old_percent=decimal_text(percent_before),
            new_percent=decimal_text(attempt.percent),
            old_passed=passed_before,
            new_passed=attempt.passed,
        )
    audit(
        action="question.regraded",
        target=question,
        against=current.number,
        answers_regraded=report.answers,
        marks_raised=report.raised,
        marks_lowered=report.lowered,
        attempts_changed=report.attempts_changed,
        passes_changed=report.passes_changed,
        not_regraded=[
            {"version": plan.number, "answers": plan.answers, "why": plan.problem}
            for plan in report.unmappable
        ],
    )
    for attempt, (_points, percent_before, passed_before) in announce:
        announce_changed_result(
            attempt=attempt, percent_before=percent_before, passed_before=passed_before
        )
