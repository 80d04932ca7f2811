"""The Academy's URLs plus one bare Django view: the baseline every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as academy_urlpatterns


def bare(request):
    """The cheapest response Django can give through the full middleware stack."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *academy_urlpatterns]
