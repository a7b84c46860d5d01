"""Fixed-window rate limits in the cache (shared between processes when the cache is Redis).
Addresses are hashed: no personal data in cache keys either."""

import hashlib
import time

from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limit_hit(*, scope: str, key: str, limit: int, window: int = 600) -> bool:
    """Count one hit; True when the limit for this window is exceeded."""
    bucket = int(time.time() // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    cache_key = f"motcua:rl:{scope}:{bucket}:{digest}"
    if cache.add(cache_key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window + 5)
            count = 1
    return count > limit
