from django.urls import path

from . import views

urlpatterns = [
    path(
        "confirm-email/new-link/",
        views.new_confirmation_link,
        name="account_new_confirmation_link",
    ),
]
