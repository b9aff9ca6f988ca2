"""Masking of identity numbers and the personal-data access log: one helper each, used everywhere."""


def mask_identity(value: str | None) -> str:
    """Mask a NIK or No. KK: ``6211050101900003`` → ``621105******0003`` (region and serial stay)."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def access_log_write(
    *, user, what: str, row_count: int, action: str = "view", reason: str = "", path: str = ""
):
    """Record that ``user`` saw or exported ``row_count`` rows of personal data."""
    from tslp_portal.models import AccessLog

    return AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        what=what[:200],
        row_count=row_count,
        reason=reason[:200],
        path=path[:300],
    )


def personal_data_response(
    response, *, request, what: str, rows: int, action: str = "view", reason: str = ""
):
    """The one place that decides "this response holds personal data".

    Every view, download and admin page that shows NIK, No. KK, or names with addresses hands its
    response here: it writes the access-log row (who, what, how many rows, where) and forbids any
    cache (browser, proxy) from keeping a copy. ``tests/tslp_portal/test_personal_data.py`` walks every
    URL as every persona to prove no such response goes around it.
    """
    from django.utils.cache import add_never_cache_headers, patch_cache_control

    access_log_write(
        user=request.user,
        what=str(what),
        row_count=rows,
        action=action,
        reason=str(reason),
        path=request.get_full_path(),
    )
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response
