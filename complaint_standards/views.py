from django.http import Http404
from django.shortcuts import render

from academy.page_cache import offer

from . import selectors
from .models import Framework


def framework_list(request):
    return offer(
        render(
            request,
            "complaint_standards/framework_list.html",
            {"frameworks": selectors.frameworks_with_principles()},
        )
    )


def framework_detail(request, slug):
    try:
        framework = selectors.framework_detail(slug)
    except Framework.DoesNotExist:
        raise Http404("No Complaint Standards framework with this name.") from None
    return offer(
        render(request, "complaint_standards/framework_detail.html", {"framework": framework})
    )
