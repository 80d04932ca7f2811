from wagtail import hooks

from .admin_viewsets import AccreditationViewSetGroup


@hooks.register("register_admin_viewset")
def register_programme_admin():
    return AccreditationViewSetGroup()
