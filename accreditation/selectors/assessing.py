"""The assessor's side: the queue, a submission to assess, the rubric and the resubmission
history, with names hidden under anonymous assessment."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from academy import selectors as people

from ..models import (
    Candidacy,
    Decision,
    PortfolioUnit,
    RubricCriterion,
    Submission,
    UnitWork,
)

# Assessing portfolio units ----------------------------------------------------------------------

# The queue's "waiting more than" choices, in days.
WAITING_DAYS = (7, 14, 28)


class QueueShow:
    """Which of an assessor's submissions the queue lists."""

    WAITING_AND_OPENED = ""
    WAITING = "waiting"
    OPENED = "opened"
    DECIDED = "decided"
    CHOICES = (
        (WAITING_AND_OPENED, "Waiting, and opened by you"),
        (WAITING, "Waiting for an assessor"),
        (OPENED, "Opened by you"),
        (DECIDED, "Decided by you"),
    )


def _resubmissions_left(limit: int, earlier: int) -> int:
    """Resubmissions still allowed once a submission is judged not yet competent, when
    `earlier` submissions (withdrawn ones apart) came before it: every submission but the first
    is a resubmission, so that many have been used."""
    return max(0, limit - earlier)


def resubmissions_left(work: UnitWork) -> int:
    """How many more times the candidate may resubmit this unit after a 'not yet competent'
    decision: the unit's limit less the resubmissions made so far (a withdrawn submission uses
    none). One query, given the work with its requirement's unit (select_related)."""
    made = work.submissions.exclude(status=Submission.Status.WITHDRAWN).count()
    return _resubmissions_left(work.requirement.unit.resubmission_limit, max(0, made - 1))


def assessable_submissions(*, assessor) -> QuerySet:
    """Every submission the assessor may see: those waiting for an assessor and those the
    assessor opened, never one by someone too close to them (academy's conflict-of-interest
    rule, applied in the database)."""
    return Submission.objects.filter(
        Q(status=Submission.Status.SUBMITTED)
        | Q(
            assessor_id=assessor.pk,
            status__in=[Submission.Status.IN_ASSESSMENT, Submission.Status.DECIDED],
        )
    ).exclude(work__candidacy__candidate__in=people.people_too_close_to_judge(judge=assessor))


def _with_queue_counts(submissions: QuerySet) -> QuerySet:
    """Each submission with `earlier` (the unit's submissions before it, withdrawn ones apart),
    `evidence_count` and `outcome` (of its latest decision, or None), by subqueries."""
    earlier = (
        Submission.objects.filter(work=OuterRef("work"), number__lt=OuterRef("number"))
        .exclude(status=Submission.Status.WITHDRAWN)
        .order_by()
        .values("work")
        .annotate(n=Count("pk"))
        .values("n")
    )
    files = (
        Submission.evidence.through.objects.filter(submission=OuterRef("pk"))
        .order_by()
        .values("submission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    latest = Decision.objects.filter(submission=OuterRef("pk")).order_by("-decided_at", "-pk")
    return submissions.annotate(
        earlier=Coalesce(Subquery(earlier, output_field=IntegerField()), 0),
        evidence_count=Coalesce(Subquery(files, output_field=IntegerField()), 0),
        outcome=Subquery(latest.values("outcome")[:1]),
    )


def assessing_queue(
    *,
    assessor,
    show: str = QueueShow.WAITING_AND_OPENED,
    programme_id: int | None = None,
    unit_id: int | None = None,
    waiting_days: int | None = None,
) -> QuerySet:
    """The assessor's queue, oldest submission first: by default what waits for an assessor and
    what they opened and have not yet decided."""
    submissions = assessable_submissions(assessor=assessor)
    if show == QueueShow.WAITING:
        submissions = submissions.filter(status=Submission.Status.SUBMITTED)
    elif show == QueueShow.OPENED:
        submissions = submissions.filter(status=Submission.Status.IN_ASSESSMENT)
    elif show == QueueShow.DECIDED:
        submissions = submissions.filter(status=Submission.Status.DECIDED)
    else:
        submissions = submissions.exclude(status=Submission.Status.DECIDED)
    if programme_id:
        submissions = submissions.filter(work__candidacy__programme_id=programme_id)
    if unit_id:
        submissions = submissions.filter(work__requirement__unit_id=unit_id)
    if waiting_days:
        cutoff = timezone.now() - timedelta(days=waiting_days)
        submissions = submissions.filter(submitted_at__lte=cutoff)
    return _with_queue_counts(
        submissions.select_related(
            "work__candidacy__candidate",
            "work__candidacy__programme",
            "work__requirement__unit",
            "assessor",
        )
    ).order_by("submitted_at", "pk")


def queue_counts(*, assessor) -> dict[str, int]:
    """How many submissions wait for an assessor, and how many the assessor has open and has
    decided, as the queue's views are named (QueueShow). One query."""
    counts = assessable_submissions(assessor=assessor).aggregate(
        waiting=Count("pk", filter=Q(status=Submission.Status.SUBMITTED)),
        opened=Count("pk", filter=Q(status=Submission.Status.IN_ASSESSMENT)),
        decided=Count("pk", filter=Q(status=Submission.Status.DECIDED)),
    )
    return {
        QueueShow.WAITING: counts["waiting"],
        QueueShow.OPENED: counts["opened"],
        QueueShow.DECIDED: counts["decided"],
    }


def candidate_label(candidacy: Candidacy) -> str:
    """The candidate as staff see them: under anonymous assessment only the candidacy's
    reference, never a name or an e-mail address; otherwise the name with the reference."""
    if candidacy.programme.anonymous_assessment:
        return candidacy.reference
    person = candidacy.candidate
    return f"{person.get_full_name() or person.email} ({candidacy.reference})"


@dataclass(frozen=True)
class QueueRow:
    """One submission in the queue as the assessor reads it."""

    submission_id: int
    candidate: str
    programme: str
    unit: str
    number: int
    submitted_at: datetime
    waiting_days: int
    status: str
    status_label: str
    opened_at: datetime | None
    evidence_count: int
    outcome: str
    outcome_label: str
    # Resubmissions the candidate has left if this submission is judged not yet competent.
    resubmissions_left: int


def queue_rows(submissions) -> list[QueueRow]:
    """One page of assessing_queue, names hidden under anonymous assessment."""
    now = timezone.now()
    outcomes = dict(Decision.Outcome.choices)
    return [
        QueueRow(
            submission_id=s.pk,
            candidate=candidate_label(s.work.candidacy),
            programme=s.work.candidacy.programme.name,
            unit=str(s.work.requirement.unit),
            number=s.number,
            submitted_at=s.submitted_at,
            waiting_days=(now - s.submitted_at).days,
            status=s.status,
            status_label=s.get_status_display(),
            opened_at=s.opened_at,
            evidence_count=s.evidence_count,
            outcome=s.outcome or "",
            outcome_label=outcomes.get(s.outcome, ""),
            resubmissions_left=_resubmissions_left(
                s.work.requirement.unit.resubmission_limit, s.earlier
            ),
        )
        for s in submissions
    ]


def submission_to_assess(*, submission_id: int, assessor) -> Submission:
    """A submission the assessor may see (assessable_submissions), with what its page shows,
    or 404: the same answer for one that does not exist, one another assessor opened and one by
    someone too close to the assessor."""
    try:
        return (
            assessable_submissions(assessor=assessor)
            .select_related(
                "work__candidacy__candidate",
                "work__candidacy__programme",
                "work__requirement__unit",
                "assessor",
            )
            .prefetch_related(
                "evidence",
                Prefetch("decisions", queryset=Decision.objects.select_related("decided_by")),
            )
            .get(pk=submission_id)
        )
    except Submission.DoesNotExist:
        raise Http404("No submission to assess found.") from None


def submission_to_open(*, submission_id: int, assessor) -> Submission:
    """A submission the assessor may try to open, in whatever state (opening says if another
    assessor was first), or 404 for one that does not exist or is by someone too close to
    them."""
    try:
        return Submission.objects.exclude(
            work__candidacy__candidate__in=people.people_too_close_to_judge(judge=assessor)
        ).get(pk=submission_id)
    except Submission.DoesNotExist:
        raise Http404("No submission to assess found.") from None


def resubmissions_left_after(submission: Submission) -> int:
    """Resubmissions the candidate has left once this submission is judged not yet competent.
    One query, given the submission with its work's requirement's unit (select_related)."""
    earlier = (
        Submission.objects.filter(work_id=submission.work_id, number__lt=submission.number)
        .exclude(status=Submission.Status.WITHDRAWN)
        .count()
    )
    return _resubmissions_left(submission.work.requirement.unit.resubmission_limit, earlier)


def rubric(unit: PortfolioUnit) -> list[RubricCriterion]:
    """The unit's criteria in order, each with its competency."""
    return list(unit.criteria.select_related("competency").order_by("sort_order", "pk"))


def earlier_submissions(submission: Submission) -> list[Submission]:
    """The unit's submissions before this one, first first, each with its evidence and its
    decisions (and who made them): what the assessor reads as the resubmission history."""
    return list(
        Submission.objects.filter(work_id=submission.work_id, number__lt=submission.number)
        .prefetch_related(
            "evidence",
            Prefetch("decisions", queryset=Decision.objects.select_related("decided_by")),
        )
        .order_by("number")
    )
