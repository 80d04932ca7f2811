from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AcademyConfig(AppConfig):
    name = "academy"
    verbose_name = "Academy people"


class AcademyUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "academy.admin_views.AcademyUserViewSet"
