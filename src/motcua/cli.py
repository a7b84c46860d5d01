"""The `motcua` command: Django's manage.py for this project."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # `motcua catalog import FILE` reads better than `motcua catalog_import FILE`.
    if len(argv) > 2 and argv[1] in {"catalog", "geo", "demo", "calendar", "reports", "audit",
                                     "notifications"} \
            and not argv[2].startswith("-"):
        argv[1:3] = [f"{argv[1]}_{argv[2].replace('-', '_')}"]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
