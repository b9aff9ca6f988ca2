"""Throttling for anonymous and signed-in callers; rates from settings (``TSLP_API_THROTTLE_*``)."""

from django.conf import settings
from rest_framework import throttling

from tslp_portal.security import client_ip


class ClientAddressMixin:
    def get_ident(self, request):
        # DRF's own reading trusts X-Forwarded-For from any peer (NUM_PROXIES): the portal's one rule instead.
        return client_ip(request)


class AnonThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    def get_rate(self):
        # Read at request time, not at import, so that a changed setting takes effect.
        return settings.TSLP_API_THROTTLE_ANON


class UserThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    def get_rate(self):
        return settings.TSLP_API_THROTTLE_USER
