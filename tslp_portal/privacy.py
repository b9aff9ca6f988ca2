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
