from wagtail import hooks

from .choosers import question_chooser_viewset


@hooks.register("register_admin_viewset")
def register_question_chooser():
    """The question chooser of the lesson's knowledge check block."""
    return question_chooser_viewset
