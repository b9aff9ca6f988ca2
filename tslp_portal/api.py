"""What every app's ``api.py`` shares: token scopes, pagination and the access log of personal data sent by
the API."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from tslp_portal.params import ascii_int
from tslp_portal.privacy import personal_data_response


class TokenScope(models.TextChoices):
    """What an API token may read. Each API view names the one it needs in ``token_scope``.

    ``None`` there means public data that any token reads as its account; a view that names nothing treats a
    token's caller as anonymous, so that a new endpoint never serves a token more than it was given
    (``api/authentication.py``).
    """

    STATISTICS = "statistics:read", _("read statistics")
    PROGRAMS = "programs:read", _("read programs and companies")
    HOUSEHOLDS = "households:read", _("read households and beneficiaries (personal data)")


class Pagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``; ``?page=N`` and ``?page_size=`` up to 500."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        """A ``page_size`` that is not a whole number from 1 is refused (400), not silently replaced."""
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not (value.isascii() and value.isdigit() and int(value) >= 1):
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


def api_personal_data_response(response, request, *, what: str, row_count: int, reason: str = ""):
    """An API response that carries personal data: through the one choke point (access log, no-store).

    The log row names the token (its first characters) when one was used.
    """
    prefix = getattr(request.auth, "prefix", None)
    reason = reason or "API"
    if prefix:
        reason = f"token {prefix}…: {reason}"
    return personal_data_response(response, request=request, what=what, rows=row_count, reason=reason)


class IdLookupMixin:
    """Numeric ids in the path: anything else, or past a 64-bit integer, is a 404, never a database error."""

    lookup_value_regex = r"[0-9]+"
    MAX_ID = 2**63 - 1

    def lookup_id(self) -> int:
        value = ascii_int(str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")))
        if value is None or value > self.MAX_ID:
            raise Http404
        return value

    def get_object(self):
        self.lookup_id()
        return super().get_object()


class QueryIntegerField(serializers.IntegerField):
    """A whole number of a query string: ASCII digits only (:mod:`tslp_portal.params`)."""

    def to_internal_value(self, data):
        number = ascii_int(str(data))
        if number is None:
            self.fail("invalid")
        return number
