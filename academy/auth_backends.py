"""The sign-in back ends, with each signed-in person's own row remembered in the shared cache.

Every signed-in request reads the person's row to know who they are (Django's `get_user`): about
1 ms of CPU and a query, on every page, every autosave. Here it is remembered under a generation
of that person's own (`academy.page_cache`), which starts again whenever their row is saved or
deleted, so a new name, a deactivation or a new password (which signs their other sessions out)
applies from the next request, on every web node.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from . import page_cache


def scope(user_id) -> str:
    return f"person:{user_id}"


def kept(user_id) -> tuple[str, tuple[str, ...]]:
    """Where a person's row is remembered, and under which scope."""
    return f"user:{user_id}", (scope(user_id),)


def forget_person(sender, instance, **kwargs) -> None:
    """A signal receiver: a person's row was saved or deleted."""
    page_cache.forget(scope(instance.pk))


class RememberedUser:
    """Mixed into a back end: the row its `get_user` reads, remembered per person."""

    def get_user(self, user_id):
        return page_cache.remembered(
            *kept(user_id), lambda: super(RememberedUser, self).get_user(user_id)
        )


class ModelBackend(RememberedUser, DjangoModelBackend):
    """Django's back end (the admin's sign-in, `force_login`)."""


class AuthenticationBackend(RememberedUser, AllauthBackend):
    """allauth's back end (sign-in by e-mail address)."""
