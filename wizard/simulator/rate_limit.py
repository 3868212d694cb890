"""Business NXT's request limit per access token: 600 requests a minute, then HTTP 429.

Source: businessnxtapi apireference/ratelimits (600 requests per minute per token; 60
requests in flight per company or customer, which the simulator does not model). The limit
and the window are arguments so tests can reach them quickly.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import deque
from collections.abc import Callable

from wizard.core.visma import REQUESTS_PER_MINUTE


class RateLimiter:
    """A sliding window per token. Tokens are kept as digests, never as they were sent."""

    def __init__(
        self,
        limit: int = REQUESTS_PER_MINUTE,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("A rate limit needs at least one request in a positive window.")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}

    def retry_after(self, token: str) -> int | None:
        """Count one request; None if it is allowed, else whole seconds until one will be."""
        key = hashlib.sha256(token.encode()).hexdigest()
        with self._lock:
            now = self._clock()
            self._forget_before(now - self.window)
            hits = self._hits.setdefault(key, deque())
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window - now))
            hits.append(now)
            return None

    def _forget_before(self, cutoff: float) -> None:
        for key in list(self._hits):
            hits = self._hits[key]
            while hits and hits[0] <= cutoff:
                hits.popleft()
            if not hits:
                del self._hits[key]
