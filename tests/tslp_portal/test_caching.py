"""The one get-compute-set helper of the process-local cache."""

from tslp_portal.caching import local_cache, local_cached


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_a_value_is_computed_once_and_then_read_from_the_cache():
    compute, calls = counting("inhalt")
    assert local_cached("test:a", compute, 60) == "inhalt"
    assert local_cached("test:a", compute, 60) == "inhalt"
    assert len(calls) == 1 and local_cache.get("test:a") == "inhalt"


def test_no_key_or_no_seconds_computes_every_time():
    compute, calls = counting("x")
    local_cached(None, compute, 60)
    local_cached(None, compute, 60)
    local_cached("test:b", compute, 0)
    assert len(calls) == 3 and local_cache.get("test:b") is None


def test_keep_may_decline_a_value_and_none_is_never_kept():
    compute, calls = counting(("page", False))
    assert local_cached("test:c", compute, 60, keep=lambda page: page[1]) == ("page", False)
    local_cached("test:c", compute, 60, keep=lambda page: page[1])
    assert len(calls) == 2 and local_cache.get("test:c") is None
    missing, missing_calls = counting(None)
    local_cached("test:d", missing, 60)
    local_cached("test:d", missing, 60)
    assert len(missing_calls) == 2
