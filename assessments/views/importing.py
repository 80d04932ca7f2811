"""Importing a GIFT or Moodle XML file into a question bank, in the Wagtail admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import services
from ..formatting import plural
from ..forms import MOODLE_XML, ImportGiftForm

PERMISSION = "assessments.add_question"


def import_gift_view(request):
    """Upload a GIFT or Moodle XML file into a bank: every question is added, or none and each
    problem shown."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    initial = {"bank": request.GET.get("bank")} if request.GET.get("bank", "").isdigit() else {}
    form = ImportGiftForm(request.POST or None, request.FILES or None, initial=initial)
    problems = []
    if request.method == "POST" and form.is_valid():
        bank = form.cleaned_data["bank"]
        upload = form.cleaned_data["file"]
        try:
            if form.file_format == MOODLE_XML:
                questions = services.import_moodle_xml(data=upload, bank=bank, by=request.user)
            else:
                questions = services.import_gift(text=upload, bank=bank, by=request.user)
        except services.ImportRefused as error:
            problems = error.problems
        else:
            # $CATEGORY lines may have put them in sub-banks: name each bank that got some.
            banks = list(dict.fromkeys(question.bank for question in questions))
            names = ", ".join(f"“{each}”" for each in banks)
            count = plural(len(questions), "question")
            messages.success(request, f"Imported {count} into {names}.")
            return redirect(f"{reverse('question:index')}?bank={banks[0].pk}")
    return TemplateResponse(
        request,
        "assessments/admin/import_gift.html",
        {"form": form, "problems": problems, "back_url": reverse("questionbank:index")},
    )
