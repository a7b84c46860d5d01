"""Health (the process answers) and readiness (it can serve: database reachable and migrated,
cache and file storage usable), for load balancers and orchestrators."""

import logging

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return "migrations pending"
    return "ok"


def _cache() -> str:
    cache.set("motcua:ready", "1", 10)
    return "ok" if cache.get("motcua:ready") == "1" else "cache does not keep values"


def _storage() -> str:
    default_storage.exists("readiness-probe")
    return "ok"


CHECKS = {"database": _database, "cache": _cache, "storage": _storage}


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # a probe reports, it never raises
            logger.warning("readiness check %s failed: %s", name, type(exc).__name__)
            results[name] = f"unavailable ({type(exc).__name__})"
    ready = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": results},
                        status=200 if ready else 503)
