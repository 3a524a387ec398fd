"""A forger's tools for the audit's tests: edit a copy of a run folder, then make the manifest agree.

``reseal`` recomputes the SHA-256 of every output in manifest.json, so the hash checks no longer give an edit
away; ``reseal_inputs`` moves the run's inputs to a folder the test may change and records their new hashes;
``set_override`` changes the ``--set`` overrides the manifest records, which the audit applies to the inputs.
tests/test_forgery.py and tests/test_audit_corruption.py use them.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd

from quota.report.safety import read_csv


def manifest(run: Path) -> dict:
    return json.loads((run / "manifest.json").read_text(encoding="utf-8"))


def save_manifest(run: Path, m: dict) -> None:
    (run / "manifest.json").write_text(json.dumps(m, ensure_ascii=False, indent=2), encoding="utf-8")


def reseal(run: Path) -> None:
    """What a forger does after editing: the manifest lists exactly the files now there, with their hashes."""
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"] = {str(p.relative_to(run)): hashlib.sha256(p.read_bytes()).hexdigest()
                           for p in sorted(run.rglob("*")) if p.is_file() and p.name != "manifest.json"}
    (run / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def table(run: Path, name: str) -> pd.DataFrame:
    return read_csv(run / name, dtype=str, keep_default_na=False)


def save(run: Path, name: str, t: pd.DataFrame) -> None:
    from quota.report.safety import write_csv

    write_csv(t, run / name, None)


def summary(run: Path) -> dict:
    return json.loads((run / "summary.json").read_text(encoding="utf-8"))


def save_summary(run: Path, s: dict) -> None:
    (run / "summary.json").write_text(json.dumps(s, ensure_ascii=False, indent=2), encoding="utf-8")


def set_override(run: Path, **overrides) -> None:
    """Record ``--set`` overrides in the manifest (merged into the scenario's yaml, as ``quota run --set`` does)."""
    m = manifest(run)
    m["overrides"] = {**(m.get("overrides") or {}), **overrides}
    save_manifest(run, m)


def move_inputs(run: Path, folder: Path) -> Path:
    """Copy the run's inputs into ``folder`` and point the manifest at the copies (hashes unchanged: the copies
    are the same); the test then edits a copy and calls ``reseal_inputs``."""
    m = manifest(run)
    folder.mkdir(parents=True)
    for name in m["inputs"]:
        shutil.copy(name, folder / Path(name).name)
    m["inputs"] = {str(folder / Path(k).name): v for k, v in m["inputs"].items()}
    save_manifest(run, m)
    return folder


def reseal_inputs(run: Path) -> None:
    """What a forger does after editing an input: the manifest records its new hash."""
    m = manifest(run)
    m["inputs"] = {k: hashlib.sha256(Path(k).read_bytes()).hexdigest() for k in m["inputs"]}
    save_manifest(run, m)
