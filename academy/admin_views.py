from django.db import transaction
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.views.generic import CreateView, DeleteView
from wagtail.admin.views.generic import EditView as ModelEditView
from wagtail.admin.widgets.button import Button
from wagtail.users.views.users import EditView, UserViewSet

from . import audit, signals
from .forms import AcademyUserCreationForm, AcademyUserEditForm
from .models import Membership
from .selectors import erasure_refusal, is_erased

VIEWED = "learner_record.viewed"
ERASE_PERMISSION = "academy.erase_personal_data"


class AcademyUserEditView(EditView):
    def get(self, request, *args, **kwargs):
        # Opening someone's record shows their personal data: who looked, and when, is kept
        # (issue 15, "viewing a learner's record is itself audited"). Saving is not a viewing.
        audit.record(actor=request.user, action=VIEWED, target=self.object, user=self.object.pk)
        return super().get(request, *args, **kwargs)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        user = self.request.user
        person = self.object
        if (
            user.has_perm(ERASE_PERMISSION)
            and not is_erased(person)
            and not erasure_refusal(person=person, by=user)
        ):
            # The view is the portal's (it erases every app's part): registered in
            # portal/wagtail_hooks.py.
            buttons.append(
                Button(
                    "Erase personal data",
                    url=reverse("erase_learner", args=[person.pk]),
                    icon_name="bin",
                    priority=25,
                )
            )
        return buttons


class AcademyUserViewSet(UserViewSet):
    create_template_name = "academy/admin/user_create.html"
    edit_template_name = "academy/admin/user_edit.html"
    edit_view_class = AcademyUserEditView

    def get_form_class(self, for_update=False):
        return AcademyUserEditForm if for_update else AcademyUserCreationForm


# Memberships made, changed or deleted in the admin are announced like those the services
# change, so what follows people in and out (tier assignments) follows these too, and audited.


class _AnnouncesMembership:
    audit_action = ""

    def announce(self, membership: Membership) -> None:
        audit.record(
            actor=self.request.user,
            action=self.audit_action,
            target=membership,
            organisation=membership.organisation_id,
            user=membership.user_id,
        )
        signals.membership_changed.send(sender=Membership, membership=membership)

    def save_instance(self):
        membership = super().save_instance()
        self.announce(membership)
        return membership


class MembershipCreateView(_AnnouncesMembership, CreateView):
    audit_action = "membership.created_in_admin"


class MembershipEditView(_AnnouncesMembership, ModelEditView):
    audit_action = "membership.changed_in_admin"


class MembershipDeleteView(_AnnouncesMembership, DeleteView):
    audit_action = "membership.deleted_in_admin"

    def delete_action(self):
        membership = self.object
        pk = membership.pk
        with transaction.atomic():
            super().delete_action()
            membership.pk = pk  # the log names the row that went
            self.announce(membership)
