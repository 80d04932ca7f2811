from celery import shared_task

from .models import Certificate
from .services import render_pdf


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_certificate_pdf(certificate_id: int) -> bool:
    """Render the PDF once; running again after success does nothing."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return False
    return render_pdf(certificate=certificate)
