from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import services
from .forms import NewConfirmationLinkForm


@require_http_methods(["GET", "POST"])
def new_confirmation_link(request):
    """For someone whose link to confirm their e-mail address has expired or gone astray."""
    form = NewConfirmationLinkForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.send_new_confirmation_link(request=request, email=form.cleaned_data["email"])
        return redirect("account_email_verification_sent")
    status = 400 if form.errors else 200
    return render(request, "account/new_confirmation_link.html", {"form": form}, status=status)
