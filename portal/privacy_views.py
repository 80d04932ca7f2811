"""The learner's download of their data, and the admin's page that erases a learner's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from academy import selectors as people
from academy.models import User
from certificates import selectors as certificate_selectors

from . import privacy
from .forms import ErasureForm

ERASE_PERMISSION = "academy.erase_personal_data"
# A download reads every app's records of the person: enough for anyone who wants their file,
# not enough to make it a way to load the database.
DOWNLOAD_RATE = "10/h"


@login_required
@require_GET
@ratelimit(key="user", rate=DOWNLOAD_RATE, block=True)
def my_data(request):
    """Everything the Academy holds about the person signed in, as a JSON file. There is no
    id in the address: nobody can ask for anyone else's."""
    response = HttpResponse(
        privacy.personal_data_json(user=request.user), content_type="application/json"
    )
    filename = f"phso-academy-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def erase_learner(request, user_id: int):
    """What erasing the person's data removes and keeps, with a reason to give; erases on
    POST. Staff and oneself are refused with the reason, and nothing changes."""
    if not request.user.has_perm(ERASE_PERMISSION):
        raise PermissionDenied
    person = get_object_or_404(User, pk=user_id)
    back_url = reverse("wagtailusers_users:edit", args=[person.pk])
    refusal = people.erasure_refusal(person=person, by=request.user)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            erased = privacy.erase_learner(
                user=person, by=request.user, reason=form.cleaned_data["reason"]
            )
        except privacy.PrivacyError as error:
            form.add_error(None, str(error))
        else:
            if erased:
                messages.success(
                    request,
                    f"Erased the personal data of user {person.pk}. The audit log records it.",
                )
            else:
                messages.info(request, f"User {person.pk}'s personal data was already erased.")
            return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "portal/admin/erase_learner.html",
        {
            "person": person,
            "form": form,
            "refusal": refusal,
            "already_erased": people.is_erased(person),
            "certificates": certificate_selectors.personal_data(user=person)["certificates"],
            "back_url": back_url,
        },
        status=400 if refusal and request.method == "POST" else 200,
    )
