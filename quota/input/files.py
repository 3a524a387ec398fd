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
from ..messages import both

MAX_YAML_BYTES = 1_000_000  # 1 MB for a yaml file: a scenario.yaml is a few kB
MAX_TABLE_BYTES = 200_000_000  # 200 MB for a CSV table or a workbook: over a million project rows
_KINDS = ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "fifo"), (stat.S_ISCHR, "char"), (stat.S_ISBLK, "block"),
          (stat.S_ISSOCK, "socket"))  # input.kind.<name> in the catalogue


def check_file(path: Path, folder: Path | None, limit: int, issues: list[Issue], what: str, named: str = "") -> bool:
    """True when ``path`` may be read: its real path (symlinks followed) is inside ``folder`` (when given), it is
    a regular file, and it holds at most ``limit`` bytes. Else False, with an issue naming the file. Nothing is
    opened, so a FIFO cannot block."""
    label = path.name or str(path)
    try:
        real = path.resolve()
        info = os.stat(real)
    except (OSError, ValueError, RuntimeError) as e:  # RuntimeError: a symlink loop on older Pythons
        issues.append(Issue.of("input.file-unreadable", label, "", named, **_what(what), reason=getattr(e, "strerror", None) or e,
                               label=label))
        return False
    if folder is not None and not real.is_relative_to(folder.resolve()):
        issues.append(Issue.of("input.path-escape", label, "", named, **_what(what), real=real, folder=folder.resolve()))
        return False
    kind = next((text for test, text in _KINDS if test(info.st_mode)), None if stat.S_ISREG(info.st_mode) else "other")
    if kind is not None:
        kind_zh, kind_en = both(f"input.kind.{kind}")
        issues.append(Issue.of("input.not-a-file", label, "", named, **_what(what), kind=kind_en, kind_zh=kind_zh))
        return False
    if info.st_size > limit:
        issues.append(Issue.of("input.file-too-large", label, "", named, **_what(what), size=f"{info.st_size / 1e6:,.1f}",
                               limit=f"{limit / 1e6:g}", name="MAX_YAML_BYTES" if limit == MAX_YAML_BYTES else "MAX_TABLE_BYTES"))
        return False
    return True


def _what(what: str) -> dict[str, str]:
    """The kind of input file in both languages: ``what`` (workbook, yaml file, fact file, <name> table, <key> layer)
    and ``what_zh``, from the catalogue's ``input.what.*``."""
    name, _, noun = what.rpartition(" ")
    key = {"table": "input.what.table", "layer": "input.what.layer"}.get(noun)
    zh, en = both(key, name=name) if key else both("input.what." + what.replace(" ", "_"))
    return {"what": en, "what_zh": zh}


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
