"""The candidate's page for one portfolio unit and what it posts to, and evidence downloads.

Every view finds the candidacy among the signed-in person's own, so someone else's unit,
evidence or submission is "not found" (404) rather than "forbidden"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academy import scanning
from academy.file_responses import private_file_response

from .. import selectors, services, uploads
from ..errors import AccreditationError
from ..forms import EvidenceForm, StatementForm
from ..models import Evidence, Submission
from ..services.files import upload_limits
from .sent_names import SentNamesHandler


def _candidacy(request, candidacy_pk):
    return get_object_or_404(
        selectors.candidacies_of(request.user).select_related("programme", "version"),
        pk=candidacy_pk,
    )


def _requirement(candidacy, requirement_pk):
    return get_object_or_404(selectors.unit_requirements(candidacy), pk=requirement_pk)


def _unit_url(candidacy, requirement, anchor=""):
    url = reverse("accreditation:unit", args=[candidacy.pk, requirement.pk])
    return f"{url}#{anchor}" if anchor else url


def _render_unit(
    request, candidacy, requirement, *, evidence_form=None, statement_form=None, error=""
):
    page = selectors.unit_page(candidacy, requirement)
    if statement_form is None:
        statement_form = StatementForm(
            initial={"statement": page.work.statement if page.work else ""}
        )
    return render(
        request,
        "accreditation/unit.html",
        {
            "candidacy": candidacy,
            "page": page,
            "state": page.state,
            "decision": page.state.current_decision,
            "appeal": (
                selectors.appeal_state(page.state.current_decision, timezone.now())
                if page.state.current_decision
                else None
            ),
            "evidence_form": evidence_form or EvidenceForm(),
            "statement_form": statement_form,
            # The form that was refused, for the page's error summary and title.
            "form": evidence_form if evidence_form is not None else statement_form,
            "error": error,
            "errors": [error] if error else [],
            "scanning": scanning.is_configured(),
        },
        status=400 if (error or evidence_form is not None or statement_form.is_bound) else 200,
    )


@never_cache
@login_required
@require_GET
def unit(request, candidacy_pk, requirement_pk):
    candidacy = _candidacy(request, candidacy_pk)
    return _render_unit(request, candidacy, _requirement(candidacy, requirement_pk))


@csrf_exempt
def upload_evidence(request, candidacy_pk, requirement_pk):
    # The handler must be in place before anything reads the form, CSRF's check included, so
    # that check runs after it (Django's "modifying upload handlers on the fly").
    request.upload_handlers.insert(0, SentNamesHandler(request))
    return _upload_evidence(request, candidacy_pk, requirement_pk)


@csrf_protect
@login_required
@require_POST
def _upload_evidence(request, candidacy_pk, requirement_pk):
    candidacy = _candidacy(request, candidacy_pk)
    requirement = _requirement(candidacy, requirement_pk)
    form = EvidenceForm(request.POST, request.FILES)
    sent = request.sent_file_names
    if len(sent) > 1:
        form.add_error("file", "Upload one file at a time.")
    for name in sent:
        try:
            uploads.check_name(name, upload_limits())
        except uploads.Refused as refusal:
            form.add_error("file", str(refusal))
    if form.is_valid():
        try:
            evidence = services.add_evidence(
                candidacy=candidacy,
                requirement=requirement,
                uploaded_file=form.cleaned_data["file"],
                name=sent[0],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except AccreditationError as refusal:
            form.add_error("file", str(refusal))
        else:
            messages.success(request, f"{uploads.shown(evidence.original_name)} was added.")
            return redirect(_unit_url(candidacy, requirement, "evidence"))
    return _render_unit(request, candidacy, requirement, evidence_form=form)


@login_required
@require_POST
def remove_evidence(request, candidacy_pk, requirement_pk, evidence_pk):
    candidacy = _candidacy(request, candidacy_pk)
    requirement = _requirement(candidacy, requirement_pk)
    evidence = get_object_or_404(
        Evidence, pk=evidence_pk, work__candidacy=candidacy, work__requirement=requirement
    )
    try:
        services.remove_evidence(evidence=evidence, by=request.user)
    except AccreditationError as refusal:
        return _render_unit(request, candidacy, requirement, error=str(refusal))
    messages.success(request, f"{uploads.shown(evidence.original_name)} was removed.")
    return redirect(_unit_url(candidacy, requirement, "evidence"))


@login_required
@require_POST
def save_statement(request, candidacy_pk, requirement_pk):
    candidacy = _candidacy(request, candidacy_pk)
    requirement = _requirement(candidacy, requirement_pk)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            work = services.save_statement(
                candidacy=candidacy,
                requirement=requirement,
                statement=form.cleaned_data["statement"],
                by=request.user,
            )
        except AccreditationError as refusal:
            form.add_error("statement", str(refusal))
        else:
            words = selectors.word_count(work.statement)
            messages.success(
                request, f"Your statement was saved: {words} word{'' if words == 1 else 's'}."
            )
            return redirect(_unit_url(candidacy, requirement, "statement"))
    return _render_unit(request, candidacy, requirement, statement_form=form)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def submit_unit(request, candidacy_pk, requirement_pk):
    """GET asks the candidate to confirm; POST hands the unit in."""
    candidacy = _candidacy(request, candidacy_pk)
    requirement = _requirement(candidacy, requirement_pk)
    error = ""
    if request.method == "POST":
        try:
            services.submit_unit(candidacy=candidacy, requirement=requirement, by=request.user)
        except AccreditationError as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                f"You handed in {requirement.unit}. You can withdraw it until an assessor "
                "opens it.",
            )
            return redirect(_unit_url(candidacy, requirement))
    page = selectors.unit_page(candidacy, requirement)
    return render(
        request,
        "accreditation/unit_submit.html",
        {
            "candidacy": candidacy,
            "page": page,
            "state": page.state,
            "error": error,
            "errors": [error] if error else [],
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def withdraw_submission(request, candidacy_pk, requirement_pk, submission_pk):
    candidacy = _candidacy(request, candidacy_pk)
    requirement = _requirement(candidacy, requirement_pk)
    submission = get_object_or_404(
        Submission, pk=submission_pk, work__candidacy=candidacy, work__requirement=requirement
    )
    try:
        services.withdraw_submission(submission=submission, by=request.user)
    except AccreditationError as refusal:
        return _render_unit(request, candidacy, requirement, error=str(refusal))
    messages.success(
        request,
        f"You withdrew submission {submission.number}. Change what you need to and hand the "
        "unit in again when it is ready.",
    )
    return redirect(_unit_url(candidacy, requirement))


@login_required
@require_GET
def evidence_file(request, evidence_pk):
    """The file itself, as a download, to those allowed to see it; anyone else is told it
    does not exist."""
    evidence = get_object_or_404(Evidence.objects.select_related("work__candidacy"), pk=evidence_pk)
    if not selectors.can_view_evidence(request.user, evidence):
        raise Http404("No such evidence.")
    if not evidence.file:
        raise Http404("This file was erased with the candidate's personal data.")
    response = private_file_response(
        request,
        evidence.file,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Never rendered in the browser, never kept in a shared cache.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
