"""The `motcua` command: Django's manage.py for this project."""

import os
import sys

# `motcua catalog import FILE` reads better than `motcua catalog_import FILE`.
COMMAND_GROUPS = {"catalog", "geo", "demo", "calendar", "reports", "audit", "backup",
                  "notifications", "uploads"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 2 and argv[1] in COMMAND_GROUPS and not argv[2].startswith("-"):
        argv[1:3] = [f"{argv[1]}_{argv[2].replace('-', '_')}"]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
