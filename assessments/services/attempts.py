"""Attempts: when one may start, starting it with its questions frozen, saving and checking
answers while it is open, and handing it in, scored exactly once (by the learner, or by the
server once its time is up)."""

import random
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format

from .. import scoring
from ..formatting import plural
from ..models import CHOICE_KINDS, MANUAL_KINDS, Adjustment, Assessment, Attempt, Response
from ..selectors import adjustment_for
from ..signals import attempt_submitted
from .answers import (
    MISMATCH,
    Answer,
    answers_from_form,
    form_question,
    machine_score,
    option_order,
    validated_answer,
)
from .errors import AssessmentError
from .slots import draw_questions
from .versions import current_versions


def attempts_left(*, user, assessment: Assessment) -> int | None:
    """Attempts the learner may still start: those allowed plus any extra attempts granted to
    them, less those made; None when unlimited."""
    if assessment.max_attempts is None:
        return None
    adjustment = adjustment_for(user=user, assessment=assessment)
    allowed = assessment.max_attempts + (adjustment.extra_attempts if adjustment else 0)
    used = Attempt.objects.filter(user=user, assessment=assessment).count()
    return max(0, allowed - used)


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
    *, assessment: Assessment, now: datetime, adjustment: Adjustment | None, made: list[Attempt]
) -> None:
    """Raise AssessmentError, with what the learner can do about it, unless a new attempt may
    start now, given the learner's adjustment (None when they have none) and the attempts they
    have made at the assessment (a handful: read once, with the learner's row locked, as
    start_attempt does)."""
    if assessment.opens_at and now < assessment.opens_at:
        raise AssessmentError(f"This assessment opens at {uk_time(assessment.opens_at)}.")
    if assessment.closes_at and now >= assessment.closes_at:
        raise AssessmentError(
            f"This assessment closed at {uk_time(assessment.closes_at)}, so no new attempts "
            "can be started."
        )
    if assessment.max_attempts is not None:
        allowed = assessment.max_attempts + (adjustment.extra_attempts if adjustment else 0)
        if len(made) >= allowed:
            raise AssessmentError("You have used all the attempts allowed for this assessment.")
    if any(attempt.status == Attempt.Status.MARKING for attempt in made):
        raise AssessmentError(
            "Your last attempt is being marked. You can start another once its result is released."
        )
    if assessment.attempt_delay_minutes:
        handed_in = [attempt.submitted_at for attempt in made if attempt.is_submitted]
        if handed_in:
            ready = max(handed_in) + timedelta(minutes=assessment.attempt_delay_minutes)
            if now < ready:
                raise AssessmentError(
                    f"You can start your next attempt at {uk_time(ready)}. There is a wait of "
                    f"{plural(assessment.attempt_delay_minutes, 'minute')} between attempts."
                )


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
    made = list(Attempt.objects.filter(user=user, assessment=assessment))
    open_attempt = next((a for a in made if a.status == Attempt.Status.IN_PROGRESS), None)
    if open_attempt and not is_overdue(open_attempt, now=now):
        return open_attempt
    if open_attempt:  # its time ran out a moment ago
        finalised = _finalise(_locked(open_attempt), late=True)
        made = [finalised if attempt.pk == finalised.pk else attempt for attempt in made]
    adjustment = adjustment_for(user=user, assessment=assessment)
    check_can_start(assessment=assessment, now=now, adjustment=adjustment, made=made)
    slots = list(
        assessment.assessment_questions.select_related("question__rubric", "question__scenario")
        .prefetch_related("question__choices")
        .order_by("sort_order")
    )
    if not slots:
        raise AssessmentError("This assessment has no questions yet.")
    given = draw_questions(slots=slots, shuffle=assessment.shuffle_questions)
    versions = current_versions(questions=[item.question for item in given])
    number = max((attempt.number for attempt in made), default=0) + 1
    attempt = Attempt.objects.create(
        user=user,
        assessment=assessment,
        number=number,
        started_at=now,
        deadline=deadline_for(assessment=assessment, started_at=now, adjustment=adjustment),
        max_points=sum(item.marks for item in given),
        question_count=len(versions),
        questions_per_page=assessment.questions_per_page or None,
    )
    responses = [
        Response(
            attempt=attempt,
            position=position,
            slot=item.slot,
            version=version,
            option_order=option_order(version, shuffle=assessment.shuffle_options),
            max_marks=item.marks,
        )
        for position, (version, item) in enumerate(zip(versions, given, strict=True), start=1)
    ]
    Response.objects.bulk_create(responses)
    return attempt


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


def save_form(*, user, attempt_id: int, positions_for, post) -> None:
    """Store what the attempt page's form posted (a QueryDict) for the questions at
    `positions_for(attempt)` (one page of the attempt, or all of it), read by answers_from_form
    and stored as save_answers stores answers. For the page's autosave, every few seconds from
    every learner taking the exam: the attempt is read once, locked and only if it is the
    user's (Attempt.DoesNotExist if not, whether or not someone else's exists), and its
    questions once under the lock."""
    _while_open(
        Attempt(pk=attempt_id),
        lambda attempt: _store_form(attempt, positions_for(attempt), post),
        user=user,
    )


def _store_form(attempt: Attempt, positions: range, post) -> None:
    responses = _responses(attempt)
    shown = sorted(
        (response for response in responses.values() if response.position in positions),
        key=lambda response: response.position,
    )
    answers = answers_from_form(post, [form_question(response) for response in shown])
    _write_answers(responses, answers)


def save_and_submit(*, attempt: Attempt, answers: dict[int, Answer]) -> Attempt:
    """The learner's submit: the answers sent with it are stored and the attempt handed in, in
    one transaction under the attempt's lock. The submit's own answers are the final ones: an
    autosave sent at the same moment either lands first and is overwritten by them, or finds the
    attempt submitted and is refused. Refused, as save_answers is, once submitted or out of
    time."""
    return _while_open(attempt, lambda open_attempt: _store_and_hand_in(open_attempt, answers))


def _store_and_hand_in(attempt: Attempt, answers: dict[int, Answer]) -> Attempt:
    _store_answers(attempt, answers)
    return _finalise(attempt, late=False)


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


def _while_open(attempt: Attempt, work, *, user=None):
    """work(the attempt, its row locked), in one transaction, while the attempt takes answers.
    After the deadline and its grace it is finalised instead, with the answers saved in time,
    and TimeUp is raised once that is committed. With `user`, only that user's attempt."""
    with transaction.atomic():
        attempt = _locked(attempt, user=user)
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
    responses = _responses(attempt)
    _write_answers(responses, answers)
    return responses


def _responses(attempt: Attempt) -> dict[int, Response]:
    """Every response of the attempt by id, with its version."""
    return {r.pk: r for r in attempt.responses.select_related("version")}


def _write_answers(responses: dict[int, Response], answers: dict[int, Answer]) -> None:
    """Validate the answers to these responses and write those that changed (updating the
    responses given)."""
    unknown = set(answers) - set(responses)
    if unknown:
        raise AssessmentError(MISMATCH)
    changed = []
    for response_id, answer in answers.items():
        response = responses[response_id]
        selected = validated_answer(response=response, answer=answer)
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
        _write_selected(changed)


def _write_selected(responses: list[Response]) -> None:
    """Write the responses' answers in one UPDATE. Plain SQL rather than bulk_update, because
    every learner in an exam comes here every few seconds and bulk_update builds and resolves an
    ORM expression per row (a CASE WHEN id = ...), about 1 ms of CPU for five answers. This is
    the same statement with a simple CASE on the id, for PostgreSQL and SQLite alike; every
    value is a parameter, each prepared by the field as the ORM would."""
    field = Response._meta.get_field("selected")
    quote = connection.ops.quote_name
    table, column, pk = quote(Response._meta.db_table), quote(field.column), quote("id")
    cases, params = [], []
    for response in responses:
        cases.append("WHEN %s THEN %s")
        params += [response.pk, field.get_db_prep_save(response.selected, connection)]
    ids = ", ".join(["%s"] * len(responses))
    params += [response.pk for response in responses]
    with connection.cursor() as cursor:
        cursor.execute(
            # The names come from the model; every value is a parameter.
            f"UPDATE {table} SET {column} = CASE {pk} {' '.join(cases)} END "  # noqa: S608
            f"WHERE {pk} IN ({ids})",
            params,
        )


def _same_answer(response: Response, selected) -> bool:
    """Whether selected is the stored answer (options chosen in another order are the same)."""
    if response.version.kind in CHOICE_KINDS:
        return set(selected) == set(response.selected)
    return selected == response.selected


def _locked(attempt: Attempt, *, user=None) -> Attempt:
    """The attempt re-read with its row locked until the transaction ends (PostgreSQL returns
    the latest committed version once the lock is granted); with `user`, only if it is theirs."""
    attempts = Attempt.objects.select_for_update(of=("self",)).select_related("assessment")
    if user is not None:
        attempts = attempts.filter(user=user)
    return attempts.get(pk=attempt.pk)


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
    """Finalise the attempt if its time is up; True when this call finalised it.

    Every request about an open attempt asks this, so an attempt with time left is told apart by
    the row already read, without a transaction or a lock: its deadline never changes after the
    start, and a submission made meanwhile is found by the locking that any change takes."""
    if not is_overdue(attempt):
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
        share = machine_score(response)
        exact.append((share, response.max_marks))
        response.score = scoring.to_decimal(share)
    Response.objects.bulk_update(responses, ["score", "marking", "second_marking"])
    attempt.submitted_at = timezone.now()
    attempt.auto_submitted = late
    if to_mark:
        attempt.status = Attempt.Status.MARKING
        attempt.save(update_fields=["status", "submitted_at", "auto_submitted"])
        return attempt
    scored = score_attempt(attempt, exact)
    return release(attempt, also=["submitted_at", "auto_submitted", *scored])


def score_attempt(attempt: Attempt, scores: list[tuple[Fraction, int]]) -> list[str]:
    """Set (not save) the attempt's points, percentage and pass from the exact score of each of
    its answers (the share of its question's marks earned) and what the question is worth, so
    rounding each answer's stored score never moves the percentage or the pass; the fields
    set."""
    total = scoring.weighted_total(scores)
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
