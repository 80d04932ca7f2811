from django.apps import AppConfig


class ComplaintStandardsConfig(AppConfig):
    name = "complaint_standards"
    verbose_name = "Complaint Standards"
