"""The simulator's per-token limit (apireference/ratelimits), on a clock the test moves."""

from __future__ import annotations

import pytest

from wizard.simulator.rate_limit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_the_limit_then_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 60.0, clock)
    assert [limiter.retry_after("t") for _ in range(3)] == [None, None, None]
    clock.now += 10.2
    assert limiter.retry_after("t") == 50  # the first request leaves the window in 49.8 s
    clock.now += 49.8
    assert limiter.retry_after("t") is None


def test_each_token_has_its_own_window() -> None:
    limiter = RateLimiter(1, 60.0, Clock())
    assert limiter.retry_after("a") is None
    assert limiter.retry_after("a") == 60
    assert limiter.retry_after("b") is None


def test_a_refused_request_does_not_count() -> None:
    clock = Clock()
    limiter = RateLimiter(1, 1.0, clock)
    limiter.retry_after("t")
    for _ in range(5):
        assert limiter.retry_after("t") == 1
    clock.now += 1.0
    assert limiter.retry_after("t") is None


def test_tokens_are_not_kept_as_sent() -> None:
    limiter = RateLimiter(5, 60.0, Clock())
    limiter.retry_after("eyJ-secret-token")
    assert "eyJ-secret-token" not in repr(vars(limiter))


@pytest.mark.parametrize(("limit", "window"), [(0, 60.0), (1, 0.0)])
def test_a_limit_must_be_possible(limit: int, window: float) -> None:
    with pytest.raises(ValueError):
        RateLimiter(limit, window)
