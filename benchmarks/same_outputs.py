"""Show that two revisions of quota write the same run folders.

    python benchmarks/same_outputs.py REV_A REV_B [--counterfactuals auto] [--jobs 1] [--keep DIR]

Each revision (a git revision of this repository, or a folder holding a ``quota/`` source tree) is
exported to a temporary folder and run from there with this interpreter: the exported ``quota``
comes first on the path and no installed copy is used. Every bundled scenario (``scenarios/*``) and
every test fixture with a ``scenario.yaml`` (``tests/fixtures/*``) is run as ``quota run`` does by
default, and a few runs exercise the other paths (``--method factor``, ``--alternatives``). The
scenarios are those of REV_B.

The run folders are compared byte for byte, file by file, except for what differs between two runs
of the same code: ``manifest.json`` and ``summary.json`` are compared after parsing, without times
(``timings``, ``solve_seconds``, the solver's step times), versions (of quota, Python and the
libraries) and the hashes of files that are themselves compared; a CSV table is compared without
its columns of seconds (``solve_seconds``: ``alternatives/summary.csv``); an ``.xlsx`` workbook (a
zip archive that stamps each member with the time it was written) is compared member by member,
byte for byte. A run that fails must fail in both revisions with the same message.

Exit status 0 when every run folder is the same, 1 otherwise (each difference is listed).
"""
from __future__ import annotations

import argparse
import csv
import filecmp
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# keys whose values are times or versions: dropped at any depth of manifest.json / summary.json
VOLATILE = {"timings", "solve_seconds", "seconds", "created", "started", "finished", "written", "versions",
            "version", "quota_version", "python", "platform", "solver_version", "host", "elapsed"}
LAUNCH = """
import runpy, sys
tree = sys.argv.pop(1)
sys.path[:] = [tree] + [p for p in sys.path if "__editable__" not in p]
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.argv[0] = "quota"
runpy.run_module("quota", run_name="__main__", alter_sys=True)
"""


def export(rev: str, into: Path) -> Path:
    """The source tree of ``rev`` (a git revision, or a folder with quota/) under ``into``."""
    if Path(rev, "quota").is_dir():
        return Path(rev).resolve()
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "quota", "scenarios", "tests/fixtures"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def runs(tree: Path, counterfactuals: str) -> list[tuple[str, list[str]]]:
    """(name, arguments after ``quota run``) for every run to compare, scenarios from ``tree``."""
    folders = sorted(p.parent for p in (tree / "scenarios").glob("*/scenario.yaml"))
    folders += sorted(p.parent for p in (tree / "tests" / "fixtures").glob("*/scenario.yaml"))
    out = []
    for f in folders:
        rel = f.relative_to(tree).as_posix()
        out.append((rel.replace("/", "_"), [rel, "--counterfactuals", counterfactuals]))
    tiny = "tests/fixtures/tiny"
    if (tree / tiny / "scenario.yaml").exists():
        out.append(("tiny_factor", [tiny, "--method", "factor"]))
        out.append(("tiny_alternatives", [tiny, "--alternatives", "2", "--counterfactuals", counterfactuals]))
    if (tree / "scenarios" / "shijiazhuang" / "scenario.yaml").exists():
        out.append(("shijiazhuang_factor", ["scenarios/shijiazhuang", "--method", "factor"]))
    return out


def run_one(code: Path, data: Path, args: list[str], out: Path) -> tuple[int, str]:
    """``quota run`` of the source tree ``code`` on scenario paths relative to ``data``; (exit code, stderr)."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    env.pop("PYTHONPATH", None)
    p = subprocess.run([sys.executable, "-c", LAUNCH, str(code), "run", *args, "--out", str(out)],
                       cwd=data, env=env, capture_output=True, text=True)
    return p.returncode, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""


def scrub(value, compared: set[str]):
    """A JSON value without times, versions and hashes of files that are compared byte for byte."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in VOLATILE:
                continue
            if k in compared and isinstance(v, str) and len(v) == 64:  # {"file": "sha256"}
                continue
            if k in ("sha256", "hash") and isinstance(v, str):
                continue
            out[k] = scrub(v, compared)
        return out
    if isinstance(value, list):
        return [scrub(v, compared) for v in value]
    return value


def compare(a: Path, b: Path) -> list[str]:
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    diffs = [f"only in A: {f}" for f in sorted(files_a - files_b)] + [f"only in B: {f}" for f in sorted(files_b - files_a)]
    common = files_a & files_b
    for f in sorted(common):
        if f in ("manifest.json", "summary.json"):
            ja = scrub(json.loads((a / f).read_text(encoding="utf-8")), common)
            jb = scrub(json.loads((b / f).read_text(encoding="utf-8")), common)
            if ja != jb:
                diffs.append(f"{f}: {first_difference(ja, jb)}")
        elif f.endswith(".xlsx"):
            if members(a / f) != members(b / f):
                diffs.append(f"{f}: workbook members differ")
        elif f.endswith(".csv") and not filecmp.cmp(a / f, b / f, shallow=False):
            if without_seconds(a / f) != without_seconds(b / f):
                diffs.append(f"{f}: bytes differ")
        elif not filecmp.cmp(a / f, b / f, shallow=False):
            diffs.append(f"{f}: bytes differ")
    return diffs


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in sorted(z.namelist())}


def without_seconds(path: Path) -> list[list[str]]:
    """The CSV's rows without its columns of seconds (times of a run, not results)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows:
        return rows
    keep = [i for i, c in enumerate(rows[0]) if not (c == "seconds" or c.endswith("_seconds"))]
    return [[r[i] for i in keep if i < len(r)] for r in rows]


def first_difference(a, b, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k, "<missing>") != b.get(k, "<missing>"):
                return first_difference(a.get(k, "<missing>"), b.get(k, "<missing>"), f"{path}.{k}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return f"{path or '.'}: {str(a)[:120]} != {str(b)[:120]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rev_a")
    ap.add_argument("rev_b")
    ap.add_argument("--counterfactuals", default="auto", choices=["auto", "on", "off"],
                    help="as quota run (default: auto, as the default run)")
    ap.add_argument("--only", action="append", default=[], help="run only the runs whose name contains this (repeatable)")
    ap.add_argument("--keep", type=Path, help="keep the run folders here (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="quota-same-") as tmp:
        work = args.keep or Path(tmp)
        trees = {k: export(rev, Path(tmp) / f"tree_{k}") for k, rev in (("A", args.rev_a), ("B", args.rev_b))}
        bad = 0
        todo = [r for r in runs(trees["B"], args.counterfactuals) if not args.only or any(o in r[0] for o in args.only)]
        for name, run_args in todo:
            result = {}
            for k in ("A", "B"):
                result[k] = run_one(trees[k], trees["B"], run_args, work / k / name)
            (ca, ea), (cb, eb) = result["A"], result["B"]
            if ca or cb:
                same = ca == cb and ea == eb
                print(f"{'same' if same else 'DIFFERENT'}  {name}: exit {ca} / {cb}" + ("" if same else f"\n    A: {ea}\n    B: {eb}"))
                bad += not same
                continue
            diffs = compare(work / "A" / name, work / "B" / name)
            n = sum(1 for _ in (work / "A" / name).rglob("*") if _.is_file())
            print(f"{'same' if not diffs else 'DIFFERENT'}  {name}: {n} files" + "".join(f"\n    {d}" for d in diffs))
            bad += bool(diffs)
            sys.stdout.flush()
        print(f"{len(todo) - bad} of {len(todo)} runs the same")
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
