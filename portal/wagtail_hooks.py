from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import privacy_views, report_views


class AccreditationReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(report_views.PERMISSION)


@hooks.register("register_reports_menu_item")
def register_accreditation_report_menu_item():
    return AccreditationReportMenuItem(
        "Accreditation", reverse("accreditation_report"), icon_name="tasks", order=960
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
    ]
