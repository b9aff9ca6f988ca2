from urllib.parse import quote, unquote_to_bytes

from django.http import HttpResponseBadRequest

# The longest request line ("GET /path?query HTTP/1.1") the portal answers: gunicorn's default
# limit_request_line. ops/gunicorn.conf.py raises gunicorn's own limit above it, so that a longer line gets the
# portal's 400 (the API's JSON error under /api/) instead of gunicorn's plain-text page.
MAX_REQUEST_LINE = 4094
MAX_PATH = 1024


class IndonesianByDefaultMiddleware:
    """Serve Indonesian unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many browsers in Dinsos
    and the kecamatan offices are set to English; the portal's default is Indonesian.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


def request_line_length(request) -> int:
    """The length of the request line the client sent (gunicorn passes it as RAW_URI; else rebuilt)."""
    uri = request.META.get("RAW_URI")
    if uri is None:
        query = request.META.get("QUERY_STRING", "")
        uri = quote(request.path) + ("?" + query if query else "")
    protocol = request.META.get("SERVER_PROTOCOL", "HTTP/1.1")
    return len(request.method or "") + 1 + len(uri) + 1 + len(protocol)


def is_malformed(request) -> bool:
    """What no page of the portal accepts: NUL bytes, bytes that are not UTF-8, absurdly long addresses.

    A NUL byte reaches PostgreSQL as an error (500) wherever a value goes into a query unvalidated; the
    others are never a real user's. Forms refuse NUL in their fields on their own; this covers the path, the
    query string and urlencoded bodies.
    """
    query = request.META.get("QUERY_STRING", "")
    if len(request.path) > MAX_PATH or request_line_length(request) > MAX_REQUEST_LINE:
        return True
    if "\x00" in request.path or "%00" in request.path:
        return True
    raw = [query]
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        raw.append(request.body.decode("latin-1"))
    for text in raw:
        data = unquote_to_bytes(text.replace("+", " "))
        if b"\x00" in data:
            return True
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return True
    return False


class MalformedRequestMiddleware:
    """Refuse (400) a malformed request (:func:`is_malformed`) before any view or query sees it.

    The API answers the same requests in its own JSON shape first (``api.middleware``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_malformed(request):
            return HttpResponseBadRequest("Bad request", content_type="text/plain; charset=utf-8")
        return self.get_response(request)
