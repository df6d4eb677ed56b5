"""What every command shares: exit codes, the user-fixable error and finding the repository root.

Kept apart from `cli.py` so that sub-commands living in other packages can use them without importing the
command line itself.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UserError(Exception):
    """A problem the user can fix; the message is Chinese and shown as is."""


def find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "schema").is_dir():
            return folder
    raise UserError("找不到项目根目录（应包含 mkdocs.yml 和 schema/）。请在仓库目录中运行，或用 --root 指定。")


def root_from_args(args) -> Path:
    return Path(args.root).resolve() if args.root else find_root(Path.cwd())
