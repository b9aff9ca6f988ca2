"""Who is asking, and what the security log says about sign-ins.

:func:`client_ip` is the one place that decides the client's address; the access log, the security log, the
rate limits, the API's throttling and the login lockout (django-axes, ``AXES_CLIENT_IP_CALLABLE``) all use it.
"""

import functools
import ipaddress
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("tslp.security")


@functools.lru_cache(maxsize=4)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, unless the peer is one of ``TSLP_TRUSTED_PROXIES`` (addresses
    or networks; nginx on the same host is ``127.0.0.1``). Then ``X-Forwarded-For`` is read from the right,
    skipping the trusted proxies: the first other address is the client's, added by a proxy of ours. Every
    address left of it was written by the client and is never believed; so is a header from any other peer.
    """
    remote = (request.META.get("REMOTE_ADDR") or "")[:45]
    trusted = _networks(tuple(settings.TSLP_TRUSTED_PROXIES))
    peer = _parse(remote)
    if peer is None or not any(peer in network for network in trusted):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            return remote  # a proxy of ours never writes this: believe nothing in the header
        if not any(address in network for network in trusted):
            return str(address)
    return remote


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


def _failure_key(scope: str, who: str) -> str:
    return f"tslp-failures:{scope}:{who}"


def failures_exceeded(request, *, scope: str, who: str, limit: int) -> bool:
    """True when ``who`` (an account and the object it works on) has failed ``scope`` ``limit`` times.

    Counted by :func:`failure_record` in the same cache as :func:`rate_limited`, per account rather than per
    address, so that changing address does not reset it. A refusal is written to the security log.
    """
    from django.core.cache import cache

    if (cache.get(_failure_key(scope, who)) or 0) < limit:
        return False
    security_event("rate_limited", request, level=logging.WARNING, scope=scope, who=who)
    return True


def failure_record(request, *, scope: str, who: str, window: int, **fields) -> int:
    """Count one failure of ``who`` at ``scope`` and log it; return the count.

    The count is forgotten ``window`` seconds after the latest failure.
    """
    from django.core.cache import cache

    key = _failure_key(scope, who)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    # Backends without a native incr (the database cache) rewrite the key with the default timeout: set the
    # window again. It then runs from the latest failure, which only makes the limit stricter.
    cache.touch(key, window)
    security_event(f"{scope}_failed", request, level=logging.WARNING, who=who, failures=count, **fields)
    return count


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
