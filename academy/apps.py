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
                "membership.created_in_admin": "Membership added in the admin",
                "membership.changed_in_admin": "Membership changed in the admin",
                "membership.deleted_in_admin": "Membership deleted in the admin",
            }
        )


class AcademyUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "academy.admin_views.AcademyUserViewSet"
