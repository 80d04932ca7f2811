from django.utils.functional import SimpleLazyObject

from . import page_cache
from .selectors import header_links


def header(request):
    """`is_staff_member` and `managed_organisations` for the header's Admin and My organisation
    links, asked only when a page shows the links. Every signed-in page shows them, so they are
    remembered per person until someone's roles change (page_cache.ROLES); the key holds the
    user's own flags, which change without touching any role."""
    user = request.user

    def links():
        if not user.is_authenticated:
            return header_links(user=user)
        key = f"header-links:{user.pk}:{user.is_active:d}{user.is_superuser:d}"
        return page_cache.remembered(key, page_cache.ROLES, lambda: header_links(user=user))

    found = SimpleLazyObject(links)
    return {
        "is_staff_member": SimpleLazyObject(lambda: found["admin"]),
        "managed_organisations": SimpleLazyObject(lambda: found["organisation"]),
    }
