"""Who is asking, and what the security log says about sign-ins.

The client address is the one the TLS proxy saw: behind nginx (``DJANGO_SECURE_PROXY_SSL=true``) the
right-most ``X-Forwarded-For`` entry, which nginx appends and a client cannot forge; otherwise
``REMOTE_ADDR``. The login lockout (django-axes) counts failures per address with it.
"""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("tslp.security")


def client_ip(request) -> str:
    if getattr(settings, "TSLP_TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1][:45]
    return (request.META.get("REMOTE_ADDR") or "")[:45]


def security_event(event: str, request=None, level: int = logging.INFO, **fields) -> None:
    """One line of the security log (JSON in production): what happened, who, from where."""
    if request is not None:
        fields.setdefault("ip", client_ip(request))
        fields.setdefault("path", request.path[:300])
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            fields.setdefault("user", user.username)
    logger.log(level, event, extra={"event": event, **fields})


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    security_event("login_succeeded", request, user=user.username, role=user.role)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:150]
    security_event("login_failed", request, level=logging.WARNING, username=username)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        security_event("logout", request, user=user.username)


def lockout_response(request, original_response=None, credentials=None):
    """What django-axes answers to a locked sign-in: an Indonesian page, 429."""
    from axes.helpers import get_client_username, get_cool_off
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    username = get_client_username(request, credentials) or ""
    security_event("login_locked", request, level=logging.WARNING, username=str(username)[:150])
    context = {
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)


def rate_limited(request, *, scope: str, limit: int, window: int, key: str = "") -> bool:
    """True when this address (or ``key``) has used ``scope`` more than ``limit`` times in ``window`` seconds.

    Counted in the cache (``CACHES``): per process with the default local-memory cache, so the real limit
    is ``limit`` times the gunicorn workers; a shared cache (``TSLP_CACHE_URL``, Redis or the database)
    makes it exact.
    """
    from django.core.cache import cache

    key = f"tslp-rate:{scope}:{key or client_ip(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        security_event("rate_limited", request, level=logging.WARNING, scope=scope)
        return True
    return False


PAIR = ["username", "ip_address"]


def lockout_parameters(request, credentials=None) -> list:
    """What django-axes counts wrong passwords by (``AXES_LOCKOUT_PARAMETERS``), see the settings.

    Always the username with the address, at ``AXES_FAILURE_LIMIT``. The username alone, or the address
    alone, joins only once its own, higher limit is reached (``TSLP_LOGIN_USERNAME_LIMIT``,
    ``TSLP_LOGIN_ADDRESS_LIMIT``); axes then finds at least ``AXES_FAILURE_LIMIT`` failures for it and locks.
    Towards the username's limit each address counts at most ``AXES_FAILURE_LIMIT``, so that one address
    cannot lock an account for everyone: that takes failures from several addresses.
    """
    from axes.attempts import get_cool_off_threshold
    from axes.helpers import get_client_username
    from axes.models import AccessAttempt
    from django.db.models import Q, Sum, Value
    from django.db.models.functions import Least
    from django.http import HttpRequest

    if not isinstance(request, HttpRequest):  # an attempt being cleaned up or reset
        return [PAIR]
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    counts = AccessAttempt.objects.filter(
        Q(username=username) | Q(ip_address=address), attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(
        username=Sum(
            Least("failures_since_start", Value(settings.AXES_FAILURE_LIMIT)), filter=Q(username=username)
        ),
        address=Sum("failures_since_start", filter=Q(ip_address=address)),
    )
    parameters = [PAIR]
    if username and (counts["username"] or 0) >= settings.TSLP_LOGIN_USERNAME_LIMIT:
        parameters.append("username")
    if (counts["address"] or 0) >= settings.TSLP_LOGIN_ADDRESS_LIMIT:
        parameters.append("ip_address")
    return parameters
