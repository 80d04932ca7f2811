from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from academy import selectors as people

from ..access import manager_required


@login_required
def home(request):
    """Managers of one organisation go straight to it; managers of several choose."""
    organisations = list(people.managed_organisations(user=request.user))
    if not organisations:
        raise PermissionDenied("Only organisation managers have an organisation page.")
    if len(organisations) == 1:
        return redirect("organisations:organisation", organisation_id=organisations[0].pk)
    return render(request, "organisations/choose.html", {"organisations": organisations})


@manager_required
def organisation(request):
    return render(
        request, "organisations/organisation.html", {"organisation": request.organisation}
    )
