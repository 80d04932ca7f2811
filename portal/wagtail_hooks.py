from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import national, national_views, privacy_views, report_views


class PermissionMenuItem(MenuItem):
    """A menu item shown to those who hold its permission."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_reports_menu_item")
def register_accreditation_report_menu_item():
    return PermissionMenuItem(
        "Accreditation",
        reverse("accreditation_report"),
        icon_name="tasks",
        order=960,
        permission=report_views.PERMISSION,
    )


@hooks.register("register_reports_menu_item")
def register_national_figures_menu_item():
    return PermissionMenuItem(
        "National figures",
        reverse("national_figures"),
        icon_name="table",
        order=970,
        permission=national.PERMISSION,
    )


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        # Under the users' own pages, where the button to it is (academy.admin_views).
        path("users/<int:user_id>/erase/", privacy_views.erase_learner, name="erase_learner"),
        path(
            "reports/accreditation/", report_views.accreditation_report, name="accreditation_report"
        ),
        path(
            "reports/accreditation.csv",
            report_views.accreditation_report_csv,
            name="accreditation_report_csv",
        ),
        path("reports/national/", national_views.national_view, name="national_figures"),
        path("reports/national.csv", national_views.national_csv, name="national_figures_csv"),
        path("reports/national.xlsx", national_views.national_xlsx, name="national_figures_xlsx"),
    ]
