"""The API's answer to a malformed request: the one error shape of ``api.errors``, not a plain-text 400."""

from django.http import JsonResponse
from django.urls import reverse

from api.errors import malformed_request_body
from tslp_portal.middleware import is_malformed


class MalformedApiRequestMiddleware:
    """Under ``/api/``, refuse what :func:`tslp_portal.middleware.is_malformed` refuses, as JSON (400).

    Placed before ``tslp_portal.middleware.MalformedRequestMiddleware``, which answers every other path.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("api:schema").removesuffix("schema/")
        if request.path.startswith(self.prefix) and is_malformed(request):
            return JsonResponse(malformed_request_body(), status=400)
        return self.get_response(request)
