"""The portal's settings with one page more, for the benchmarks: ``/bench/signed-in/`` (bench/urls.py)."""

from tslp_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
