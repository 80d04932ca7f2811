"""Who may see an organisation's pages: its current managers, and nobody else.

Every manager view takes the organisation's id from its URL and asks `managed_organisation`
first, so a manager who changes the id in the address gets the same 404 as for an organisation
that does not exist (tests/organisations/test_access.py walks every URL with an id)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from academy import selectors as people


def managed_organisation(*, user, organisation_id: int):
    """The organisation with this id if `user` currently manages it; 404 otherwise."""
    organisation = people.managed_organisations(user=user).filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404("No organisation you manage has this address.")
    return organisation


def manager_required(view):
    """Signs people in, then gives the view `request.organisation`: the organisation named by
    the URL's `organisation_id`, which the person must currently manage (404 otherwise)."""

    @login_required
    @wraps(view)
    def wrapped(request, organisation_id, *args, **kwargs):
        request.organisation = managed_organisation(
            user=request.user, organisation_id=organisation_id
        )
        return view(request, *args, **kwargs)

    return wrapped
