"""What every app's ``api.py`` shares: pagination and the access log of personal data sent by the API."""

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
