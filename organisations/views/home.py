from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from academy import selectors as people

from .. import selectors
from ..access import manager_required
from ..forms import StaffFilterForm


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
    """The organisation's home: its headline figures, then its staff, filtered and paged."""
    organisation = request.organisation
    form = StaffFilterForm(request.GET or None, teams=selectors.teams(organisation=organisation))
    form.is_valid()
    filters = form.filters()
    paginator = Paginator(
        selectors.staff(organisation=organisation, **filters), selectors.STAFF_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/organisation.html",
        {
            "organisation": organisation,
            "figures": selectors.figures(organisation=organisation),
            "form": form,
            "filtered": any(filters.values()),
            "page": page,
            "rows": selectors.staff_rows(organisation=organisation, memberships=page.object_list),
        },
    )
