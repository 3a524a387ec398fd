"""The sweep folder on disk: ``points/<name>`` written whole or not at all (``write_point``, ``is_done``),
and ``sweep.json``, the record of what each done point was solved with (the scenario, the SHA-256 of every
input, every option: ``point_record``), so that a point is reused only when this command would solve it the
same way (``describe_difference``, ``reuse_refusal``). Only the sweep's own process writes here.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

from ..errors import QuotaError
from ..messages import both, message
from ..report.write import make_temp, swap_into_place
from ..solve.solution import SolveOptions
from .sweep_grid import Point

POINTS = "points"


def write_point(points: Path, result: dict) -> Path:
    """Write a point's files into ``points/<name>`` whole or not at all (rename of a finished folder);
    a folder of the same name (a point solved again) is replaced."""
    target = points / result["name"]
    tmp = make_temp(target)
    try:
        for rel, data in result["files"].items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        swap_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def is_done(folder: Path) -> bool:
    return (folder / "summary.json").is_file()


def point_record(scenario: str, inputs: dict[str, str], opts: SolveOptions, lang, method: str, full_report: bool,
                 point: Point) -> dict:
    """Everything a point's result depends on: the scenario, the hash of every input file, every option."""
    options = {"method": method, "lang": lang, **asdict(opts), "full_reports": bool(full_report),
               "set": [o.text for o in point.overrides]}
    return json.loads(json.dumps({"scenario": scenario, "inputs": inputs, "options": options}, default=str))


def describe_difference(old: dict | None, new: dict) -> list[str]:
    """What differs between the record a point was solved with and this command's, one phrase per file or
    option, old and new, each in both languages (zh, en); [] when they match."""
    if not isinstance(old, dict):
        return [both("error.sweep.differ.unreadable")]
    out = []
    if old.get("scenario") != new["scenario"]:
        out.append(both("error.sweep.differ.scenario", old=old.get("scenario"), new=new["scenario"]))
    was, now = old.get("inputs") or {}, new["inputs"]
    for path in sorted(set(was) | set(now)):
        if path not in now:
            out.append(both("error.sweep.differ.input_gone", path=path))
        elif path not in was:
            out.append(both("error.sweep.differ.input_new", path=path))
        elif was[path] != now[path]:
            out.append(both("error.sweep.differ.input_changed", path=path, old=was[path][:12], new=now[path][:12]))
    was, now = old.get("options") or {}, new["options"]
    for key in sorted(set(was) | set(now)):
        if was.get(key) != now.get(key):
            out.append(both("error.sweep.differ.option", key=key, old=repr(was.get(key)), new=repr(now.get(key))))
    return out


def reuse_refusal(folder: Path, differ: dict[str, list[tuple[str, str]]]) -> QuotaError:
    """The error refusing to reuse points solved otherwise: how many, grouped by what differs."""
    groups: dict[tuple, list[str]] = {}
    for name, what in differ.items():
        groups.setdefault(tuple(what), []).append(name)
    lines = {"zh": [], "en": []}
    for what, names in groups.items():
        more = len(names) - 3
        for i, lang in enumerate(("zh", "en")):
            shown = ", ".join(names[:3]) + (message("error.more", lang, n=more) if more > 0 else "")
            lines[lang].append(message("error.sweep.group", lang, n=len(names), shown=shown,
                                       what=(";" if lang == "zh" else "; ").join(w[i] for w in what)))
    return QuotaError.of("error.sweep.reuse", folder=folder, n=len(differ), lines="\n".join(lines["en"]),
                         lines_zh="\n".join(lines["zh"]))


def open_sweep_folder(folder: Path, scenario: str, grid: dict) -> dict:
    """Create the sweep folder (manifest.json ``kind: sweep``) and read its state, sweep.json."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "manifest.json").exists():
        atomic_text(folder / "manifest.json", json.dumps({"kind": "sweep", "state": "sweep.json"}, indent=2))
    try:
        state = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    if not isinstance(state, dict):
        state = {}
    state = {"kind": "sweep", "scenario": scenario, "grid": grid,
             "points": state.get("points") if isinstance(state.get("points"), dict) else {},
             "records": state.get("records") if isinstance(state.get("records"), dict) else {}}
    save_state(folder, state)
    return state


def record_point(folder: Path, state: dict, name: str, record: dict | None) -> None:
    """Set (or, with None, drop) the record of what point ``name`` was solved with, in sweep.json."""
    if record is None:
        state["points"].pop(name, None)
    else:
        digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:16]
        state["records"][digest] = record
        state["points"][name] = digest
    used = set(state["points"].values())
    state["records"] = {k: v for k, v in state["records"].items() if k in used}
    save_state(folder, state)


def save_state(folder: Path, state: dict) -> None:
    atomic_text(folder / "sweep.json", json.dumps(state, ensure_ascii=False, indent=2, default=str))


def atomic_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
