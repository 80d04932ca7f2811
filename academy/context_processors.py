from django.utils.functional import SimpleLazyObject

from .selectors import is_staff_member


def staff(request):
    """`is_staff_member` for the header's Admin link, asked only when a page shows the link."""
    return {"is_staff_member": SimpleLazyObject(lambda: is_staff_member(request.user))}
