"""The programmes as candidates see them: the list, one programme, enrolling, and the candidacy
dashboard with every requirement and where the candidate stands on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..errors import AccreditationError
from ..models import Programme


def programme_list(request):
    mine = selectors.my_candidacies(person=request.user) if request.user.is_authenticated else []
    return render(
        request,
        "accreditation/programme_list.html",
        {"programmes": selectors.open_programmes(), "candidacies": mine},
    )


def _programme(slug) -> Programme:
    return get_object_or_404(Programme, slug=slug)


def programme_detail(request, slug):
    programme = _programme(slug)
    version = selectors.current_version(programme)
    candidacy = None
    problem = ""
    if request.user.is_authenticated:
        candidacy = selectors.active_candidacy(person=request.user, programme=programme)
        if candidacy is None:
            problem = services.eligibility_problem(person=request.user, programme=programme)
    if version is None and candidacy is None:
        raise Http404("This programme has no published version.")
    return render(
        request,
        "accreditation/programme_detail.html",
        {
            "programme": programme,
            "version": version,
            "requirements": selectors.requirements_of(version) if version else [],
            "candidacy": candidacy,
            "problem": problem,
            "competencies": selectors.competencies_of(programme=programme),
        },
    )


@login_required
@require_POST
def enrol(request, slug):
    programme = _programme(slug)
    try:
        candidacy = services.enrol(candidate=request.user, programme=programme)
    except AccreditationError as exc:
        messages.error(request, str(exc))
        return redirect("accreditation:programme", slug=programme.slug)
    messages.success(request, f"You are enrolled on {programme}.")
    return redirect("accreditation:candidacy", pk=candidacy.pk)


@never_cache
@login_required
def candidacy_dashboard(request, pk):
    candidacy = selectors.candidacy_for(person=request.user, pk=pk)
    if candidacy is None:
        raise Http404("No such candidacy.")
    rows = selectors.requirement_rows(candidacy=candidacy)
    for_award = selectors.needed_for_award(rows)
    return render(
        request,
        "accreditation/candidacy.html",
        {
            "candidacy": candidacy,
            "programme": candidacy.programme,
            "version": candidacy.version,
            "award_rows": for_award,
            "renewal_rows": [row for row in rows if row not in for_award],
            "met": sum(row.met for row in for_award),
            "renewal": selectors.renewal_status(candidacy=candidacy),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    """Leaving the programme: a page that says what happens, then the POST."""
    candidacy = selectors.candidacy_for(person=request.user, pk=pk)
    if candidacy is None:
        raise Http404("No such candidacy.")
    if request.method == "POST":
        try:
            services.withdraw_candidacy(candidacy=candidacy, by=request.user)
        except AccreditationError as exc:
            messages.error(request, str(exc))
            return redirect("accreditation:candidacy", pk=candidacy.pk)
        messages.success(request, f"You have withdrawn from {candidacy.programme}.")
        return redirect("accreditation:programmes")
    return render(request, "accreditation/withdraw.html", {"candidacy": candidacy})
