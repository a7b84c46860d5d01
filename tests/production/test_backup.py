"""A backup restored over a damaged installation gives back every dossier, event and file,
and the restore proves it (counts, file hashes, event chains)."""

import shutil
import subprocess

from tests.production.test_task_backends import SUBMIT
from tests.scratch import last_json, motcua, run_script, scratch_env

COUNTS = """
import django, json
django.setup()
from motcua.dossiers.models import Attachment, Dossier
print(json.dumps({"dossiers": Dossier.objects.count(),
                  "attachments": Attachment.objects.count()}))
"""


def test_backup_then_restore_after_damage(tmp_path_factory):
    var = tmp_path_factory.mktemp("backup-site")
    env = scratch_env(var, "_backup")
    run_script(dict(env, COUNT="3"), SUBMIT)
    before = last_json(run_script(env, COUNTS))
    assert before["attachments"] > 0
    target = tmp_path_factory.mktemp("backups") / "today"
    subprocess.run([motcua(), "backup", "create", str(target)], env=env, cwd=var, check=True,
                   stdout=subprocess.DEVNULL)
    # Damage: more dossiers after the backup, and the uploaded files lost.
    run_script(dict(env, COUNT="2"), SUBMIT)
    shutil.rmtree(var / "media")
    restored = subprocess.run([motcua(), "backup", "restore", str(target)], env=env, cwd=var,
                              capture_output=True, text=True)
    assert restored.returncode == 0, restored.stderr
    assert "every event chain is whole" in restored.stdout
    assert last_json(run_script(env, COUNTS)) == before


def test_a_backup_that_does_not_match_is_reported(tmp_path_factory):
    var = tmp_path_factory.mktemp("backup-bad")
    env = scratch_env(var, "_backupbad")
    run_script(dict(env, COUNT="1"), SUBMIT)
    target = tmp_path_factory.mktemp("backups") / "broken"
    subprocess.run([motcua(), "backup", "create", str(target)], env=env, cwd=var, check=True,
                   stdout=subprocess.DEVNULL)
    victim = next(p for p in (target / "media").rglob("*") if p.is_file())
    victim.write_bytes(b"not the same file")
    restored = subprocess.run([motcua(), "backup", "restore", str(target)], env=env, cwd=var,
                              capture_output=True, text=True)
    assert restored.returncode != 0
    assert "is missing or different" in restored.stderr
