"""A manager's invitations (list, one person, a CSV file, resend, withdraw) and the page the
invitation's link opens, which works signed out."""

from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.account.views import SignupView
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from academy.models import RoleTier

from .. import services
from ..access import manager_required
from ..errors import OrganisationError
from ..forms import InvitationSignupForm, InviteForm, UploadForm
from ..invitation_file import InvitationFileError, tier_names
from ..models import Invitation

PER_PAGE = 50


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def _counts(organisation) -> dict[str, int]:
    """How many invitations are in each state, in one query."""
    now = timezone.now()
    unanswered = Q(accepted_at__isnull=True, withdrawn_at__isnull=True)
    return Invitation.objects.filter(organisation=organisation).aggregate(
        open=Count("pk", filter=unanswered & Q(expires_at__gt=now)),
        expired=Count("pk", filter=unanswered & Q(expires_at__lte=now)),
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False, accepted_at__isnull=True)),
    )


@manager_required
def invitations(request):
    """The organisation's invitations in one state at a time (open first), newest first, a page
    of them at a time, with counts of each state."""
    organisation = request.organisation
    state = request.GET.get("state", Invitation.State.OPEN)
    if state not in Invitation.State.values:
        state = Invitation.State.OPEN
    listed = Invitation.objects.filter(organisation=organisation).select_related("invited_by")
    listed = {
        Invitation.State.OPEN: listed.open(),
        Invitation.State.EXPIRED: listed.expired(),
        Invitation.State.ACCEPTED: listed.accepted(),
        Invitation.State.WITHDRAWN: listed.withdrawn(),
    }[state].order_by("-created_at", "-pk")
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    counts = _counts(organisation)
    states = [
        {"value": value, "label": label, "count": counts[value], "current": value == state}
        for value, label in Invitation.State.choices
    ]
    return render(
        request,
        "organisations/invitations.html",
        {
            "organisation": organisation,
            "state": Invitation.State(state),
            "states": states,
            "page": page,
            "days": settings.ORGANISATION_INVITATION_DAYS,
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def invite(request):
    organisation = request.organisation
    form = InviteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            invitation, renewed = services.invite(
                organisation=organisation,
                by=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role_tier=form.cleaned_data["role_tier"],
            )
        except OrganisationError as error:
            form.add_error("email", str(error))
        else:
            if renewed:
                text = f"{invitation.email} already had an invitation: we are sending a new one."
            else:
                text = f"We are sending an invitation to {invitation.email}."
            messages.success(
                request, f"{text} It can be accepted until {_day(invitation.expires_at)}."
            )
            return redirect("organisations:invitations", organisation_id=organisation.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "organisations/invite.html",
        {"organisation": organisation, "form": form},
        status=status,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def upload(request):
    """A CSV of people to invite: all of them, or (if anything is wrong) none, with every
    problem listed by line."""
    organisation = request.organisation
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    refusal = None
    if form.is_valid():
        try:
            counts = services.invite_from_file(
                organisation=organisation, by=request.user, data=form.cleaned_data["file"]
            )
        except InvitationFileError as error:
            refusal = error
        except OrganisationError as error:
            form.add_error("file", str(error))
        else:
            text = f"We are sending {counts.total:,} invitation{'s' if counts.total != 1 else ''}"
            if counts.renewed:
                text += (
                    f": {counts.created:,} new and {counts.renewed:,} renewed for people who had "
                    "one already (their earlier links no longer work)"
                )
            messages.success(request, text + ".")
            return redirect("organisations:invitations", organisation_id=organisation.pk)
    status = 400 if (form.errors or refusal) else 200
    return render(
        request,
        "organisations/upload.html",
        {
            "organisation": organisation,
            "form": form,
            "refusal": refusal,
            "tiers": RoleTier.choices,
            "tier_names": tier_names(),
        },
        status=status,
    )


def _invitation_of(request, invitation_id: int) -> Invitation:
    """The invitation with this id if it belongs to the manager's organisation; 404 otherwise."""
    return get_object_or_404(
        Invitation.objects.select_related("organisation"),
        pk=invitation_id,
        organisation=request.organisation,
    )


def _back(request):
    url = reverse("organisations:invitations", args=[request.organisation.pk])
    state = request.POST.get("state", "")
    if state in Invitation.State.values:
        url += "?" + urlencode({"state": state})
    return redirect(url)


@manager_required
@require_POST
def resend(request, invitation_id: int):
    invitation = _invitation_of(request, invitation_id)
    try:
        invitation = services.resend_invitation(invitation=invitation, by=request.user)
    except OrganisationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"We are sending {invitation.email} a new link, good until "
            f"{_day(invitation.expires_at)}. The earlier link no longer works.",
        )
    return _back(request)


@manager_required
@require_POST
def withdraw(request, invitation_id: int):
    invitation = _invitation_of(request, invitation_id)
    try:
        services.withdraw_invitation(invitation=invitation, by=request.user)
    except OrganisationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"The invitation to {invitation.email} is withdrawn: its link no longer works."
        )
    return _back(request)


# The link in the e-mail ----------------------------------------------------------------------


def _unusable(request, *, reason: str, status: int):
    return render(
        request, "organisations/invitation_unusable.html", {"reason": reason}, status=status
    )


def _usable_or_page(request, token: str):
    """(invitation, None) for a link that can still be accepted, or (None, a page saying why
    not). An unknown link says nothing about any address or account."""
    invitation = services.find_invitation(token=token)
    if invitation is None:
        return None, _unusable(
            request,
            reason="This link does not lead to an invitation. Check that you copied the whole "
            "link from the e-mail, or ask the person who invited you to send it again.",
            status=404,
        )
    try:
        services.check_usable(invitation)
    except OrganisationError as error:
        return None, _unusable(request, reason=str(error), status=410)
    return invitation, None


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request, token: str):
    """Signed out: sign in (an account has the address) or create an account. Signed in with
    the invited address: one button joins. Signed in as someone else: nothing joins."""
    invitation, refusal = _usable_or_page(request, token)
    if refusal:
        return refusal
    context = {"invitation": invitation, "organisation": invitation.organisation}
    if not request.user.is_authenticated:
        context.update(
            has_account=services.has_account(invitation=invitation),
            login_url=reverse("account_login") + "?" + urlencode({"next": request.path}),
            signup_url=reverse("organisations:invitation_signup", args=[token]),
        )
        return render(request, "organisations/invitation_accept.html", context)
    if not services.email_matches(invitation=invitation, user=request.user):
        context["wrong_account"] = True
        return render(request, "organisations/invitation_accept.html", context, status=403)
    if request.method == "POST":
        try:
            services.accept_invitation(invitation=invitation, user=request.user)
        except OrganisationError as error:
            return _unusable(request, reason=str(error), status=410)
        messages.success(
            request,
            f"You have joined {invitation.organisation.name} as "
            f"{invitation.get_role_tier_display().lower()}.",
        )
        return redirect("dashboard")
    return render(request, "organisations/invitation_accept.html", context)


class InvitationSignupView(SignupView):
    """allauth's sign-up for an invited person with no account: the address is the invited one
    and counts as confirmed (the link reached it), so they are signed in and joined at once."""

    template_name = "organisations/invitation_signup.html"
    form_class = InvitationSignupForm

    def dispatch(self, request, *args, token: str, **kwargs):
        self.invitation, refusal = _usable_or_page(request, token)
        if refusal:
            return refusal
        if request.user.is_authenticated or services.has_account(invitation=self.invitation):
            return redirect("organisations:invitation", token=token)
        get_adapter(request).stash_verified_email(request, self.invitation.email)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "invitation": self.invitation}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "invitation": self.invitation,
            "organisation": self.invitation.organisation,
        }

    def get_success_url(self):
        return reverse("dashboard")

    def form_valid(self, form):
        """All or nothing: if the invitation was withdrawn while the form was filled in, no
        account is made either."""
        try:
            with transaction.atomic():
                response = super().form_valid(form)
        except OrganisationError as error:
            return _unusable(self.request, reason=str(error), status=410)
        messages.success(
            self.request,
            f"You have joined {self.invitation.organisation.name} as "
            f"{self.invitation.get_role_tier_display().lower()}.",
        )
        return response


invitation_signup = InvitationSignupView.as_view()
