"""Internal quality assurance in the admin: the queue of sampled decisions waiting for review,
the decisions an IQA may choose to sample, and the review of one sample (confirm, or overturn
with a new decision)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..errors import AccreditationError
from ..models import Candidacy, Decision, Programme, QualitySample
from ..quality_forms import ReviewForm

QUALITY_ASSURE = "accreditation.quality_assure"
PER_PAGE = 50


def require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def filters(request, *, with_reason: bool = True, with_assessor: bool = True) -> dict:
    """The queue's filters as chosen in its query string, each dropped when it is not valid."""
    chosen = {"programme_id": _number(request.GET.get("programme", ""))}
    if with_reason:
        reason = request.GET.get("reason", "")
        chosen["reason"] = reason if reason in QualitySample.Reason.values else ""
    if with_assessor:
        chosen["assessor_id"] = _number(request.GET.get("assessor", ""))
    return chosen


def decision_row(decision: Decision) -> dict:
    """One decision as the staff queues list it."""
    candidacy = decision.submission.work.candidacy
    return {
        "decision": decision,
        "candidate": selectors.candidate_label(candidacy),
        "programme": candidacy.programme.name,
        "unit": decision.submission.work.requirement.unit,
        "submission_number": decision.submission.number,
        "assessor": selectors.staff_name(decision.decided_by),
    }


def evidence_rows(evidence) -> list[dict]:
    """Each file with a link to the portfolio's download (which lets IQAs, panel members and
    programme managers have it), or none while that page is not part of the site."""
    rows = []
    for item in evidence:
        url = reverse("accreditation:evidence_file", kwargs={"evidence_pk": item.pk})
        rows.append({"evidence": item, "name": item.original_name, "url": url})
    return rows


def opposite(outcome: str) -> str:
    if outcome == Decision.Outcome.COMPETENT:
        return Decision.Outcome.NOT_YET_COMPETENT
    return Decision.Outcome.COMPETENT


def sample_queue(request):
    """Sampled decisions waiting for review (or, with state=reviewed, those reviewed), filtered
    by programme, reason and assessor."""
    require(request, QUALITY_ASSURE)
    chosen = filters(request)
    reviewed = request.GET.get("state") == "reviewed"
    if reviewed:
        samples = selectors.reviewed_samples(**chosen)
    else:
        samples = selectors.samples_to_review(reviewer=request.user, **chosen)
    page = Paginator(samples, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            **decision_row(sample.decision),
            "sample": sample,
            "appeal_waiting": getattr(sample, "appeal_waiting", False),
            "reviewer": selectors.staff_name(sample.reviewer) if sample.reviewer else "",
        }
        for sample in page.object_list
    ]
    return TemplateResponse(
        request,
        "accreditation/admin/quality/queue.html",
        {
            "rows": rows,
            "page": page,
            "reviewed": reviewed,
            "programmes": Programme.objects.order_by("name"),
            "assessors": selectors.assessors_with_decisions(),
            "reasons": QualitySample.Reason.choices,
            "chosen": chosen,
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def decisions_to_sample(request):
    """Assessors' decisions that still stand and were not sampled, for an IQA to choose."""
    require(request, QUALITY_ASSURE)
    chosen = filters(request, with_reason=False)
    page = Paginator(
        selectors.decisions_to_sample(reviewer=request.user, **chosen), PER_PAGE
    ).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "accreditation/admin/quality/decisions.html",
        {
            "rows": [decision_row(decision) for decision in page.object_list],
            "page": page,
            "programmes": Programme.objects.order_by("name"),
            "assessors": selectors.assessors_with_decisions(),
            "chosen": chosen,
            "query": _query_without_page(request),
        },
    )


@require_POST
def choose_sample(request, decision_id: int):
    require(request, QUALITY_ASSURE)
    decision = get_object_or_404(Decision, pk=decision_id)
    try:
        sample = services.choose_for_sample(decision=decision, reviewer=request.user)
    except AccreditationError as exc:
        messages.error(request, str(exc))
        return redirect("accreditation_iqa_decisions")
    messages.success(request, "The decision is sampled. Review it now, or later from the queue.")
    return redirect("accreditation_iqa_review", sample.pk)


@require_http_methods(["GET", "POST"])
def review_sample(request, sample_id: int):
    """The sampled submission as it was handed in, the decision and its rubric results, and the
    IQA's confirm or overturn, with reasons."""
    require(request, QUALITY_ASSURE)
    sample = selectors.sample_to_review(sample_id)
    if sample is None:
        raise Http404("No such sample.")
    record = selectors.submission_record(sample.decision.submission_id)
    criteria = selectors.unit_criteria(record.submission.work.requirement.unit_id)
    problem = selectors.may_review(reviewer=request.user, sample=sample)
    live = (
        record.current is not None
        and record.current.pk == sample.decision_id
        and not record.resubmitted
    )
    form = None
    status = 200
    if not sample.reviewed_at and not problem:
        form = ReviewForm(
            request.POST or None,
            criteria=criteria,
            initial={"outcome": opposite(sample.decision.outcome)},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if form.replacing:
                    services.overturn_decision(
                        sample=sample,
                        reviewer=request.user,
                        reasons=data["reasons"],
                        **form.new_decision(),
                    )
                else:
                    services.confirm_decision(
                        sample=sample, reviewer=request.user, reasons=data["reasons"]
                    )
            except AccreditationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _reviewed_message(form.replacing, live=live))
                return redirect("accreditation_iqa_queue")
        if request.method == "POST":
            status = 400
    elif request.method == "POST":
        status = 409 if sample.reviewed_at else 403
    return TemplateResponse(
        request,
        "accreditation/admin/quality/review.html",
        {
            "sample": sample,
            "record": record,
            "candidate": selectors.candidate_label(record.candidacy),
            "evidence": evidence_rows(record.evidence),
            "form": form,
            "problem": problem,
            "live": live,
            "appeal_waiting": selectors.appeal_waiting(sample.decision),
            "awarded": record.candidacy.status == Candidacy.Status.AWARDED,
        },
        status=status,
    )


def _reviewed_message(overturned: bool, *, live: bool) -> str:
    if not overturned:
        return "The decision is confirmed: it stands as it is."
    if live:
        return (
            "The decision is overturned: your decision is now the candidate's, and they are "
            "e-mailed that it changed."
        )
    return (
        "Your finding is recorded. The candidate's decision is unchanged: their unit has moved on."
    )
