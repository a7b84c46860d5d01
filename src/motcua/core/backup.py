"""Backup and restore of a whole installation: the database and the uploaded files, with a
manifest that lets the restore prove it got everything back.

SQLite is copied with SQLite's online backup (consistent while the site runs); PostgreSQL with
pg_dump's custom format. Files on local disk are copied; files in object storage are left to
the storage's own versioning and replication (documented in docs/operations.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection, connections
from django.utils import timezone

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _counts() -> dict[str, int]:
    from motcua.dossiers.models import Attachment, Dossier, DossierEvent

    return {"dossiers": Dossier.objects.count(), "events": DossierEvent.objects.count(),
            "attachments": Attachment.objects.count()}


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    at = f"{user}{password}@" if user else ""
    return f"postgresql://{at}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def _tool(name: str) -> str:
    """PostgreSQL's own client, found on the PATH (its version must match the server's)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client)")
    return path


def _media_root() -> Path | None:
    storage = storages["default"]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def backup_create(*, target: Path) -> dict:
    target = Path(target)
    target.mkdir(parents=True, exist_ok=False)
    engine = connection.vendor
    if engine == "sqlite":
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        copy = sqlite3.connect(target / "database.sqlite3")
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
    elif engine == "postgresql":
        subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file",  # noqa: S603
                        str(target / "database.dump"), _database_url()], check=True)
    else:  # pragma: no cover - only the two engines are supported
        raise BackupError(f"no backup for {engine}")
    files = {}
    media = _media_root()
    if media and media.exists():
        shutil.copytree(media, target / "media")
        for path in sorted((target / "media").rglob("*")):
            if path.is_file():
                files[str(path.relative_to(target / "media"))] = _sha256(path)
    manifest = {
        "created_at": timezone.now().isoformat(), "engine": engine, "counts": _counts(),
        "files": files, "files_in_object_storage": media is None,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def backup_restore(*, source: Path) -> dict:
    """Put a backup back in place of the current data. Stop the web and worker processes
    first: a restore replaces everything."""
    source = Path(source)
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    engine = connection.vendor
    if manifest["engine"] != engine:
        raise BackupError(f"this backup is of {manifest['engine']}, the site runs {engine}")
    connections.close_all()
    if engine == "sqlite":
        database = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source / "database.sqlite3", database)
    else:
        subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",  # noqa: S603
                        "--single-transaction", "--dbname", _database_url(),
                        str(source / "database.dump")], check=True)
    media = _media_root()
    if media is not None and (source / "media").exists():
        if media.exists():
            shutil.rmtree(media)
        shutil.copytree(source / "media", media)
    problems = []
    counts = _counts()
    if counts != manifest["counts"]:
        problems.append(f"counts differ: backup {manifest['counts']}, restored {counts}")
    if media is not None:
        for name, digest in manifest["files"].items():
            path = media / name
            if not path.exists() or _sha256(path) != digest:
                problems.append(f"file {name} is missing or different")
    from motcua.dossiers.audit import chains_verify

    breaks = [str(b) for b in chains_verify() if not isinstance(b, int)]
    problems.extend(breaks)
    if problems:
        raise BackupError("; ".join(problems[:20]))
    return {"counts": counts, "files": len(manifest["files"]),
            "restored_at": dt.datetime.now(dt.UTC).isoformat()}
