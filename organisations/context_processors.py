from django.utils.functional import SimpleLazyObject

from academy import selectors as people


def managed(request):
    """`managed_organisations` for the header's "My organisation" link, asked only when a page
    shows the link."""
    return {
        "managed_organisations": SimpleLazyObject(
            lambda: list(people.managed_organisations(user=request.user))
        )
    }
