from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certificates import views as certificate_views
from portal import privacy_views
from portal import views as portal_views

urlpatterns = [
    # Staff sign in through allauth (with MFA), never through Wagtail's own login form.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/bulk/<str:app_label>/<str:model_name>/<str:action>/", portal_views.bulk_action),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Before allauth's, whose confirm-email/<key>/ would otherwise take "new-link" for a key.
    path("accounts/", include("academy.urls")),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", portal_views.dashboard, name="dashboard"),
    path("dashboard/my-data.json", privacy_views.my_data, name="my_data"),
    # The did:web issuer's DID document, where did:web says a domain's DID document lives.
    path(".well-known/did.json", certificate_views.did_document, name="did_document"),
    path("complaint-standards/", include("complaint_standards.urls")),
    path("learn/", include("courses.urls")),
    path("accreditation/", include("accreditation.urls")),
    path("organisation/", include("organisations.urls")),
    path("feedback/", include("feedback.urls")),
    path("", include("assessments.urls")),
    path("", include("certificates.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "portal.views.bad_request"
