"""The appeal panel in the admin: appeals waiting for a panel member, and deciding one (uphold
with the panel's decision, or dismiss), with reasons."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..errors import AccreditationError
from ..models import Decision, Programme
from ..quality_forms import PanelForm
from .quality import PER_PAGE, decision_row, evidence_rows, filters, require

DECIDE_APPEALS = "accreditation.decide_appeals"


def appeal_queue(request):
    """Appeals waiting for a panel member that the one asking may hear (or, with
    state=decided, every decided appeal), by programme."""
    require(request, DECIDE_APPEALS)
    chosen = filters(request, with_reason=False, with_assessor=False)
    decided = request.GET.get("state") == "decided"
    if decided:
        appeals = selectors.decided_appeals(**chosen)
    else:
        appeals = selectors.appeals_waiting(member=request.user, **chosen)
    page = Paginator(appeals, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            **decision_row(appeal.decision),
            "appeal": appeal,
            "panel_member": selectors.staff_name(appeal.panel_member)
            if appeal.panel_member
            else "",
        }
        for appeal in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "accreditation/admin/appeals/queue.html",
        {
            "rows": rows,
            "page": page,
            "decided": decided,
            "reviewed": False,
            "programmes": Programme.objects.order_by("name"),
            "assessors": None,
            "chosen": chosen,
            "query": query.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
def decide_appeal(request, appeal_id: int):
    """The appealed submission and its decisions, the candidate's grounds, and the panel's
    answer with reasons."""
    require(request, DECIDE_APPEALS)
    appeal = selectors.appeal_to_decide(appeal_id)
    if appeal is None:
        raise Http404("No such appeal.")
    record = selectors.submission_record(appeal.decision.submission_id)
    problem = selectors.may_hear(member=request.user, appeal=appeal)
    form = None
    status = 200
    if not appeal.decided_at and not problem:
        form = PanelForm(
            request.POST or None,
            criteria=selectors.unit_criteria(record.submission.work.requirement.unit_id),
            initial={"outcome": Decision.Outcome.COMPETENT},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if form.replacing:
                    services.uphold_appeal(
                        appeal=appeal,
                        member=request.user,
                        reasons=data["reasons"],
                        **form.new_decision(),
                    )
                else:
                    services.dismiss_appeal(
                        appeal=appeal, member=request.user, reasons=data["reasons"]
                    )
            except AccreditationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    "The appeal is upheld: the panel's decision is now the candidate's, and they "
                    "are e-mailed."
                    if form.replacing
                    else "The appeal is dismissed: the decision stands, and the candidate is "
                    "e-mailed.",
                )
                return redirect("accreditation_appeal_queue")
        if request.method == "POST":
            status = 400
    elif request.method == "POST":
        status = 409 if appeal.decided_at else 403
    return TemplateResponse(
        request,
        "accreditation/admin/appeals/decide.html",
        {
            "appeal": appeal,
            "record": record,
            "candidate": selectors.candidate_label(record.candidacy),
            "evidence": evidence_rows(record.evidence),
            "form": form,
            "problem": problem,
        },
        status=status,
    )
