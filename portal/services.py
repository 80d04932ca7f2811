"""The staff groups and the permissions they hold in every app."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from academy import services as people

# Defining and running accreditation programmes: programme managers and Academy administrators.
PROGRAMME_MANAGEMENT = [
    "accreditation.manage_programmes",
    "accreditation.decide_appeals",
    *(
        f"accreditation.{verb}_{model}"
        for model in (
            "programme",
            "programmeversion",
            "portfoliounit",
            "caseworkchecklist",
            "competency",
        )
        for verb in ("add", "change", "view")
    ),
    "accreditation.view_candidacy",
    "complaint_standards.view_expectation",
    "assessments.view_assessment",
]

# Setting learner feedback surveys and reading their (anonymous) results: trainers and Academy
# administrators. Nobody is given deleting: a survey with answers keeps them.
FEEDBACK = [
    "feedback.add_survey",
    "feedback.change_survey",
    "feedback.view_survey",
    "feedback.view_results",
]

# Running webinar sessions (adding, changing, moving, cancelling them and seeing who registered):
# trainers and Academy administrators. Nobody deletes one: it is cancelled instead.
WEBINAR_SESSIONS = [
    "courses.add_webinarsession",
    "courses.change_webinarsession",
    "courses.view_webinarsession",
]

# Webinar recordings (adding, changing, publishing and unpublishing them): trainers and Academy
# administrators. Nobody deletes one: it is unpublished instead, keeping who was told and who
# watched.
WEBINAR_RECORDINGS = [
    "courses.add_webinarrecording",
    "courses.change_webinarrecording",
    "courses.view_webinarrecording",
]

# Model permissions (app_label.codename) each staff group holds, across every app. Trainers'
# page permissions on the course catalogue are granted by ensure_staff_groups below.
GROUP_PERMISSIONS = {
    people.TRAINERS: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "complaint_standards.view_framework",
        "complaint_standards.view_principle",
        "complaint_standards.view_expectation",
        "assessments.add_questionbank",
        "assessments.change_questionbank",
        "assessments.view_questionbank",
        "assessments.add_question",
        "assessments.change_question",
        "assessments.view_question",
        "assessments.add_assessment",
        "assessments.change_assessment",
        "assessments.view_assessment",
        "assessments.add_rubric",
        "assessments.change_rubric",
        "assessments.view_rubric",
        "assessments.add_scenario",
        "assessments.change_scenario",
        "assessments.view_scenario",
        *FEEDBACK,
        *WEBINAR_SESSIONS,
        *WEBINAR_RECORDINGS,
    ],
    people.ASSESSORS: [
        "wagtailadmin.access_admin",
        "assessments.view_assessment",
        "assessments.view_question",
        "assessments.view_rubric",
        # Marking essays, second marking, moderation and releasing held results.
        "assessments.mark_response",
        "assessments.moderate_marks",
        "assessments.release_results",
        # Reasonable adjustments (extra time, extra attempts), through grant_adjustment.
        "assessments.add_adjustment",
        "assessments.change_adjustment",
        "assessments.view_adjustment",
        "accreditation.assess_portfolios",
    ],
    people.PROGRAMME_MANAGERS: ["wagtailadmin.access_admin", *PROGRAMME_MANAGEMENT],
    people.INTERNAL_QUALITY_ASSURERS: [
        "wagtailadmin.access_admin",
        "accreditation.quality_assure",
        "accreditation.decide_appeals",
    ],
    people.EXTERNAL_QUALITY_ASSURERS: [
        "wagtailadmin.access_admin",
        "accreditation.external_quality_assure",
    ],
    people.ANALYSTS: ["wagtailadmin.access_admin", "organisations.view_national_figures"],
    people.ADMINISTRATORS: [
        "wagtailadmin.access_admin",
        "organisations.view_national_figures",
        *PROGRAMME_MANAGEMENT,
        "academy.add_user",
        "academy.change_user",
        "academy.view_user",
        "academy.erase_personal_data",
        "academy.add_organisation",
        "academy.change_organisation",
        "academy.view_organisation",
        "academy.add_membership",
        "academy.change_membership",
        "academy.delete_membership",
        "academy.view_membership",
        "academy.view_auditentry",
        "complaint_standards.add_framework",
        "complaint_standards.change_framework",
        "complaint_standards.view_framework",
        "complaint_standards.add_principle",
        "complaint_standards.change_principle",
        "complaint_standards.view_principle",
        "complaint_standards.add_expectation",
        "complaint_standards.change_expectation",
        "complaint_standards.view_expectation",
        "assessments.view_assessment",
        "assessments.view_questionbank",
        "assessments.view_question",
        "assessments.add_adjustment",
        "assessments.change_adjustment",
        "assessments.view_adjustment",
        *FEEDBACK,
        *WEBINAR_SESSIONS,
        *WEBINAR_RECORDINGS,
        "certificates.view_certificate",
        "certificates.add_certificate",
        "certificates.view_award",
        "certificates.change_award",
        "certificates.manage_certificate",
        "certificates.add_certificatedesign",
        "certificates.change_certificatedesign",
        "certificates.delete_certificatedesign",
        "certificates.view_certificatedesign",
        # Logos and signatures for certificate designs.
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
    ],
}


@transaction.atomic
def ensure_staff_groups(*, catalogue=None) -> dict[str, Group]:
    """Create the staff groups with exactly their permissions; safe to run again.

    Trainers also get page permissions on the course catalogue (add, edit, publish), and Academy
    administrators on the home page above it, so on the information pages (accessibility
    statement, privacy notice, ...) as well. Image and document permissions in a group's list
    apply to every collection.
    """
    groups = {}
    for name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
        groups[name] = group
    if catalogue is not None:
        editors = {people.TRAINERS: catalogue, people.ADMINISTRATORS: catalogue.get_parent()}
        for name, page in editors.items():
            for codename in ("add_page", "change_page", "publish_page"):
                GroupPagePermission.objects.get_or_create(
                    group=groups[name],
                    page=page,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=codename
                    ),
                )
    root = Collection.get_first_root_node()
    for name, perms in GROUP_PERMISSIONS.items():
        for dotted in perms:
            app_label, codename = dotted.split(".")
            if app_label in {"wagtailimages", "wagtaildocs"}:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=root,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=codename
                    ),
                )
    return groups
