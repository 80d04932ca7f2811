"""A candidate's portfolio for one unit: adding and removing evidence, writing the reflective
statement, handing the unit in and withdrawing it before an assessor opens it."""

import uuid

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from academy.audit import record

from .. import uploads
from ..errors import AccreditationError, EvidenceRefusedError, WrongStateError
from ..models import Candidacy, Evidence, Requirement, Submission, UnitWork
from ..selectors import (
    UnitStatus,
    submit_problems,
    unit_state,
    word_count,
)
from .files import check_upload

# More than any unit asks for (at most 50), and a bound on what one candidate can store.
MAX_FILES_PER_UNIT = 100
STATEMENT_MAX_CHARACTERS = 50_000


def _unit_requirement(candidacy: Candidacy, requirement: Requirement) -> Requirement:
    if requirement.version_id != candidacy.version_id or requirement.kind != Requirement.Kind.UNIT:
        raise AccreditationError("This unit is not part of your programme.")
    return requirement


def _locked_work(candidacy: Candidacy, requirement: Requirement) -> UnitWork:
    """The candidate's work on the unit, made if need be, locked for this transaction: every
    change to a unit's portfolio takes this lock first, so they happen one at a time."""
    _unit_requirement(candidacy, requirement)
    UnitWork.objects.get_or_create(candidacy=candidacy, requirement=requirement)
    return UnitWork.objects.select_for_update().get(candidacy=candidacy, requirement=requirement)


def _check_changeable(candidacy: Candidacy, requirement: Requirement) -> None:
    if candidacy.status != Candidacy.Status.ACTIVE:
        raise WrongStateError(
            f"Your candidacy is {candidacy.get_status_display().lower()}, so its portfolio "
            "cannot change."
        )
    state = unit_state(candidacy, requirement)
    if state.changeable:
        return
    reasons = {
        UnitStatus.SUBMITTED: "You have handed this unit in. To change it, withdraw it first.",
        UnitStatus.BEING_ASSESSED: "An assessor is assessing this unit, so it cannot change "
        "until they have decided.",
        UnitStatus.COMPETENT: "This unit has been judged competent, so it is complete.",
        UnitStatus.NO_RESUBMISSIONS_LEFT: "This unit cannot be handed in again: every "
        "resubmission it allows has been used.",
    }
    raise WrongStateError(reasons[state.status])


def add_evidence(
    *,
    candidacy: Candidacy,
    requirement: Requirement,
    uploaded_file,
    description: str = "",
    by,
    name: str | None = None,
) -> Evidence:
    """Check, scan and keep one evidence file. `name` is the file's name as the person's
    computer sent it (the view passes it, since Django cleans the name it gives the file); a
    name, size, type or scan that fails raises EvidenceRefusedError and nothing is stored."""
    name = uploaded_file.name if name is None else name
    _check_changeable(candidacy, requirement)
    checked = check_upload(name=name, uploaded_file=uploaded_file, by=by)
    sha256 = checked.sha256
    with transaction.atomic():
        work = _locked_work(candidacy, requirement)
        _check_changeable(candidacy, requirement)
        if work.evidence.count() >= MAX_FILES_PER_UNIT:
            raise EvidenceRefusedError(
                f"{uploads.shown(name)} was not added: a unit holds at most "
                f"{MAX_FILES_PER_UNIT} files. Remove some you no longer need first."
            )
        same = work.evidence.filter(sha256=sha256).first()
        if same:
            raise EvidenceRefusedError(
                f"{uploads.shown(name)} was not added: it is the same file as "
                f"{uploads.shown(same.original_name)}, which you uploaded already."
            )
        evidence = Evidence(
            work=work,
            original_name=name,
            description=description.strip(),
            content_type=checked.content_type,
            size=uploaded_file.size,
            sha256=sha256,
            scanned=checked.scanned,
            uploaded_by=by,
        )
        # A random name in storage: the person's file name is only ever data, never a path.
        evidence.file.save(f"{uuid.uuid4().hex}{checked.extension}", uploaded_file, save=False)
        try:
            evidence.save()
            record(
                actor=by,
                action="evidence.added",
                target=evidence,
                file=name,
                sha256=sha256,
                scanned=checked.scanned,
            )
        except BaseException:
            evidence.file.storage.delete(evidence.file.name)
            raise
    return evidence


@transaction.atomic
def remove_evidence(*, evidence: Evidence, by) -> None:
    """Remove a file from the unit's portfolio, and from storage once the change is committed.
    A file handed in with a submission that is open or was assessed stays: it is part of that
    record. One handed in only with a withdrawn submission can go."""
    work = evidence.work
    candidacy = work.candidacy
    _locked_work(candidacy, work.requirement)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    _check_changeable(candidacy, work.requirement)
    handed_in = (
        evidence.submissions.exclude(status=Submission.Status.WITHDRAWN).order_by("number").first()
    )
    if handed_in:
        raise WrongStateError(
            f"{uploads.shown(evidence.original_name)} was handed in with submission "
            f"{handed_in.number}, so it stays part of that record."
        )
    stored = evidence.file.name
    storage = evidence.file.storage
    record(
        actor=by,
        action="evidence.removed",
        target=work,
        file=evidence.original_name,
        sha256=evidence.sha256,
    )
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def save_statement(
    *, candidacy: Candidacy, requirement: Requirement, statement: str, by
) -> UnitWork:
    """Keep the reflective statement as written so far."""
    if len(statement) > STATEMENT_MAX_CHARACTERS:
        raise AccreditationError(
            f"The statement is longer than {STATEMENT_MAX_CHARACTERS:,} characters. Shorten it."
        )
    work = _locked_work(candidacy, requirement)
    _check_changeable(candidacy, requirement)
    work.statement = statement.strip()
    work.statement_saved_at = timezone.now()
    work.save(update_fields=["statement", "statement_saved_at"])
    return work


@transaction.atomic
def submit_unit(*, candidacy: Candidacy, requirement: Requirement, by) -> Submission:
    """Hand the unit in for assessment: a copy of the statement and the evidence as they are
    now, frozen on a new Submission. A resubmission is allowed only after a "not yet competent"
    decision and within the unit's limit."""
    work = _locked_work(candidacy, requirement)
    state = unit_state(candidacy, requirement)
    problems = submit_problems(
        candidacy=candidacy,
        unit=requirement.unit,
        state=state,
        words=word_count(work.statement),
    )
    if problems:
        raise WrongStateError(" ".join(problems))
    number = (work.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                work=work, number=number, statement=work.statement
            )
    except IntegrityError:
        # Only reachable if something changed the unit without taking its lock.
        raise WrongStateError("You have handed this unit in already.") from None
    submission.evidence.set(work.evidence.all())
    record(
        actor=by,
        action="submission.submitted",
        target=submission,
        number=number,
        evidence=[e.sha256 for e in submission.evidence.all()],
        resubmission=state.current_decision is not None,
    )
    return submission


@transaction.atomic
def withdraw_submission(*, submission: Submission, by) -> Submission:
    """Take a submission back before an assessor opens it. The row lock decides a withdraw that
    races an assessor opening it: whichever commits first wins, and the other is refused."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != Submission.Status.SUBMITTED:
        if submission.status == Submission.Status.WITHDRAWN:
            raise WrongStateError("You have withdrawn this submission already.")
        raise WrongStateError(
            "An assessor has opened this submission, so it can no longer be withdrawn."
        )
    submission.status = Submission.Status.WITHDRAWN
    submission.withdrawn_at = timezone.now()
    submission.save(update_fields=["status", "withdrawn_at"])
    record(actor=by, action="submission.withdrawn", target=submission, number=submission.number)
    return submission
