"""Casework quality reviews, in the admin: the candidates waiting for one, and recording a review
against the checklist. For holders of accreditation.assess_portfolios, and only of candidates
they may judge."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors, services
from ..errors import AccreditationError, DecisionIncompleteError
from .assessing import PER_PAGE, PERMISSION


def _require(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


@require_GET
def casework_list(request):
    _require(request)
    page = Paginator(selectors.casework_to_review(reviewer=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(
        request, "accreditation/admin/casework_list.html", {"rows": page.object_list, "page": page}
    )


@require_http_methods(["GET", "POST"])
def casework_review(request, candidacy_id: int, requirement_id: int):
    _require(request)
    candidacy, requirement, items, reviews = selectors.casework_for_review(
        reviewer=request.user, candidacy_id=candidacy_id, requirement_id=requirement_id
    )
    problems = []
    if request.method == "POST":
        judgements = {
            item.pk: services.Judgement(
                met={"met": True, "not_met": False}.get(request.POST.get(f"item-{item.pk}", "")),
                comment=request.POST.get(f"comment-{item.pk}", ""),
            )
            for item in items
        }
        try:
            review = services.record_casework_review(
                candidacy=candidacy,
                requirement=requirement,
                reviewer=request.user,
                case_reference=request.POST.get("case_reference", ""),
                judgements=judgements,
                summary=request.POST.get("summary", ""),
            )
        except DecisionIncompleteError as exc:
            problems = exc.problems
        except AccreditationError as exc:
            problems = [str(exc)]
        else:
            messages.success(
                request,
                f"Casework review of {review.case_reference} recorded: "
                f"{review.get_outcome_display().lower()}.",
            )
            return redirect("casework_list")
    return TemplateResponse(
        request,
        "accreditation/admin/casework_review.html",
        {
            "candidacy": candidacy,
            "candidate": selectors.candidate_label(candidacy),
            "requirement": requirement,
            "items": [
                {
                    "item": item,
                    "chosen": request.POST.get(f"item-{item.pk}", ""),
                    "comment": request.POST.get(f"comment-{item.pk}", ""),
                }
                for item in items
            ],
            "reviews": reviews,
            "problems": problems,
            "posted": request.POST,
        },
        status=400 if problems else 200,
    )
