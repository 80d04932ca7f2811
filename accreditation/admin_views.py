"""Admin pages for running programmes: publishing a version, starting the next one, enrolling
a candidate. The version and candidacy viewsets name these URLs (wagtail_hooks)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from academy import selectors as people

from . import services
from .admin_forms import EnrolCandidateForm
from .errors import AccreditationError
from .models import Programme, ProgrammeVersion

MANAGE = "accreditation.manage_programmes"


def _require_manager(request) -> None:
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied


def _confirm(request, *, title, subtitle, text, button):
    return TemplateResponse(
        request,
        "accreditation/admin/confirm.html",
        {"title": title, "subtitle": subtitle, "text": text, "button": button},
    )


@require_http_methods(["GET", "POST"])
def publish_version(request, pk):
    _require_manager(request)
    version = get_object_or_404(ProgrammeVersion.objects.select_related("programme"), pk=pk)
    if request.method == "GET":
        return _confirm(
            request,
            title="Publish this version",
            subtitle=str(version),
            text="New candidates will enrol on this version. Once published it cannot change: "
            "candidates already enrolled stay on the version they joined, and the version "
            "published now is retired.",
            button="Publish",
        )
    try:
        services.publish_version(version=version, by=request.user)
    except AccreditationError as exc:
        messages.error(request, str(exc))
        return redirect("accreditation_version:edit", pk)
    messages.success(
        request,
        f"Version {version.number} of {version.programme} is published: new candidates enrol "
        "on it, and candidates already enrolled stay on the version they enrolled on.",
    )
    return redirect("accreditation_version:inspect", pk)


@require_http_methods(["GET", "POST"])
def start_version(request, programme_pk):
    _require_manager(request)
    programme = get_object_or_404(Programme, pk=programme_pk)
    if request.method == "GET":
        return _confirm(
            request,
            title="Start a new version",
            subtitle=str(programme),
            text="The new version starts as a draft with the settings and requirements of the "
            "latest version. Nobody enrols on it until you publish it.",
            button="Start a new version",
        )
    version = services.start_version(programme=programme, by=request.user)
    messages.success(
        request,
        f"Version {version.number} of {programme} is a draft, with the requirements of the "
        "version before it. Change what you need, then publish it.",
    )
    return redirect("accreditation_version:edit", version.pk)


@require_http_methods(["GET", "POST"])
def enrol_candidate(request, programme_pk):
    _require_manager(request)
    programme = get_object_or_404(Programme, pk=programme_pk)
    form = EnrolCandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = people.users_with_email(email=form.cleaned_data["email"]).first()
        if person is None:
            form.add_error("email", "Nobody has an Academy account with this e-mail address.")
        else:
            try:
                candidacy = services.enrol(
                    candidate=person, programme=programme, enrolled_by=request.user
                )
            except AccreditationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"{person} is enrolled on {programme}, version {candidacy.version.number}.",
                )
                return redirect("accreditation_candidacy:index")
    return TemplateResponse(
        request,
        "accreditation/admin/enrol_candidate.html",
        {"programme": programme, "form": form},
    )
