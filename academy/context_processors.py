from django.utils.functional import SimpleLazyObject

from . import auth_backends, page_cache
from .selectors import header_links


def header_links_kept(user_id) -> tuple[str, tuple[str, ...]]:
    """Where a person's header links are remembered: until someone's roles change
    (page_cache.ROLES) or the person's own row does (their flags: active, superuser)."""
    return f"header-links:{user_id}", (page_cache.ROLES, auth_backends.scope(user_id))


def header(request):
    """`is_staff_member` and `managed_organisations` for the header's Admin and My organisation
    links, asked only when a page shows the links. Every signed-in page shows them, so they are
    remembered per person (`header_links_kept`)."""
    user = request.user

    def links():
        if not user.is_authenticated:
            return header_links(user=user)
        return page_cache.remembered(*header_links_kept(user.pk), lambda: header_links(user=user))

    found = SimpleLazyObject(links)
    return {
        "is_staff_member": SimpleLazyObject(lambda: found["admin"]),
        "managed_organisations": SimpleLazyObject(lambda: found["organisation"]),
    }
