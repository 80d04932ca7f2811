from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django_ratelimit.decorators import ratelimit

from . import codes, selectors, services


def _not_found(request, code=""):
    return render(request, "certificates/not_found.html", {"code": code[:64]}, status=404)


@ratelimit(key="ip", rate=lambda group, request: settings.ACADEMY_VERIFY_RATE, block=True)
def verify_lookup(request):
    """The form where someone types a code from a certificate."""
    code = request.GET.get("code", "").strip()
    if not code:
        return render(request, "certificates/lookup.html")
    canonical = codes.normalise(code)
    if canonical is None:
        return render(
            request,
            "certificates/lookup.html",
            {
                "code": code[:64],
                "error": "Enter a code of 20 letters and numbers, like the one "
                "printed on the certificate.",
            },
            status=400,
        )
    return redirect("certificates:verify", code=codes.display(canonical))


@ratelimit(key="ip", rate=lambda group, request: settings.ACADEMY_VERIFY_RATE, block=True)
def verify(request, code):
    try:
        certificate = selectors.by_code(code)
    except Http404:
        return _not_found(request, code)
    if code != certificate.display_code:
        return redirect("certificates:verify", code=certificate.display_code)
    return render(request, "certificates/verify.html", {"certificate": certificate})


@login_required
def certificate_pdf(request, code):
    try:
        certificate = selectors.by_code(code)
    except Http404:
        return _not_found(request, code)
    if not selectors.can_download(user=request.user, certificate=certificate):
        # Same answer as an unknown code: someone else's certificate PDF is not even confirmed.
        return _not_found(request, code)
    try:
        handle = services.open_pdf(certificate=certificate)
    except services.CertificateError as exc:
        return render(request, "certificates/pdf_pending.html", {"message": str(exc)}, status=404)
    return FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=f"certificate-{certificate.display_code}.pdf",
    )
