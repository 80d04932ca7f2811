"""Importing a GIFT file into a question bank, in the Wagtail admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import services
from ..formatting import plural
from ..forms import ImportGiftForm

PERMISSION = "assessments.add_question"


def import_gift_view(request):
    """Upload a GIFT file into a bank: every question is added, or none and its problems shown."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    initial = {"bank": request.GET.get("bank")} if request.GET.get("bank", "").isdigit() else {}
    form = ImportGiftForm(request.POST or None, request.FILES or None, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        bank = form.cleaned_data["bank"]
        try:
            questions = services.import_gift(
                text=form.cleaned_data["file"], bank=bank, by=request.user
            )
        except services.ImportRefused as error:
            refusal = error
        else:
            messages.success(
                request, f"Imported {plural(len(questions), 'question')} into “{bank}”."
            )
            return redirect(f"{reverse('question:index')}?bank={bank.pk}")
    return TemplateResponse(
        request,
        "assessments/admin/import_gift.html",
        {"form": form, "refusal": refusal, "back_url": reverse("questionbank:index")},
    )
