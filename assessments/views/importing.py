"""Importing a GIFT or Moodle XML file into a question bank, in the Wagtail admin, and following a
large import that a Celery worker carries out."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import services
from ..formatting import plural
from ..forms import ImportGiftForm
from ..models import BankImport

PERMISSION = "assessments.add_question"


def import_gift_view(request):
    """Upload a GIFT or Moodle XML file into a bank: every question is added, or none and its
    problems shown. A small file is imported at once; a large one is queued, and the trainer is
    taken to its progress page."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    initial = {"bank": request.GET.get("bank")} if request.GET.get("bank", "").isdigit() else {}
    form = ImportGiftForm(request.POST or None, request.FILES or None, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            bank_import = services.import_file(
                bank=form.cleaned_data["bank"],
                text=form.cleaned_data["file"],
                file_name=form.file_name,
                file_format=form.file_format,
                by=request.user,
            )
        except services.ImportRefused as error:
            refusal = error
        else:
            if bank_import.status != BankImport.Status.IMPORTED:
                return redirect("bank_import", bank_import.pk)
            banks = bank_import.filled_banks
            # Categories may have put them in sub-banks: name each bank that got some.
            names = ", ".join(f"“{each}”" for each in banks)
            count = plural(bank_import.imported, "question")
            messages.success(request, f"Imported {count} into {names}.")
            return redirect(f"{reverse('question:index')}?bank={banks[0].pk}")
    return TemplateResponse(
        request,
        "assessments/admin/import_gift.html",
        {
            "form": form,
            "refusal": refusal,
            "back_url": reverse("questionbank:index"),
            "in_request_questions": settings.ACADEMY_IMPORT_IN_REQUEST_MAX_QUESTIONS,
            # Characters, counted as bytes: near enough for the sentence it goes in.
            "in_request_size": settings.ACADEMY_IMPORT_IN_REQUEST_MAX_CHARACTERS,
        },
    )


def bank_import_view(request, pk):
    """Where a queued import has got to, and at the end its result or its problems. It updates
    in place with JavaScript; without, the trainer refreshes it, or asks it to refresh itself."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    bank_import = get_object_or_404(
        BankImport.objects.select_related("bank", "requested_by").defer("text"), pk=pk
    )
    return TemplateResponse(
        request,
        "assessments/admin/bank_import.html",
        {
            "bank_import": bank_import,
            "written": services.import_progress(bank_import=bank_import),
            "unlisted": bank_import.problem_count - len(bank_import.problems),
            # Only when the trainer asks (a page without JavaScript): see static/academy/
            # bank_import.js for why it never reloads itself unasked.
            "refreshing": request.GET.get("refresh") == "on" and not bank_import.is_finished,
        },
    )
