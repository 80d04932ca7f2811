"""An organisation manager's assignments: the list with counts, making one, one with where each
person stands, moving its due date, withdrawing it. Every view is for the organisation's current
managers only (manager_required), and an assignment of another organisation reads as missing."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..access import manager_required
from ..errors import OrganisationError
from ..forms import AssignmentForm, DueDateForm, WithdrawForm


@manager_required
def assignment_list(request):
    organisation = request.organisation
    rows = selectors.assignments_with_counts(organisation=organisation)
    return render(
        request,
        "organisations/assignments/list.html",
        {
            "organisation": organisation,
            "current": [row for row in rows if row.withdrawn_at is None],
            "withdrawn": [row for row in rows if row.withdrawn_at is not None],
            "today": timezone.localdate(),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def assignment_create(request):
    organisation = request.organisation
    form = AssignmentForm(
        request.POST if request.method == "POST" else None,
        items=services.assignable_items(),
        members=selectors.members_to_choose(organisation=organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.create_assignment(
                organisation=organisation,
                by=request.user,
                item=form.cleaned_data["item"],
                audience=form.cleaned_data["audience"],
                role_tier=form.cleaned_data["role_tier"],
                people=form.chosen_people,
                due_on=form.cleaned_data["due_on"],
                new_starters_days=form.cleaned_data["new_starters_days"],
                repeat_every_months=form.repeat_every_months,
            )
        except OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Assigned “{assignment.item}” to {assignment.audience_text}."
            )
            return redirect(
                "organisations:assignment", organisation_id=organisation.pk, pk=assignment.pk
            )
    return render(
        request,
        "organisations/assignments/create.html",
        {"organisation": organisation, "form": form},
    )


@manager_required
def assignment_detail(request, pk: int):
    organisation = request.organisation
    assignment = selectors.assignment_of(organisation=organisation, pk=pk)
    people = selectors.standings(assignment=assignment)
    return render(
        request,
        "organisations/assignments/detail.html",
        {
            "organisation": organisation,
            "assignment": assignment,
            "people": people,
            "counts": {
                state: sum(1 for person in people if person.state == state)
                for state in (selectors.OVERDUE, selectors.TO_DO, selectors.MET)
            },
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def assignment_due_date(request, pk: int):
    organisation = request.organisation
    assignment = selectors.assignment_of(organisation=organisation, pk=pk)
    if assignment.withdrawn_at is not None:
        messages.info(request, "This assignment has been withdrawn, so its date stays as it was.")
        return redirect("organisations:assignment", organisation_id=organisation.pk, pk=pk)
    form = DueDateForm(
        request.POST if request.method == "POST" else None, initial={"due_on": assignment.due_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_due_date(
                assignment=assignment,
                due_on=form.cleaned_data["due_on"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except OrganisationError as error:
            form.add_error("due_on", str(error))
        else:
            messages.success(
                request,
                f"“{assignment.item}” is now due by "
                f"{date_format(form.cleaned_data['due_on'], 'j F Y')}.",
            )
            return redirect("organisations:assignment", organisation_id=organisation.pk, pk=pk)
    return render(
        request,
        "organisations/assignments/due_date.html",
        {"organisation": organisation, "assignment": assignment, "form": form},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def assignment_withdraw(request, pk: int):
    organisation = request.organisation
    assignment = selectors.assignment_of(organisation=organisation, pk=pk)
    if assignment.withdrawn_at is not None:
        messages.info(request, "This assignment was already withdrawn.")
        return redirect("organisations:assignment", organisation_id=organisation.pk, pk=pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.withdraw_assignment(
            assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            f"Withdrew “{assignment.item}”. Nobody is asked to do it now; who met it stays "
            "recorded.",
        )
        return redirect("organisations:assignments", organisation_id=organisation.pk)
    return render(
        request,
        "organisations/assignments/withdraw.html",
        {"organisation": organisation, "assignment": assignment, "form": form},
    )
