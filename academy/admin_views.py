from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.widgets.button import Button
from wagtail.users.views.users import EditView, UserViewSet

from . import audit
from .forms import AcademyUserCreationForm, AcademyUserEditForm
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
