from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest


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


class MalformedRequestMiddleware:
    """Refuse (400) what no page of the portal accepts, before any view or query sees it.

    A NUL byte reaches PostgreSQL as an error (500) wherever a value goes into a query unvalidated; bytes
    that are not UTF-8 and absurdly long addresses are never a real user's. Forms refuse NUL in their
    fields on their own; this covers the path, the query string and urlencoded bodies.
    """

    MAX_PATH = 1024
    MAX_QUERY = 4096

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._malformed(request):
            return HttpResponseBadRequest("Bad request", content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def _malformed(self, request) -> bool:
        query = request.META.get("QUERY_STRING", "")
        if len(request.path) > self.MAX_PATH or len(query) > self.MAX_QUERY:
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
