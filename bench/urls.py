"""The portal's URLs and a bare signed-in page: what every signed-in page pays (the session and the user
loaded, the middleware, the base template with its navigation) and nothing more. The dashboards are
measured against it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from tslp_portal.urls import handler403, handler404, handler500
from tslp_portal.urls import urlpatterns as portal_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


@login_required
def signed_in_page(request):
    return render(request, "base.html", {"page_title": "Bench"})


urlpatterns = [path("bench/signed-in/", signed_in_page), *portal_urlpatterns]
