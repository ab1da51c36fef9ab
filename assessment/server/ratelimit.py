"""Token buckets per invitation and per address, in memory.

A bucket holds at most `rate` requests and refills at `rate` per minute: a partner can
send a burst (open the page, send, send again) and a script that hammers the server waits.
The buckets live in memory only: a restart forgets them, and addresses are never written
anywhere.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """`take(key)` is 0 when the request may go ahead, else the seconds to wait."""

    def __init__(
        self, per_minute: int, *, clock: Callable[[], float] = time.monotonic, size: int = 100_000
    ) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self._clock = clock
        self._size = size
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str, cost: float = 1.0) -> int:
        """Spend `cost` from the bucket of `key`; 0, or whole seconds until it could."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self._size:
                    self._prune(now)
                bucket = self._buckets[key] = _Bucket(self.capacity, now)
            else:
                bucket.tokens = min(
                    self.capacity, bucket.tokens + (now - bucket.stamp) * self.refill
                )
                bucket.stamp = now
            if bucket.tokens >= cost:
                bucket.tokens -= cost
                return 0
            return max(1, math.ceil((cost - bucket.tokens) / self.refill))

    def peek(self, key: str) -> int:
        """0 when `key` could spend one now, else the seconds to wait (spends nothing)."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                return 0
            tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.refill)
            return 0 if tokens >= 1 else max(1, math.ceil((1 - tokens) / self.refill))

    def _prune(self, now: float) -> None:
        # Full buckets carry no state: forget them first; if none are full, the oldest.
        full = [k for k, b in self._buckets.items() if b.tokens + (now - b.stamp) * self.refill
                >= self.capacity]  # fmt: skip
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= self._size:
            oldest = sorted(self._buckets, key=lambda k: self._buckets[k].stamp)
            for key in oldest[: len(oldest) // 2]:
                del self._buckets[key]
