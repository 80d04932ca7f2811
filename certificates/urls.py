from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_lookup, name="lookup"),
    # Before the code pattern, which "credential" would otherwise match.
    path("verify/credential/", views.check_credential, name="check_credential"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("verify/<str:code>/credential.json", views.credential_file, name="credential"),
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="pdf"),
    path(
        "credentials/status/<int:number>",
        views.status_list_credential,
        name="status_list",
    ),
]
