"""A person's record as their organisation's managers see it, what managers change about them,
and a person saying they left an organisation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from academy.models import Membership

from .. import selectors, services
from ..access import manager_required
from ..errors import OrganisationError
from ..forms import LeavingForm, OwnLeavingForm, TierForm


def _member(request, user_id: int) -> Membership:
    """The person's current membership of the manager's organisation; 404 for anyone else,
    including someone who has left it."""
    membership = selectors.member(organisation=request.organisation, user_id=user_id)
    if membership is None:
        raise Http404("Nobody in this organisation has this address.")
    return membership


def _record_page(request, membership, *, tier_form=None, status=200):
    services.record_viewing(viewer=request.user, membership=membership)
    return render(
        request,
        "organisations/person.html",
        {
            "organisation": request.organisation,
            "record": selectors.person_record(membership=membership),
            "tier_form": tier_form or TierForm(initial={"role_tier": membership.role_tier}),
            "is_self": membership.user_id == request.user.pk,
        },
        status=status,
    )


@manager_required
def person(request, user_id: int):
    """Everything about the person's learning the organisation may see. Audited."""
    return _record_page(request, _member(request, user_id))


@manager_required
@require_POST
def change_tier(request, user_id: int):
    membership = _member(request, user_id)
    form = TierForm(request.POST)
    if form.is_valid():
        try:
            services.change_tier(
                membership=membership, role_tier=form.cleaned_data["role_tier"], by=request.user
            )
        except OrganisationError as error:
            form.add_error("role_tier", str(error))
        else:
            messages.success(
                request,
                f"{membership.user} is now in the tier {membership.get_role_tier_display()}.",
            )
            return redirect(
                "organisations:person",
                organisation_id=request.organisation.pk,
                user_id=membership.user_id,
            )
    return _record_page(request, membership, tier_form=form, status=400)


@manager_required
def record_leaving(request, user_id: int):
    """The confirmation step before a manager records that someone left, with the date and
    why. Managers cannot record their own leaving (404, as for anyone not theirs to act on)."""
    membership = _member(request, user_id)
    if membership.user_id == request.user.pk:
        raise Http404("You cannot record that you left: ask another manager.")
    form = LeavingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_leaving(
                membership=membership,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except OrganisationError as error:
            form.add_error("left_on", str(error))
        else:
            messages.success(
                request,
                f"Recorded that {membership.user} left {request.organisation}. They no longer "
                "show here; their learning and certificates stay theirs.",
            )
            return redirect("organisations:organisation", organisation_id=request.organisation.pk)
    return render(
        request,
        "organisations/record_leaving.html",
        {"organisation": request.organisation, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def leave(request, membership_id: int):
    """A person says they left one of their organisations (404 for anyone else's membership, or
    one already ended)."""
    membership = get_object_or_404(
        Membership.objects.current().select_related("organisation", "user"),
        pk=membership_id,
        user=request.user,
    )
    form = OwnLeavingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.leave(
                membership=membership, left_on=form.cleaned_data["left_on"], person=request.user
            )
        except OrganisationError as error:
            form.add_error("left_on", str(error))
        else:
            messages.success(
                request,
                f"You are no longer a member of {membership.organisation}. Your learning and "
                "certificates stay yours.",
            )
            return redirect("dashboard")
    return render(
        request,
        "organisations/leave.html",
        {"membership": membership, "form": form},
        status=400 if form.errors else 200,
    )
