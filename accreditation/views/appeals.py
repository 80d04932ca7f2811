"""The candidate's appeal against a decision on one of their units: the form while they may
appeal, and afterwards where the appeal stands and the panel's answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..errors import AccreditationError
from ..quality_forms import AppealForm


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def appeal(request, candidacy_pk: int, decision_pk: int):
    decision = selectors.candidate_decision(
        person=request.user, candidacy_id=candidacy_pk, decision_id=decision_pk
    )
    if decision is None:
        raise Http404("No such decision.")
    state = selectors.appeal_state(decision, timezone.now())
    form = AppealForm(request.POST or None) if state.can_appeal else None
    error = ""
    status = 200
    if request.method == "POST":
        if form is None:
            error = (
                "You have already appealed this decision. Each decision can be appealed once."
                if state.appeal
                else state.problem
            )
        elif form.is_valid():
            try:
                services.lodge_appeal(
                    decision=decision, candidate=request.user, grounds=form.cleaned_data["grounds"]
                )
            except AccreditationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    "Your appeal has been sent. A panel member who had no part in the decision "
                    "will consider it, and you will be e-mailed their answer.",
                )
                return redirect("accreditation:appeal", candidacy_pk, decision_pk)
        status = 400
    work = decision.submission.work
    return render(
        request,
        "accreditation/appeal.html",
        {
            "decision": decision,
            "candidacy": work.candidacy,
            "programme": work.candidacy.programme,
            "unit": work.requirement.unit,
            "state": state,
            "form": form,
            "error": error,
            "unit_url": selectors.unit_path(work),
        },
        status=status,
    )
