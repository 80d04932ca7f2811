"""My CPD log: the years and their hours, the entries, adding and changing one's own, and the
downloads. Every page is the signed-in person's own log; anyone else's entry is a 404."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from academy.file_responses import private_file_response

from .. import cpd_export, selectors, services
from ..errors import CPDEntryError, EvidenceRefusedError
from ..forms import ReflectiveEntryForm
from .sent_names import SentNamesHandler

# Every year at once, in the log's address and the downloads'.
ALL_YEARS = "all"
# Enough for anyone downloading their own log; a loop asking for PDFs is refused.
DOWNLOAD_RATE = "20/m"


def _chosen_year(overview, key: str):
    """The year the address names (the current one when it names none), None for all years."""
    if key == ALL_YEARS:
        return None
    if not key:
        return overview.current
    year = overview.year(key)
    if year is None:
        raise Http404("No such year in this CPD log.")
    return year


def _log_url(key: str = "") -> str:
    url = reverse("accreditation:cpd_log")
    return f"{url}?year={key}" if key else url


@never_cache
@login_required
def cpd_log(request):
    overview = selectors.cpd_overview(user=request.user)
    year = _chosen_year(overview, request.GET.get("year", ""))
    return render(
        request,
        "accreditation/cpd/log.html",
        {
            "overview": overview,
            "year": year,
            "year_key": year.key if year else ALL_YEARS,
            "entries": list(selectors.cpd_entries(user=request.user, year=year)),
        },
    )


def _form_page(request, form, *, entry=None):
    chosen = {str(pk) for pk in form["expectations"].value() or []}
    groups = selectors.expectation_groups()
    return render(
        request,
        "accreditation/cpd/entry_form.html",
        {
            "form": form,
            "entry": entry,
            "expectation_groups": groups,
            "chosen_expectations": chosen,
            # A set of standards with a chosen expectation starts open, so the choice shows.
            "open_frameworks": {
                framework.pk
                for framework, principles in groups
                if any(str(e.pk) in chosen for _, expectations in principles for e in expectations)
            },
        },
    )


def _saved(request, entry, verb: str):
    messages.success(request, f"{verb} “{entry.activity}” in your CPD log.")
    overview = selectors.cpd_overview(user=request.user)
    year = next((y for y in overview.years if y.starts <= entry.activity_date <= y.ends), None)
    return redirect(_log_url(year.key if year else ALL_YEARS))


def _entry_fields(request, form) -> dict:
    data = form.cleaned_data
    sent = getattr(request, "sent_file_names", [])
    return {
        "activity": data["activity"],
        "activity_date": data["activity_date"],
        "hours": data["hours"],
        "learned": data["learned"],
        "expectations": list(data["expectations"]),
        "evidence": data["evidence"],
        # The name as the person's computer sent it: Django cleans the one it gives the file.
        "evidence_name": sent[0] if data["evidence"] and sent else "",
    }


def _bound(request, initial=None) -> ReflectiveEntryForm:
    form = ReflectiveEntryForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and len(getattr(request, "sent_file_names", [])) > 1:
        form.add_error("evidence", "Choose one evidence file for an activity.")
    return form


def _refused(form, exc) -> None:
    field = "evidence" if isinstance(exc, EvidenceRefusedError) else None
    form.add_error(field, str(exc))


@csrf_exempt
def cpd_add(request):
    # The file names' handler must be in place before anything reads the form, CSRF's check
    # included, so that check runs after it.
    request.upload_handlers.insert(0, SentNamesHandler(request))
    return _cpd_add(request)


@csrf_protect
@login_required
@require_http_methods(["GET", "POST"])
def _cpd_add(request):
    form = _bound(request)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.add_reflective_entry(
                learner=request.user, **_entry_fields(request, form)
            )
        except (CPDEntryError, EvidenceRefusedError) as exc:
            _refused(form, exc)
        else:
            return _saved(request, entry, "Added")
    return _form_page(request, form)


@csrf_exempt
def cpd_edit(request, pk: int):
    request.upload_handlers.insert(0, SentNamesHandler(request))
    return _cpd_edit(request, pk)


@csrf_protect
@login_required
@require_http_methods(["GET", "POST"])
def _cpd_edit(request, pk: int):
    entry = get_object_or_404(selectors.own_reflective_entries(user=request.user), pk=pk)
    initial = {
        "activity": entry.activity,
        "activity_date": entry.activity_date,
        "hours": entry.hours,
        "learned": entry.learned,
        "expectations": list(entry.expectations.values_list("pk", flat=True)),
    }
    form = _bound(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.change_reflective_entry(
                entry=entry,
                by=request.user,
                remove_evidence=form.cleaned_data["remove_evidence"],
                **_entry_fields(request, form),
            )
        except (CPDEntryError, EvidenceRefusedError) as exc:
            _refused(form, exc)
        else:
            return _saved(request, entry, "Saved")
    return _form_page(request, form, entry=entry)


@login_required
@require_GET
def cpd_evidence(request, pk: int):
    """The evidence file of the person's own entry; anyone else's is not found."""
    entry = get_object_or_404(selectors.own_reflective_entries(user=request.user), pk=pk)
    if not entry.evidence:
        raise Http404("This entry has no evidence file.")
    response = private_file_response(
        request,
        entry.evidence,
        content_type=mimetypes.guess_type(entry.evidence.name)[0] or "application/octet-stream",
        as_attachment=True,
        filename=entry.evidence_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def cpd_delete(request, pk: int):
    entry = get_object_or_404(selectors.own_reflective_entries(user=request.user), pk=pk)
    if request.method == "POST":
        services.delete_reflective_entry(entry=entry, by=request.user)
        messages.success(request, f"Deleted “{entry.activity}” from your CPD log.")
        return redirect(_log_url())
    return render(request, "accreditation/cpd/confirm_delete.html", {"entry": entry})


@login_required
@ratelimit(key="user", rate=DOWNLOAD_RATE, block=True)
def cpd_download(request, file_format: str):
    overview = selectors.cpd_overview(user=request.user)
    key = request.GET.get("year") or ALL_YEARS
    year = _chosen_year(overview, key)
    today = timezone.localdate()
    made = {"csv": cpd_export.log_csv, "pdf": cpd_export.log_pdf}[file_format](
        person=request.user,
        overview=overview,
        year=year,
        entries=selectors.cpd_entries(user=request.user, year=year),
        today=today,
    )
    content_type = "text/csv; charset=utf-8" if file_format == "csv" else "application/pdf"
    response = HttpResponse(made, content_type=content_type)
    filename = f"cpd-log-{key}-{today.isoformat()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
