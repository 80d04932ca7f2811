from wagtail import hooks

from .admin_viewsets import FeedbackViewSetGroup


@hooks.register("register_admin_viewset")
def register_feedback_admin():
    return FeedbackViewSetGroup()
