"""Pages made of cached content: the page around the content (head, navigation, footer) is kept too.

The dashboards and the public pages cache their content. Rendering the page around it (``base.html`` and the
navigation: links, the user's name and role, the language switch) took about a quarter of a cached
dashboard's time (measured in-process on the benchmark database: 4.0 ms with it, 2.7 ms without).
:func:`render_page` renders that shell once per user, path, language, title and template, with markers where
the content and the CSRF token go, keeps it as long as the content (``TSLP_DASHBOARD_CACHE_SECONDS``; 0 turns
both off), and fills in the content and a fresh token on every request.

The key holds everything the shell shows about the user (account, names, role, scope) and the navigation,
so a change of any of these renders a new shell. Company members (whose shell shows their company's name)
and a request with messages waiting are always rendered in full.
"""

import functools
import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from tslp_portal.caching import local_cache
from tslp_portal.params import ascii_int


@functools.lru_cache(maxsize=2)
def _markers(secret_key: str) -> tuple[str, str]:
    """Where the content and the CSRF token go. Derived from SECRET_KEY, so that no text a user typed (a
    program's or a company's name in the content) can contain them."""
    return tuple(
        f"tslp-{name}-{salted_hmac('tslp_portal.shell', name, secret=secret_key).hexdigest()}"
        for name in ("content", "csrf")
    )


def _shell_key(request, template_name: str, page_title: str) -> str:
    user = request.user
    # The query as numbers in a fixed order (only short numbers reach here, see _bounded_query): "?garis=04"
    # and "?garis=4&tahun=2026" in either order share one shell.
    query = sorted((name, ascii_int(value)) for name, value in request.GET.items())
    parts = [template_name, str(page_title), get_language(), request.path, query, user.is_authenticated]
    if user.is_authenticated:
        # What the navigation shows of the user and what decides its links (context_processors.portal).
        parts += [
            user.pk,
            user.get_username(),
            user.get_full_name(),
            user.role,
            user.is_active,
            user.is_staff,
            user.is_superuser,
            user.kecamatan_id,
        ]
    return "shell:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # counting does not mark them shown


def _bounded_query(request, query: tuple[str, ...]) -> bool:
    """Only the page's own parameters, as short numbers: the number of shells a user (or, on the public
    pages, anyone) can make the cache hold stays bounded."""
    return all(
        name in query and len(values) == 1 and len(values[0]) <= 4 and ascii_int(values[0]) is not None
        for name, values in request.GET.lists()
    )


def render_page(
    request,
    template_name: str,
    *,
    page_title: str,
    content: str,
    query: tuple[str, ...] = ("tahun", "garis"),
    cache: bool = True,
) -> HttpResponse:
    """``render(request, template_name, {"page_title": …, "content": content})``, with the shell cached
    when ``cache`` (the caller kept the content too) and the query string holds no more than the numeric
    parameters ``query``."""
    user = request.user
    seconds = settings.TSLP_DASHBOARD_CACHE_SECONDS
    if (
        not cache
        or not seconds
        or _has_messages(request)
        or getattr(user, "company_id", None) is not None
        or not _bounded_query(request, query)
    ):
        return render(request, template_name, {"page_title": page_title, "content": mark_safe(content)})
    content_marker, csrf_marker = _markers(settings.SECRET_KEY)
    key = _shell_key(request, template_name, page_title)
    shell = local_cache.get(key)
    if shell is None:
        shell = render_to_string(
            template_name,
            {
                "page_title": page_title,
                "content": mark_safe(content_marker),
                "csrf_token": mark_safe(csrf_marker),
            },
            request,
        )
        if shell.count(content_marker) != 1:  # a template that shows its content twice, or not at all
            return render(request, template_name, {"page_title": page_title, "content": mark_safe(content)})
        local_cache.set(key, shell, seconds)
    before, after = shell.split(content_marker)
    if csrf_marker in shell:
        token = get_token(request)
        before, after = before.replace(csrf_marker, token), after.replace(csrf_marker, token)
    return HttpResponse(before + content + after)
