"""Assessing portfolio units, in the admin: the queue, a submission's page (opening it, handing
it back, deciding it) and its evidence files. Every page is for holders of
accreditation.assess_portfolios, and shows an assessor only what assessable_submissions lets
them see."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academy.file_responses import private_file_response

from .. import selectors, services
from ..errors import AccreditationError, DecisionIncompleteError
from ..models import Decision, Evidence, PortfolioUnit, Programme, Submission

PERMISSION = "accreditation.assess_portfolios"
PER_PAGE = 50


def _require(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _chosen(options, value: str):
    return next((option for option in options if str(option.pk) == value), None)


@require_GET
def queue(request):
    """Submitted units, oldest first, filtered by programme, unit, how long they have waited and
    whose they are."""
    _require(request)
    programmes = list(Programme.objects.order_by("name"))
    units = list(PortfolioUnit.objects.order_by("code"))
    programme = _chosen(programmes, request.GET.get("programme", ""))
    unit = _chosen(units, request.GET.get("unit", ""))
    shows = dict(selectors.QueueShow.CHOICES)
    show = request.GET.get("show", "")
    if show not in shows:
        show = selectors.QueueShow.WAITING_AND_OPENED
    waited = request.GET.get("waiting", "")
    waiting_days = int(waited) if waited in {str(days) for days in selectors.WAITING_DAYS} else None
    page = Paginator(
        selectors.assessing_queue(
            assessor=request.user,
            show=show,
            programme_id=programme.pk if programme else None,
            unit_id=unit.pk if unit else None,
            waiting_days=waiting_days,
        ),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    chosen = {
        "programme": programme.pk if programme else "",
        "unit": unit.pk if unit else "",
        "waiting": waiting_days or "",
        "show": show,
    }
    return TemplateResponse(
        request,
        "accreditation/admin/assessing_queue.html",
        {
            "programmes": programmes,
            "programme": programme,
            "units": units,
            "unit": unit,
            "shows": selectors.QueueShow.CHOICES,
            "show": show,
            "show_label": shows[show],
            "waiting_choices": selectors.WAITING_DAYS,
            "waiting_days": waiting_days,
            "counts": selectors.queue_counts(assessor=request.user),
            "page": page,
            "rows": selectors.queue_rows(page.object_list),
            "query": urlencode({key: value for key, value in chosen.items() if value}),
        },
    )


def _judgements(request, criteria) -> dict[int, services.Judgement]:
    judgements = {}
    for criterion in criteria:
        value = request.POST.get(f"criterion-{criterion.pk}", "")
        judgements[criterion.pk] = services.Judgement(
            met={"met": True, "not_met": False}.get(value),
            comment=request.POST.get(f"comment-{criterion.pk}", ""),
        )
    return judgements


@require_http_methods(["GET", "POST"])
def submission(request, submission_id: int):
    """One submission. Before it is opened: what the queue knows and the unit's rubric, with the
    button that opens it. Once the assessor opened it: the frozen statement, the evidence, the
    unit's earlier submissions and decisions, and the decision form (or the decision made)."""
    _require(request)
    submitted = selectors.submission_to_assess(submission_id=submission_id, assessor=request.user)
    unit = submitted.work.requirement.unit
    criteria = selectors.rubric(unit)
    mine = submitted.assessor_id == request.user.pk
    deciding = mine and submitted.status == Submission.Status.IN_ASSESSMENT
    problems = []
    judgements = {}
    if request.method == "POST":
        judgements = _judgements(request, criteria)
        try:
            services.record_decision(
                submission=submitted,
                assessor=request.user,
                outcome=request.POST.get("outcome", ""),
                judgements=judgements,
                feedback=request.POST.get("feedback", ""),
                to_resubmit=request.POST.get("to_resubmit", ""),
            )
        except DecisionIncompleteError as exc:
            problems = exc.problems
        except AccreditationError as exc:
            problems = [str(exc)]
        else:
            messages.success(
                request, "The decision is recorded, and the candidate is e-mailed that it is made."
            )
            return redirect("assessing_submission", submission_id=submitted.pk)
    rows = [
        {
            "criterion": criterion,
            "number": number,
            "met": judgements[criterion.pk].met if criterion.pk in judgements else None,
            "comment": judgements[criterion.pk].comment if criterion.pk in judgements else "",
        }
        for number, criterion in enumerate(criteria, start=1)
    ]
    return TemplateResponse(
        request,
        "accreditation/admin/assessing_submission.html",
        {
            "submission": submitted,
            "candidate": selectors.candidate_label(submitted.work.candidacy),
            "programme": submitted.work.candidacy.programme,
            "unit": unit,
            "rows": rows,
            "mine": mine,
            "deciding": deciding,
            "evidence": list(submitted.evidence.all()) if mine else [],
            "earlier": selectors.earlier_submissions(submitted) if mine else [],
            "decisions": list(submitted.decisions.all()),
            "resubmissions_left": selectors.resubmissions_left_after(submitted),
            "limit": unit.resubmission_limit,
            "outcomes": Decision.Outcome.choices,
            "given": request.POST if problems else {},
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@require_POST
def open_submission(request, submission_id: int):
    _require(request)
    wanted = selectors.submission_to_open(submission_id=submission_id, assessor=request.user)
    try:
        services.open_submission(submission=wanted, assessor=request.user)
    except AccreditationError as exc:
        messages.error(request, str(exc))
        return redirect("assessing_queue")
    return redirect("assessing_submission", submission_id=wanted.pk)


@require_POST
def release_submission(request, submission_id: int):
    _require(request)
    opened = selectors.submission_to_assess(submission_id=submission_id, assessor=request.user)
    try:
        services.release_submission(
            submission=opened, assessor=request.user, reason=request.POST.get("reason", "")
        )
    except AccreditationError as exc:
        messages.error(request, str(exc))
        return redirect("assessing_submission", submission_id=opened.pk)
    messages.success(request, "The submission is back in the queue for any assessor to open.")
    return redirect("assessing_queue")


@require_GET
def evidence_file(request, submission_id: int, evidence_id: int):
    """An evidence file of a submission the assessor opened, or of one of the unit's earlier
    submissions; 404 for any other."""
    _require(request)
    opened = selectors.submission_to_assess(submission_id=submission_id, assessor=request.user)
    if opened.assessor_id != request.user.pk:
        raise Http404("No evidence found.")
    evidence = (
        Evidence.objects.filter(
            pk=evidence_id,
            submissions__work_id=opened.work_id,
            submissions__number__lte=opened.number,
        )
        .distinct()
        .first()
    )
    if evidence is None:
        raise Http404("No evidence found.")
    if not evidence.file:
        raise Http404("This file was erased with the candidate's personal data.")
    return private_file_response(
        request,
        evidence.file,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
