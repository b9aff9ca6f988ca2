"""The portal's two caches.

``default`` (``TSLP_CACHE_URL``) counts: sign-in, registration and API rate limits, which must be the same in
every worker. ``local_cache`` is each process's own memory, for what is a pure function of its key and never
needs to be told of a change: the dashboards' and public pages' content and figures (keyed by the figures'
version, which changes with the data) and reference data (wilayah names and codes). Reading it costs no
round trip to Redis or the database on every page; each worker renders a page once per version.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

LOCAL = "local"

local_cache = ConnectionProxy(caches, LOCAL)

T = TypeVar("T")


def local_cached(
    key: str | None, compute: Callable[[], T], seconds: int, *, keep: Callable[[T], bool] | None = None
) -> T:
    """The value kept under ``key`` in this process's cache, else ``compute()``, kept there for ``seconds``.

    The one get-compute-set of the portal. Without a key or seconds the value is computed every time (that is
    how a caller turns caching off). ``keep`` may decline to keep a computed value, which is still returned;
    None is never kept, since the cache could not tell it from a miss.
    """
    if key is None or not seconds:
        return compute()
    value = local_cache.get(key)
    if value is None:
        value = compute()
        if value is not None and (keep is None or keep(value)):
            local_cache.set(key, value, seconds)
    return value
