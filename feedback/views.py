"""The learner's side: answering or skipping a survey offered to them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .errors import FeedbackError
from .forms import AnswerForm
from .models import SMALL_GROUP


def _own_offer(request, offer_id):
    """The signed-in person's offer with this id; anyone else's is a 404, as is a missing one."""
    offer = selectors.offer_of(user=request.user, offer_id=offer_id)
    if offer is None:
        raise Http404("No survey with this address was offered to you.")
    return offer


@login_required
def answer(request, offer_id):
    offer = _own_offer(request, offer_id)
    if offer.state != offer.State.OFFERED or not offer.survey.is_open:
        # Answered, skipped or closed: say so rather than show a form that cannot be sent.
        return render(request, "feedback/closed.html", {"offer": offer})
    questions = selectors.asked_questions(survey=offer.survey)
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(offer=offer, user=request.user, answers=form.answers())
        except FeedbackError as exc:
            messages.error(request, str(exc))
            return redirect("dashboard")
        messages.success(request, f"Thank you for telling us about {offer.survey.item_title}.")
        return redirect("dashboard")
    return render(
        request,
        "feedback/answer.html",
        {"offer": offer, "form": form, "small_group": SMALL_GROUP},
    )


@login_required
@require_POST
def skip(request, offer_id):
    offer = _own_offer(request, offer_id)
    try:
        services.skip(offer=offer, user=request.user)
    except FeedbackError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"You skipped the survey about {offer.survey.item_title}. We will not ask again.",
        )
    return redirect("dashboard")
