from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AcademyConfig(AppConfig):
    # The app's own config, though this module also holds the Wagtail users app's.
    default = True
    name = "academy"
    verbose_name = "Academy people"

    def ready(self):
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import audit, auth_backends, checks, page_cache  # noqa: F401 - checks registers itself
        from .context_processors import header_links_kept
        from .models import Membership, User

        # Every signed-in page reads the person's row and header links.
        page_cache.prefetch_on_signed_in_pages(
            lambda user_id: [auth_backends.kept(user_id), header_links_kept(user_id)]
        )

        # What signed-in pages remember about people's roles (the header's links) goes stale
        # when a membership, someone's groups or permissions, or a group's permissions change.
        page_cache.forget_on_change(page_cache.ROLES, Membership, Group, Permission)
        for signal in (post_save, post_delete):
            signal.connect(auth_backends.forget_person, sender=User, dispatch_uid="person-row")
        for through in (
            User.groups.through,
            User.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(
                page_cache.forget_roles, sender=through, dispatch_uid=f"roles-{through._meta.label}"
            )

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
