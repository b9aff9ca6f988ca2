"""The portal's two caches.

``default`` (``TSLP_CACHE_URL``) counts: sign-in, registration and API rate limits, which must be the same in
every worker. ``local_cache`` is each process's own memory, for what is a pure function of its key and never
needs to be told of a change: the dashboards' and public pages' content and figures (keyed by the figures'
version, which changes with the data) and reference data (wilayah names and codes). Reading it costs no
round trip to Redis or the database on every page; each worker renders a page once per version.
"""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

LOCAL = "local"

local_cache = ConnectionProxy(caches, LOCAL)
