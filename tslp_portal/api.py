"""What every app's ``api.py`` shares: pagination and the access log of personal data sent by the API."""

from django.http import Http404
from rest_framework.pagination import PageNumberPagination

from tslp_portal.privacy import access_log_write


class Pagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``; ``?page=N`` and ``?page_size=`` up to 500."""

    page_size_query_param = "page_size"
    max_page_size = 500


def api_access_log(request, *, what: str, row_count: int, reason: str = "") -> None:
    """Record that an API response carried ``row_count`` rows of personal data to ``request.user``."""
    access_log_write(
        user=request.user,
        what=what,
        row_count=row_count,
        action="view",
        reason=reason or "API",
        path=request.get_full_path(),
    )


class IdLookupMixin:
    """Numeric ids in the path: anything else, or past a 64-bit integer, is a 404, never a database error."""

    lookup_value_regex = r"[0-9]+"
    MAX_ID = 2**63 - 1

    def lookup_id(self) -> int:
        value = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        if not value.isdigit() or int(value) > self.MAX_ID:
            raise Http404
        return int(value)

    def get_object(self):
        self.lookup_id()
        return super().get_object()
