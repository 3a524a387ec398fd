"""Write a run folder whole or not at all: ``write_run``.

Everything is written into a hidden temporary folder beside the target and
renamed into place when complete. With ``force`` an existing folder is
replaced only after the new one is whole. Areas go out in the scenario's unit
with at least 6 decimals; ``summary.json``'s objective is in hectare units.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import pandas as pd

from ..errors import QuotaError
from .safety import inside

FLOAT_FORMAT = "%.6f"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def versions() -> dict[str, str]:
    out = {"python": sys.version.split()[0]}
    for pkg in ("quota", "pulp", "highspy", "pandas", "numpy", "networkx", "matplotlib", "click", "openpyxl", "PyYAML"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def check_target(out: Path, force: bool) -> None:
    if out.exists() and not force:
        raise QuotaError(f"the output folder {out} already exists; choose another --out, or pass --force to replace it.")
    if out.exists() and not out.is_dir():
        raise QuotaError(f"{out} exists and is not a folder; choose another --out.")


_writes = {"count": 0}
_writes_lock = threading.Condition()


@contextlib.contextmanager
def writing():
    """Mark a folder write in progress (see ``no_write_in_progress``)."""
    with _writes_lock:
        _writes["count"] += 1
    try:
        yield
    finally:
        with _writes_lock:
            _writes["count"] -= 1
            _writes_lock.notify_all()


@contextlib.contextmanager
def no_write_in_progress():
    """Wait until no folder is being written, and hold off new writes while inside: the command line's
    signal watcher (quota.cli) exits the process here, so it never leaves a half-written temporary folder."""
    with _writes_lock:
        _writes_lock.wait_for(lambda: _writes["count"] == 0)
        yield


def write_run(out: str | Path, files: dict[str, object], inputs: list[Path], manifest: dict, force: bool = False) -> Path:
    """Write ``files`` (name → DataFrame | dict | str | bytes | callable(path)) and a manifest, atomically."""
    out = Path(out).absolute()
    check_target(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    with writing():
        return _write_whole(out, files, inputs, manifest)


def _write_whole(out: Path, files: dict[str, object], inputs: list[Path], manifest: dict) -> Path:
    tmp = None
    try:  # an interrupt (KeyboardInterrupt) anywhere in here removes the temporary folder
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        for name, content in files.items():
            target = inside(tmp, name)  # a name that would leave the run folder is refused, never written
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, pd.DataFrame):
                content.to_csv(target, index=False, float_format=FLOAT_FORMAT, encoding="utf-8")
            elif isinstance(content, (dict, list)):
                target.write_text(json.dumps(content, ensure_ascii=False, indent=2, default=_json_default), encoding="utf-8")
            elif isinstance(content, str):
                target.write_text(content, encoding="utf-8")
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                content(target)
        manifest = dict(manifest)
        manifest["inputs"] = {str(p): sha256(p) for p in inputs}
        manifest["outputs"] = {str(p.relative_to(tmp)): sha256(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
        manifest["written"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        manifest["versions"] = versions()
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, default=_json_default), encoding="utf-8")
        _swap_into_place(tmp, out)
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _swap_into_place(tmp: Path, out: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes a private folder; a run folder is for everyone who may read here
    if not out.exists():
        os.rename(tmp, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        os.rename(old, out)
        raise
    try:
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:  # interrupted while removing the old folder: the new one is in place, finish removing
        shutil.rmtree(old, ignore_errors=True)
        raise


def _json_default(o):
    if hasattr(o, "item"):
        return o.item()
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if isinstance(o, (set, tuple)):
        return list(o)
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"cannot write {type(o).__name__} to JSON")
