from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_lookup, name="lookup"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="pdf"),
]
