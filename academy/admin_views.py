from wagtail.users.views.users import UserViewSet

from .forms import AcademyUserCreationForm, AcademyUserEditForm


class AcademyUserViewSet(UserViewSet):
    create_template_name = "academy/admin/user_create.html"
    edit_template_name = "academy/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return AcademyUserEditForm if for_update else AcademyUserCreationForm
