"""Throttling for anonymous and signed-in callers; rates from settings (``TSLP_API_THROTTLE_*``)."""

from django.conf import settings
from rest_framework import throttling


class AnonThrottle(throttling.AnonRateThrottle):
    def get_rate(self):
        # Read at request time, not at import, so that a changed setting takes effect.
        return settings.TSLP_API_THROTTLE_ANON


class UserThrottle(throttling.UserRateThrottle):
    def get_rate(self):
        return settings.TSLP_API_THROTTLE_USER
