from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Expectation, Framework, Principle


class FrameworkViewSet(ModelViewSet):
    model = Framework
    icon = "doc-full"
    list_display = ["name", "version", "sector"]
    search_fields = ["name"]


class PrincipleViewSet(ModelViewSet):
    model = Principle
    icon = "list-ol"
    list_display = ["__str__", "framework"]
    list_filter = ["framework"]


class ExpectationViewSet(ModelViewSet):
    model = Expectation
    icon = "tick-inverse"
    list_display = ["code", "text", "principle"]
    list_filter = ["principle__framework"]
    search_fields = ["text"]
    form_fields = ["principle", "number", "text"]


class ComplaintStandardsGroup(ViewSetGroup):
    menu_label = "Complaint Standards"
    menu_icon = "doc-full"
    menu_order = 300
    items = (FrameworkViewSet, PrincipleViewSet, ExpectationViewSet)


@hooks.register("register_admin_viewset")
def register_standards():
    return ComplaintStandardsGroup()
