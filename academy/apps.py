from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AcademyConfig(AppConfig):
    # The app's own config, though this module also holds the Wagtail users app's.
    default = True
    name = "academy"
    verbose_name = "Academy people"

    def ready(self):
        from . import audit

        audit.describe_actions(
            {
                "learner_record.viewed": "Learner's record viewed",
                "learner.erased": "Learner's personal data erased",
            }
        )


class AcademyUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "academy.admin_views.AcademyUserViewSet"
