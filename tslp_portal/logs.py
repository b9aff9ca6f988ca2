"""Structured logs: one JSON object per line (requests and security events), for log rotation and search.

Every record carries ``time``, ``level``, ``logger`` and ``message``; fields passed with ``extra=`` (the
security log's ``event``, ``user``, ``ip``; the request log's ``method``, ``path``, ``status``, ``ms``) are
added as they are. Passwords and tokens are never passed to a log call.
"""

import json
import logging
import time

from tslp_portal.security import client_ip

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

request_logger = logging.getLogger("tslp.request")


class JsonLinesFormatter(logging.Formatter):
    def format(self, record):
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value if isinstance(value, int | float | bool | type(None)) else str(value)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


class RequestLogMiddleware:
    """One log line per request: method, path (no query: it may hold search terms), status, duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        if not request_logger.isEnabledFor(logging.INFO):
            return response
        user = getattr(request, "user", None)
        request_logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path[:300],
                "status": response.status_code,
                "ms": round((time.monotonic() - started) * 1000, 1),
                "user": user.pk if user is not None and user.is_authenticated else None,
                "ip": client_ip(request),
            },
        )
        return response
