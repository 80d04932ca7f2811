from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_viewsets import AccreditationViewSetGroup
from .views import assessing as assessing_views
from .views import casework as casework_views
from .views import external as external_views
from .views import panel as panel_views
from .views import quality as quality_views


@hooks.register("register_admin_viewset")
def register_programme_admin():
    return AccreditationViewSetGroup()


# Assessing portfolio units: the assessor's queue, a submission's page and its evidence ---------


class PermissionMenuItem(MenuItem):
    """A menu item shown only to those holding its permission."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_assessing_menu_item():
    return PermissionMenuItem(
        "Portfolio assessing",
        reverse("assessing_queue"),
        icon_name="doc-full",
        order=270,
        permission=assessing_views.PERMISSION,
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


# Quality assurance and appeals ------------------------------------------------------------------
# The IQA's samples, the EQA's read-only view of them, and the appeal panel's queue: admin pages
# of their own, each shown in the menu only to those with its permission.


@hooks.register("register_admin_urls")
def register_quality_urls():
    return [
        path("accreditation/quality/", quality_views.sample_queue, name="accreditation_iqa_queue"),
        path(
            "accreditation/quality/decisions/",
            quality_views.decisions_to_sample,
            name="accreditation_iqa_decisions",
        ),
        path(
            "accreditation/quality/decisions/<int:decision_id>/sample/",
            quality_views.choose_sample,
            name="accreditation_iqa_choose",
        ),
        path(
            "accreditation/quality/samples/<int:sample_id>/",
            quality_views.review_sample,
            name="accreditation_iqa_review",
        ),
        path(
            "accreditation/external/",
            external_views.external_samples,
            name="accreditation_eqa_samples",
        ),
        path(
            "accreditation/external/<int:sample_id>/",
            external_views.external_sample,
            name="accreditation_eqa_sample",
        ),
        path(
            "accreditation/external/<int:sample_id>/evidence/<int:evidence_id>/",
            external_views.external_evidence,
            name="accreditation_eqa_evidence",
        ),
        path("accreditation/appeals/", panel_views.appeal_queue, name="accreditation_appeal_queue"),
        path(
            "accreditation/appeals/<int:appeal_id>/",
            panel_views.decide_appeal,
            name="accreditation_appeal_decide",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_quality_menu_item():
    return PermissionMenuItem(
        "Quality assurance",
        reverse("accreditation_iqa_queue"),
        icon_name="check",
        order=275,
        permission=quality_views.QUALITY_ASSURE,
    )


@hooks.register("register_admin_menu_item")
def register_external_menu_item():
    return PermissionMenuItem(
        "External quality assurance",
        reverse("accreditation_eqa_samples"),
        icon_name="view",
        order=276,
        permission=external_views.EXTERNAL_QUALITY_ASSURE,
    )


@hooks.register("register_admin_menu_item")
def register_appeals_menu_item():
    return PermissionMenuItem(
        "Appeals",
        reverse("accreditation_appeal_queue"),
        icon_name="help",
        order=277,
        permission=panel_views.DECIDE_APPEALS,
    )
