"""Write a run folder whole or not at all: ``write_run``; the one rule for output folders (``check_target``)
and their default places (``default_run_folder``, ``default_sweep_folder``, ``default_compare_folder``).

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
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import pandas as pd

from ..errors import QuotaError
from ..messages import both
from .safety import inside, write_csv

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


KINDS = ("run", "comparison", "sweep", "scenario", "ledger", "idle_audit")  # named by error.out.kind.<kind>


def default_run_folder(scenario: str | Path | None) -> Path:
    """``runs/<scenario name>``: where ``quota run`` writes without ``--out`` (``runs/default`` for the bundled scenario)."""
    return Path("runs") / ((scenario and Path(scenario).stem) or "default")


def default_sweep_folder(scenario: str | Path) -> Path:
    """``sweeps/<scenario name>``: where ``quota sweep`` writes without ``--out``."""
    return Path("sweeps") / Path(scenario).stem


def default_compare_folder(run_a: str | Path, run_b: str | Path) -> Path:
    """``compare-<A>-<B>`` beside run B: where ``quota compare`` writes without ``--out``."""
    a, b = Path(run_a).absolute(), Path(run_b).absolute()
    return b.parent / f"compare-{a.name}-{b.name}"


def output_kind(folder: Path) -> str | None:
    """The kind of quota output ``folder`` is, from its ``manifest.json`` (``kind``), or None if it is none.
    A manifest written before the ``kind`` key existed is recognised by its keys."""
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict):
        if data.get("kind") in KINDS:
            return data["kind"]
        if "kind" not in data and isinstance(data.get("outputs"), dict):
            if "compare" in data:
                return "comparison"
            if "scenario_path" in data:
                return "run"
    try:  # a sweep folder written before its manifest.json existed
        old = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return "sweep" if isinstance(old, dict) and {"scenario", "solve"} <= set(old) else None


def _listed_outputs(folder: Path) -> set[str] | None:
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    outputs = data.get("outputs") if isinstance(data, dict) else None
    return set(outputs) | {"manifest.json"} if isinstance(outputs, dict) else None


def _real(path: str | Path) -> Path:
    return Path(os.path.realpath(Path(path).expanduser()))


def _some(names: list[str], k: int = 5) -> dict[str, str]:
    """The first ``k`` names, and how many more, in both languages: the fields ``some`` and ``some_zh``."""
    more = len(names) - k
    zh, en = both("error.more", n=more) if more > 0 else ("", "")
    return {"some": ", ".join(names[:k]) + en, "some_zh": ", ".join(names[:k]) + zh}


def _kind(name: str, kind: str | None) -> dict[str, str]:
    """The kind of output folder ``kind`` in both languages: the fields ``name`` and ``name_zh``."""
    zh, en = both(f"error.out.kind.{kind}") if kind else ("", "")
    return {name: en, name + "_zh": zh}


def check_target(out: str | Path, force: bool, kind: str, inputs=(), *, resume: bool = False) -> Path:
    """The one rule for every output folder (run, comparison, sweep, generated scenario); returns ``out`` absolute.

    - ``out`` may never be one of the command's ``inputs`` (files or folders: the scenario folder, a table,
      an extends file, a workbook, a run folder given to compare, a grid file), nor hold one (an ancestor
      folder of an input): writing there would destroy it, with or without ``--force``.
    - A folder that does not exist, or an empty one, may be written.
    - ``resume`` (a sweep): an existing folder of the same ``kind`` is written into, never replaced.
    - Otherwise an existing folder is replaced only with ``force``, and only if it is a quota output of the
      same ``kind`` (its manifest.json says so) holding no file its manifest does not list. Anything else
      is refused even with ``force``: quota never deletes what it did not write.
    Called before the work starts (a long solve must not end in a refusal) and again just before writing."""
    what = _kind("what", kind)
    out = Path(out).expanduser().absolute()
    real = _real(out)
    for item in inputs:
        if item is None:
            continue
        src = _real(item)
        if src == real:
            raise QuotaError.of("error.out.is_input", out=out, item=item)
        if real in src.parents:
            raise QuotaError.of("error.out.holds_input_" + ("writing" if resume else "replacing"), out=out, item=item)
    if not out.exists() and not out.is_symlink():
        return out
    if not out.is_dir():
        raise QuotaError.of("error.out.not_a_folder", out=out)
    entries = sorted(p.name for p in out.iterdir())
    found = output_kind(out)
    if resume:
        if found == kind or not entries:
            return out
        raise QuotaError.of("error.out.resume_other" if found else "error.out.resume_unknown", out=out, **what,
                            **_kind("found", found), **_some(entries))
    if not force:
        raise QuotaError.of("error.out.exists", out=out)
    if not entries:
        return out
    if found is None:
        raise QuotaError.of("error.out.not_quota", out=out, **_some(entries))
    if found != kind:
        raise QuotaError.of("error.out.other_kind", out=out, **what, **_kind("found", found))
    listed = _listed_outputs(out)
    if listed is not None:
        extra = sorted(str(p.relative_to(out)) for p in out.rglob("*") if not p.is_dir() and str(p.relative_to(out)) not in listed)
        if extra:
            raise QuotaError.of("error.out.foreign_files", out=out, **_some(extra))
    return out


# ------------------------------------------------- temporary folders ----
# A folder is written into a hidden temporary folder ``.NAME.tmp-<pid>-<random>`` beside its target, holding a
# marker file ``.quota-partial`` (pid, host, start time) from its first moment, then renamed into place.
# With --force the folder it replaces is first renamed aside to ``.NAME.old-<pid>-<random>``. A process killed
# outright (kill -9, power loss) leaves these behind; ``clean_stale`` removes them at the start of the next
# write into the same parent folder, but only those that are ours (the name pattern AND the marker, or a
# quota manifest.json) and old (their process is gone, or untouched for STALE_SECONDS).

MARKER = ".quota-partial"
STALE_SECONDS = 3600
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<what>tmp|old)-(?P<pid>\d+)-[A-Za-z0-9_]+$")


def make_temp(out: Path) -> Path:
    """A new temporary folder beside ``out``, with its marker written first."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent))
    try:
        (tmp / MARKER).write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}),
                                  encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _stale(path: Path, pid: int, host: str | None, now: float) -> bool:
    if pid == os.getpid():
        return False
    try:
        age = now - max(path.stat().st_mtime, path.stat().st_ctime)
    except OSError:
        return False
    if age > STALE_SECONDS:
        return True
    return host in (None, socket.gethostname()) and not _alive(pid)


def clean_stale(parent: Path) -> list[Path]:
    """Remove the stale temporary folders of quota writes in ``parent`` (see above); returns them.
    A stale ``.NAME.old-*`` whose ``NAME`` no longer exists holds the previous folder of a replacement cut
    short between its two renames: it is put back as ``NAME`` instead of removed."""
    removed: list[Path] = []
    try:
        entries = list(Path(parent).iterdir())
    except OSError:
        return removed
    now = time.time()
    for path in entries:
        m = _TEMP.match(path.name)
        if not m or path.is_symlink() or not path.is_dir():
            continue
        host = None
        if m["what"] == "tmp":
            try:
                info = json.loads((path / MARKER).read_text(encoding="utf-8"))
                host = info.get("host")
            except (OSError, ValueError, AttributeError):
                if output_kind(path) is None:  # no marker and no manifest: not ours
                    continue
        elif output_kind(path) is None:  # an old folder is a quota output moved aside
            continue
        if not _stale(path, int(m["pid"]), host, now):
            continue
        target = path.with_name(m["name"])
        if m["what"] == "old" and not target.exists() and not target.is_symlink():
            with contextlib.suppress(OSError):
                os.rename(path, target)
                continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


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
    signal watcher (quota.commands.cli) exits the process here, so it never leaves a half-written temporary folder."""
    with _writes_lock:
        _writes_lock.wait_for(lambda: _writes["count"] == 0)
        yield


def write_run(out: str | Path, files: dict[str, object], inputs: list[Path], manifest: dict, force: bool = False,
              protect=()) -> Path:
    """Write ``files`` (name → DataFrame | dict | str | bytes | callable(path)) and a manifest, atomically.

    ``manifest["kind"]`` (default "run") names the kind of folder; ``check_target`` is applied with it, with
    ``inputs`` and ``protect`` (more paths, such as the scenario folder, that the folder must not be nor hold)."""
    manifest = {"kind": "run", **manifest}
    out = check_target(out, force, manifest["kind"], [*inputs, *protect])
    out.parent.mkdir(parents=True, exist_ok=True)
    with writing():
        clean_stale(out.parent)
        return _write_whole(out, files, inputs, manifest)


def _write_whole(out: Path, files: dict[str, object], inputs: list[Path], manifest: dict) -> Path:
    tmp = None
    try:  # an interrupt (KeyboardInterrupt) anywhere in here removes the temporary folder
        tmp = make_temp(out)
        for name, content in files.items():
            target = inside(tmp, name)  # a name that would leave the run folder is refused, never written
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, pd.DataFrame):
                write_csv(content, target, FLOAT_FORMAT)  # text cells formula-safe (quota.report.safety)
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
        manifest["outputs"] = {str(p.relative_to(tmp)): sha256(p) for p in sorted(tmp.rglob("*"))
                               if p.is_file() and p != tmp / MARKER}
        manifest["written"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        manifest["versions"] = versions()
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, default=_json_default), encoding="utf-8")
        swap_into_place(tmp, out)
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def swap_into_place(tmp: Path, out: Path) -> None:
    """Rename the finished ``tmp`` to ``out`` (its marker removed); an existing ``out`` is moved aside first
    and removed once the new folder is in place."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes a private folder; a run folder is for everyone who may read here
    (tmp / MARKER).unlink()  # from here the folder is recognised as ours by its manifest.json
    if not out.exists():
        os.rename(tmp, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
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
