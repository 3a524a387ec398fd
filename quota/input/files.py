"""Files: whether a file may be read at all, and its bytes (``check_file``, ``read_bytes``).

Every file a scenario names must be a regular file (not a device, FIFO or folder) no larger than
``MAX_TABLE_BYTES`` (``MAX_YAML_BYTES`` for yaml), and, where a folder is given, its real path (symlinks
followed) must stay inside it. Nothing is opened before these checks, so a FIFO cannot block. The limits are
read from this module at every use (``files.MAX_TABLE_BYTES``), so a test may lower them.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import Issue

MAX_YAML_BYTES = 1_000_000  # 1 MB for a yaml file: a scenario.yaml is a few kB
MAX_TABLE_BYTES = 200_000_000  # 200 MB for a CSV table or a workbook: over a million project rows
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def check_file(path: Path, folder: Path | None, limit: int, issues: list[Issue], what: str, named: str = "") -> bool:
    """True when ``path`` may be read: its real path (symlinks followed) is inside ``folder`` (when given), it is
    a regular file, and it holds at most ``limit`` bytes. Else False, with an issue naming the file. Nothing is
    opened, so a FIFO cannot block."""
    label = path.name or str(path)
    try:
        real = path.resolve()
        info = os.stat(real)
    except (OSError, ValueError, RuntimeError) as e:  # RuntimeError: a symlink loop on older Pythons
        issues.append(Issue("file-unreadable", label, "", named, f"the {what} cannot be read: {getattr(e, 'strerror', None) or e}.",
                            f"make {label} a readable file."))
        return False
    if folder is not None and not real.is_relative_to(folder.resolve()):
        issues.append(Issue("path-escape", label, "", named,
                            f"the {what} is a link to {real}, outside the folder {folder.resolve()}; quota reads no table "
                            "from outside the folder of the yaml file that names it (or, unnamed, the folder it is found in).",
                            f"copy the file into {folder.resolve()} instead of linking to it."))
        return False
    kind = next((text for test, text in _KINDS if test(info.st_mode)), None if stat.S_ISREG(info.st_mode) else "not a regular file")
    if kind is not None:
        issues.append(Issue("not-a-file", label, "", named, f"the {what} is {kind}, not a regular file; quota reads only files saved on disk.",
                            f"give a {what} saved as an ordinary file."))
        return False
    if info.st_size > limit:
        issues.append(Issue("file-too-large", label, "", named,
                            f"the {what} is {info.st_size / 1e6:,.1f} MB, more than the {limit / 1e6:g} MB quota reads from one "
                            f"{what}: it is probably not the file meant, or is damaged.",
                            "check the file; a genuinely larger input needs the limit in quota.input.files "
                            f"({'MAX_YAML_BYTES' if limit == MAX_YAML_BYTES else 'MAX_TABLE_BYTES'}) raised."))
        return False
    return True


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (checked again on the open file: never blocks on a FIFO)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(21, "it is not a regular file", str(path))
        data = f.read(limit + 1)
    if len(data) > limit:
        raise OSError(27, f"it is larger than {limit / 1e6:g} MB", str(path))
    return data
