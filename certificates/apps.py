from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"

    def ready(self):
        from academy import page_cache
        from accreditation.signals import renewal_met, requirements_met
        from assessments import result_notes, stakes
        from courses.signals import course_completed, final_assessment_passed, webinar_attended

        from . import audit_log, checks, receivers, selectors  # noqa: F401 - checks registers itself
        from .models import Certificate

        result_notes.register("certificates", selectors.result_notes)
        stakes.register("certificates", selectors.assessment_stakes)

        audit_log.register()
        # The verification page shows one certificate and the one that renewed it; a status
        # change saves the certificate (certificates.services.lifecycle).
        page_cache.forget_on_change(page_cache.CERTIFICATES, Certificate)
        course_completed.connect(receivers.on_course_completed, dispatch_uid="certificates-course")
        requirements_met.connect(
            receivers.on_requirements_met, dispatch_uid="certificates-accreditation"
        )
        renewal_met.connect(
            receivers.on_renewal_met, dispatch_uid="certificates-accreditation-renewal"
        )
        final_assessment_passed.connect(
            receivers.on_final_assessment_passed, dispatch_uid="certificates-renewal"
        )
        webinar_attended.connect(receivers.on_webinar_attended, dispatch_uid="certificates-webinar")
