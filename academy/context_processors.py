from django.utils.functional import SimpleLazyObject

from .selectors import header_links


def header(request):
    """`is_staff_member` and `managed_organisations` for the header's Admin and My organisation
    links: one query, asked only when a page shows the links."""
    links = SimpleLazyObject(lambda: header_links(user=request.user))
    return {
        "is_staff_member": SimpleLazyObject(lambda: links["admin"]),
        "managed_organisations": SimpleLazyObject(lambda: links["organisation"]),
    }
