from django.urls import path

from .views import cpd

app_name = "accreditation"
urlpatterns = [
    path("cpd/", cpd.cpd_log, name="cpd_log"),
    path("cpd/add/", cpd.cpd_add, name="cpd_add"),
    path("cpd/<int:pk>/change/", cpd.cpd_edit, name="cpd_edit"),
    path("cpd/<int:pk>/delete/", cpd.cpd_delete, name="cpd_delete"),
    path("cpd/download.csv", cpd.cpd_download, {"file_format": "csv"}, name="cpd_csv"),
    path("cpd/download.pdf", cpd.cpd_download, {"file_format": "pdf"}, name="cpd_pdf"),
]
