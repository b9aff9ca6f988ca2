"""What the page benchmarks share: the portal served by gunicorn as in production, and one timed request."""

import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serve(port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """gunicorn with two sync workers on 127.0.0.1:``port``, started once ``/healthz`` answers."""
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        **(env or {}),
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "tslp_portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def fetch(url: str, cookie: str | None = None) -> float:
    """Milliseconds to fetch ``url`` whole (signed in with the session ``cookie``); anything but 200 stops."""
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=120) as response:
        response.read()
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
    return (time.perf_counter() - started) * 1000


def time_pages(port: int, pages: dict[str, str], requests: int, cookie: str | None = None) -> dict:
    """Milliseconds of each of ``requests`` rounds over ``pages`` (name -> path), after one warm-up round."""
    base = f"http://127.0.0.1:{port}"
    timings: dict[str, list[float]] = {name: [] for name in pages}
    for path in pages.values():
        fetch(base + path, cookie)
    for _ in range(requests):
        for name, path in pages.items():
            timings[name].append(fetch(base + path, cookie))
    return timings


def report(timings: dict[str, list[float]], targets: dict[str, int], label: str = "page") -> None:
    """Print p50/p95 per page against its p95 target, then the pages over target."""
    width = max(len(label), *(len(name) for name in timings)) + 2
    print(f"{label:<{width}}{'p50 ms':>9}{'p95 ms':>9}{'target p95':>12}")
    failed = []
    for name, values in timings.items():
        values = sorted(values)
        p50 = statistics.median(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        target = targets.get(name)
        print(f"{name:<{width}}{p50:>9.0f}{p95:>9.0f}{(str(target) + ' ms') if target else '':>12}")
        if target and p95 > target:
            failed.append(name)
    if failed:
        print(f"over target: {', '.join(failed)}")
