import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from academy import page_cache
from academy.file_responses import private_file_response

from . import codes, credentials, keys, selectors, services
from .forms import CredentialCheckForm
from .models import StatusList

logger = logging.getLogger(__name__)


def _not_found(request, code=""):
    return render(request, "certificates/not_found.html", {"code": code[:64]}, status=404)


def _by_printed_code(request, code, url_name):
    """The certificate a code names, or the response to give instead: not found, or a redirect to
    the same page under the code as printed (a code typed in lower case or without dashes)."""
    try:
        certificate = selectors.by_code(code)
    except Http404:
        return None, _not_found(request, code)
    if code != certificate.display_code:
        return None, redirect(url_name, code=certificate.display_code)
    return certificate, None


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
@page_cache.kept_inside  # the rate limit still counts every request
def verify(request, code):
    certificate, response = _by_printed_code(request, code, "certificates:verify")
    if response:
        return response
    renewed_by = selectors.renewed_by(certificate=certificate)
    response = render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "renewed_by": renewed_by},
    )
    seconds = None
    if certificate.state == "valid" and certificate.valid_until is not None:
        # The page says "Valid" until the moment the certificate expires.
        seconds = int((certificate.valid_until - timezone.now()).total_seconds())
    return page_cache.offer(response, (page_cache.CERTIFICATES,), seconds=seconds)


@ratelimit(key="ip", rate=lambda group, request: settings.ACADEMY_VERIFY_RATE, block=True)
@require_GET
def credential_file(request, code):
    """The certificate's signed Open Badges credential, for wallets, verifiers and downloads."""
    certificate, response = _by_printed_code(request, code, "certificates:credential")
    if response:
        return response
    try:
        credential = credentials.signed_credential(certificate)
    except keys.SigningKeyError:
        logger.exception("Cannot sign the credential of certificate %s.", certificate.code)
        return render(
            request,
            "certificates/credential_unavailable.html",
            {"certificate": certificate},
            status=503,
        )
    response = JsonResponse(
        credential,
        content_type="application/vc",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = (
        f'attachment; filename="credential-{certificate.display_code}.json"'
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@ratelimit(key="ip", rate=lambda group, request: settings.ACADEMY_VERIFY_RATE, block=True)
@require_http_methods(["GET", "POST"])
def check_credential(request):
    """Anyone uploads or pastes a credential file and is told, in plain words, what it is."""
    max_bytes = settings.ACADEMY_CREDENTIAL_UPLOAD_MAX_BYTES
    if request.method != "POST":
        form = CredentialCheckForm(max_bytes=max_bytes)
        return render(request, "certificates/check_credential.html", {"form": form})
    form = CredentialCheckForm(request.POST, request.FILES, max_bytes=max_bytes)
    if not form.is_valid():
        return render(request, "certificates/check_credential.html", {"form": form}, status=400)
    result = selectors.verify_credential(form.document)
    return render(
        request,
        "certificates/check_credential.html",
        {"form": CredentialCheckForm(max_bytes=max_bytes), "result": result},
    )


def credential_too_large(request):
    """The check page when a pasted credential was too large for Django to read the form (the
    request is refused before the view runs): the same message as for a file too large."""
    form = CredentialCheckForm(
        {}, max_bytes=settings.ACADEMY_CREDENTIAL_UPLOAD_MAX_BYTES, request_too_large=True
    )
    form.is_valid()
    return render(request, "certificates/check_credential.html", {"form": form}, status=413)


@require_GET
def did_document(request):
    """The did:web DID document: every key the Academy signs with or once signed with."""
    if not keys.uses_did_web():
        raise Http404("The Academy's issuer is not a did:web here.")
    response = JsonResponse(keys.did_document(), content_type="application/did+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


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
        pdf = services.stored_pdf(certificate=certificate)
    except services.RefusedError as exc:
        return render(request, "certificates/pdf_pending.html", {"message": str(exc)}, status=404)
    return private_file_response(
        request,
        pdf,
        content_type="application/pdf",
        as_attachment=True,
        filename=f"certificate-{certificate.display_code}.pdf",
    )


@ratelimit(key="ip", rate=lambda group, request: settings.ACADEMY_VERIFY_RATE, block=True)
@require_GET
def status_list_credential(request, number):
    """A signed Bitstring Status List credential, fetched by wallets and verifiers anywhere."""
    try:
        credential = services.published_status_list(number=number)
    except StatusList.DoesNotExist:
        raise Http404("No such status list.") from None
    response = JsonResponse(credential)
    response["Access-Control-Allow-Origin"] = "*"
    # Verifiers may cache it briefly; a revocation shows within five minutes.
    response["Cache-Control"] = "public, max-age=300"
    return response
