"""Sessions: an idle timeout per role, Dinsos sessions that end with the browser, and the list of a
user's signed-in browsers that they can end.

Idle timeouts (settings, seconds): ``TSLP_IDLE_TIMEOUT_DINSOS`` (30 minutes) for Dinsos, who see every
NIK of the regency, and ``TSLP_IDLE_TIMEOUT`` (2 hours) for the other roles. A session lasts at most
``SESSION_COOKIE_AGE`` (12 hours) in any case; a Dinsos session also ends when the browser closes.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User, UserSession
from tslp_portal.security import client_ip, security_event

LAST_ACTIVITY = "_tslp_last_activity"
# Writing the session on every request would cost a database write per page; a minute is precise enough.
TOUCH_EVERY = 60


def idle_timeout(user) -> int:
    if user.is_dinsos or user.is_staff:
        return settings.TSLP_IDLE_TIMEOUT_DINSOS
    return settings.TSLP_IDLE_TIMEOUT


class SessionSecurityMiddleware:
    """Sign out a session idle for longer than its role allows; keep the browser list current."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - last > idle_timeout(user):
                security_event("session_idle_timeout", request, user=user.username)
                logout(request)
                messages.info(request, _("You were signed out after a period without activity."))
                return redirect_to_login(request.get_full_path())
            if last is None or now - last > TOUCH_EVERY:
                request.session[LAST_ACTIVITY] = now
                UserSession.objects.filter(session_key=request.session.session_key).update(
                    last_seen_at=timezone.now()
                )
        return self.get_response(request)


@receiver(user_logged_in)
def _session_started(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if user.is_dinsos or user.is_staff:
        request.session.set_expiry(0)  # ends when the browser closes
    request.session[LAST_ACTIVITY] = time.time()
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )


@receiver(user_logged_out)
def _session_ended(sender, request, user, **kwargs):
    if request is not None and getattr(request, "session", None) is not None:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


@receiver(post_save, sender=User)
def _account_deactivated(sender, instance: User, update_fields=None, **kwargs):
    """An account saved inactive (back office, services, shell) loses every session at once: otherwise
    re-activating it would bring the old browsers back signed in."""
    if instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        return
    user_sessions_end_all(user=instance)


def user_sessions(user: User) -> QuerySet[UserSession]:
    """The user's browsers whose session is still alive."""
    alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=alive)


def user_session_end(*, user: User, session_id: int) -> bool:
    """End one of ``user``'s sessions (never another user's); True when one was ended."""
    from importlib import import_module

    row = UserSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store(session_key=row.session_key).delete()
    row.delete()
    return True


def user_sessions_end_all(*, user: User) -> int:
    """End every session of ``user`` (each sign-in is recorded as a ``UserSession``)."""
    ended = 0
    for row in UserSession.objects.filter(user=user):
        ended += user_session_end(user=user, session_id=row.pk)
    return ended


def user_sessions_end_others(*, user: User, keep_session_key: str) -> int:
    ended = 0
    for row in UserSession.objects.filter(user=user).exclude(session_key=keep_session_key):
        ended += user_session_end(user=user, session_id=row.pk)
    return ended
