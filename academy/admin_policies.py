from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

READ = {"view", "inspect"}


class ViewOnlyPolicy(ModelPermissionPolicy):
    """For records only services write (audit entries, issued certificates): list and inspect."""

    def user_has_permission(self, user, action):
        return action in READ and super().user_has_permission(user, "view")

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        # Wagtail asks this to list who may act (notifications, choosers): holding Django's
        # "change" permission must not count for an action this policy never allows.
        if READ.isdisjoint(actions):
            return get_user_model().objects.none()
        return super().users_with_any_permission(["view"])
