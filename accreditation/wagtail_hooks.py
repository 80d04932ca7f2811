from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_viewsets import AccreditationViewSetGroup
from .views import assessing as assessing_views
from .views import casework as casework_views


@hooks.register("register_admin_viewset")
def register_programme_admin():
    return AccreditationViewSetGroup()


# Assessing portfolio units: the assessor's queue, a submission's page and its evidence ---------


class AssessingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(assessing_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_assessing_menu_item():
    return AssessingMenuItem(
        "Portfolio assessing", reverse("assessing_queue"), icon_name="doc-full", order=270
    )


@hooks.register("register_admin_urls")
def register_assessing_urls():
    return [
        path("assessing/", assessing_views.queue, name="assessing_queue"),
        path(
            "assessing/<int:submission_id>/",
            assessing_views.submission,
            name="assessing_submission",
        ),
        path(
            "assessing/<int:submission_id>/open/",
            assessing_views.open_submission,
            name="assessing_open",
        ),
        path(
            "assessing/<int:submission_id>/release/",
            assessing_views.release_submission,
            name="assessing_release",
        ),
        path("assessing/casework/", casework_views.casework_list, name="casework_list"),
        path(
            "assessing/casework/<int:candidacy_id>/<int:requirement_id>/",
            casework_views.casework_review,
            name="casework_review",
        ),
        path(
            "assessing/<int:submission_id>/evidence/<int:evidence_id>/",
            assessing_views.evidence_file,
            name="assessing_evidence",
        ),
    ]
