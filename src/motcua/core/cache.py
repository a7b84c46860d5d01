"""Rendered fragments of public pages, cached until the catalogue changes.

Keys carry the catalogue generation and the language, so an edit in the admin or an import
shows on the next request in every process without anyone clearing anything."""

from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import get_language

from motcua.catalog.search import current_generation

TIMEOUT = 6 * 3600


def catalog_cached(name: str, parts: tuple, build: Callable[[], object]):
    key = ":".join(["motcua", name, str(current_generation()), get_language() or "",
                    *(str(p) for p in parts)])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
