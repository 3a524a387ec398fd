"""``quota audit RUN_DIR``: recompute a run folder from its inputs, independently of the code that wrote it.

The audit shares no arithmetic with the producing path (build, model, solve, evaluate, reasons, verify,
linkage, idle) and imports no model-building or solving code. This module is its entry point and report
table: ``audit_run`` runs each section in turn, one row per check, ``format_audit`` prints them by family.
The sections, each in its own module of ``quota.check``:

- ``provenance``: the SHA-256 of every input and output against the manifest, that no file was added, that
  the files a run of this kind writes are all there and listed (``files``), and the inputs the manifest
  names read again through the scenario reader, refused where ``quota.input.validate`` refuses them;
- ``recompute``: every county's linkage numbers, restriction and its cause, caps and use (counties.csv; under earned
  linkage or dynamic restriction one row per county and year, its first-contract columns the same on each year row);
  every constraint
  residual of the allocation (allocations.csv), the restricted-county rule row by row, each project's value
  ``w`` and the objective;
- ``audit_idle``: every idle parcel's kind, class, fee and take-back (idle_parcels.csv), the county totals, and
  every finding of the idle-land check (idle_findings.csv);
- ``status``: each project's status and reason class (projects.csv);
- ``spatial`` (with ``spatial:``): every site's overlaps recomputed from the input layers against sites.csv, the
  exclusions they imply, and spatial.gpkg's layers and columns and its sites' status and reason against projects.csv;
- here: the status counts, the objective, bound and gap of summary.json, and, given the optimum of a
  re-solve (``optimum``, from ``quota.reaudit``), that the claimed objective is within the claimed gap of it.

The audit works in the scenario's own unit (every rule is linear in area, so only the objective is divided
by 15 for ``unit: mu``). The run's own CSV files are read back with ``quota.report.safety.read_csv``, which
undoes the formula-safe apostrophe (``safe_cell``) of text cells, so the audit compares true values.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Callable

import pandas as pd

from ..errors import QuotaError
from ..messages import message
from ..messages.audit import FAMILY_ZH
from ..messages.checks_more import KEY_PATTERNS, KEY_WORDS, KEY_ZH
from ..report.safety import read_csv
from ..statuses import STATUSES
from .findings import TOL_REL, Checks, texts
from .audit_past import apply_facts, check_past
from .provenance import check_files, check_hashes, read_inputs
from .audit_idle import check_parcels
from .recompute import check_allocations, check_counties, read_allocations
from .spatial import check_gpkg, check_sites
from .status import check_statuses

RESOLVE_UP_TO = 400  # projects: a re-solve of a run this size takes seconds, so it is done by default
# every family of check the audit can report, in the order it usually reports them; a section that cannot be
# recomputed fails as one check of its section's name (``hash``, ``allocation``, ...). tests/test_audit_corruption.py
# holds this equal to the families the code emits, and corrupts a run folder so that each one fails.
FAMILIES = ("hash", "hash:input", "hash:output", "files", "inputs", "county rows", "linkage", "county use", "idle",
            "idle county totals", "idle findings", "allocation", "rows", "phase whole & on time", "plan choice", "commitment", "phase order",
            "higher level", "eligibility", "advance urgent only", "stock_ok only", "restriction", "city quota", "advance cap", "farmland",
            "stock", "stock by year", "county cap", "county years", "earned quota", "restriction by year", "province reserve", "ring-fence",
            "dependency", "lock in", "value w", "objective", "status", "reason", "summary", "re-solve", "early batch",
            "fixed past", "spatial")


Optimum = Callable[[dict], "tuple[float, float | None]"]  # manifest → (best objective found, its bound), hectare units


def audit_run(run_dir: str | Path, optimum: Optimum | None = None, resolve: str = "auto") -> pd.DataFrame:
    """Audit a run folder; one row per check: family, key, ok, message (English), message_zh. ``attrs["notes"]`` says what was
    and was not done (the re-solve).

    ``optimum`` re-solves the run's scenario (``quota.reaudit.optimum``); ``resolve`` is ``on``, ``off`` or
    ``auto`` (on for runs of at most ``RESOLVE_UP_TO`` projects)."""
    run = Path(run_dir)
    try:
        manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as e:
        raise QuotaError.of("error.audit.manifest", run=run, error=type(e).__name__) from None
    c = Checks()
    c.run("hash", check_hashes, run, manifest)
    c.run("files", check_files, run, manifest)
    inp = c.run("inputs", read_inputs, manifest)
    if inp is not None:
        out = {name: run / f"{name}.csv" for name in ("counties", "allocations", "projects", "idle_parcels")}
        c.run("fixed past", apply_facts, run, manifest, inp)  # re-planning: the facts the past was fixed to
        if "facts" in inp:
            c.run("fixed past", lambda c_, path: check_past(c_, inp, read_allocations(path)), out["allocations"])
        c.run("linkage", check_counties, inp, out["counties"], out["allocations"])
        if inp["idle_parcels"] is not None or out["idle_parcels"].exists():
            c.run("idle", check_parcels, inp, run)
        c.run("allocation", check_allocations, inp, out["allocations"], out["projects"], run / "summary.json")
        c.run("status", check_statuses, inp, out["allocations"], out["projects"], manifest)
        if inp.get("sites") is not None:
            c.run("spatial", check_sites, inp, run / "sites.csv")
    if (run / "spatial.gpkg").is_file() or "spatial.gpkg" in (manifest.get("outputs") or {}):
        c.run("spatial", check_gpkg, run)
    c.run("summary", check_summary, run)
    c.run("re-solve", check_optimum, run, manifest, optimum, resolve)
    checks = pd.DataFrame(c.rows, columns=["family", "key", "ok", "message", "message_zh"])
    checks.attrs["notes"], checks.attrs["notes_zh"] = c.notes, c.notes_zh
    return checks


def format_audit(checks: pd.DataFrame, lang: str = "en") -> str:
    """One line per family (pass/FAIL, checks, failed), then the notes (re-solve), then every failed check or the
    verdict; in ``lang`` (the families by name in Chinese, quota.messages.audit; each failed check's message in the
    language, quota.messages.checks)."""
    def m(key, **fields):
        return message(key, lang, **fields)

    def name(family):
        return FAMILY_ZH.get(family, family) if lang == "zh" else family

    lines = [f"{pad(m('audit.header'), 28)} {pad(m('audit.items'), 6, True)} {pad(m('audit.failed'), 6, True)}"]
    for family, g in checks.groupby("family", sort=False):
        bad = int((~g["ok"]).sum())
        lines.append(f"{pad(m('audit.fail' if bad else 'audit.pass'), 4)}  {pad(name(family), 22)} {len(g):>6} {bad:>6}")
    failed = checks[~checks["ok"]]
    lines += [""] + list(checks.attrs.get("notes_zh" if lang == "zh" else "notes", checks.attrs.get("notes", [])))
    if len(failed):
        lines += ["", m("audit.discrepancy" if len(failed) == 1 else "audit.discrepancies", n=len(failed))]
        said = "message_zh" if lang == "zh" and "message_zh" in failed else "message"
        lines += [f"  {m('audit.fail')} {name(r.family)} {key_name(r.key, lang)}: {getattr(r, said)}" for r in failed.itertuples()]
    else:
        lines += ["", m("audit.passed", n=len(checks))]
    return "\n".join(lines)


def key_name(key: str, lang: str) -> str:
    """A check's key as the table prints it: in Chinese, the keys that are words (``total``, ``line 7``) in Chinese."""
    if lang != "zh":
        return key
    if key in KEY_ZH:
        return KEY_ZH[key]
    for pattern, zh in KEY_PATTERNS:
        if re.match(pattern, key):
            return re.sub(pattern, zh, key)
    return " ".join(KEY_WORDS.get(word, word) for word in key.split(" "))


def run_lang(run_dir: str | Path) -> str | None:
    """The language of a run folder (summary.json ``lang``), None when it does not say."""
    try:
        lang = json.loads((Path(run_dir) / "summary.json").read_text(encoding="utf-8")).get("lang")
    except (OSError, ValueError, AttributeError):
        return None
    return lang if lang in ("zh", "en") else None


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` columns of a terminal, a Chinese character taking two."""
    space = " " * max(0, width - sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text))
    return space + text if right else text + space


# ------------------------------------------------------------ summary ----

def pairs(mapping) -> str:
    """A dict of summary.json as ``key=value`` pairs, as the Chinese messages quote it."""
    return ", ".join(f"{k}={v}" for k, v in (mapping.items() if isinstance(mapping, dict) else ()))


def check_summary(c: Checks, run: Path) -> None:
    """The status counts of summary.json against projects.csv; objective ≤ bound and the gap as claimed;
    a proven optimum within the gap asked for; checks.csv has no violation and as many rows as claimed."""
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    statuses = read_csv(run / "projects.csv", dtype=str, keep_default_na=False)["status"].value_counts()
    counts = {k: int(statuses.get(k, 0)) for k in STATUSES}
    claimed = summary.get("projects") or {}
    c.add("summary", "status counts", all(int(claimed.get(k, 0)) == v for k, v in counts.items()), "check.status_counts",
          counts=(pairs(counts), counts), claimed=(pairs(claimed), claimed))
    checks = read_csv(run / "checks.csv", dtype=str, keep_default_na=False) if (run / "checks.csv").is_file() else None
    if checks is not None:
        bad = int((checks["ok"].str.lower() != "true").sum()) if "ok" in checks else len(checks)
        ver = summary.get("verification") or {}
        c.add("summary", "verification", bad == 0 and ver.get("checks") == len(checks) and ver.get("violations") == 0,
              "check.verification", n=len(checks), bad=bad, claimed=(pairs(ver), ver))
    obj, bound, gap = summary.get("objective"), summary.get("bound"), summary.get("gap")
    if summary.get("method", "optimise") == "factor" or obj is None:
        c.note("audit.not_claimed")
        return
    if bound is None:
        c.add("summary", "bound", not summary.get("proven_optimal"), "check.no_bound")
        return
    tol = TOL_REL * max(1.0, abs(obj))
    c.add("summary", "objective ≤ bound", obj <= bound + tol, "check.objective_bound", objective=f"{obj:,.6f}", bound=f"{bound:,.6f}")
    true_gap = abs(bound - obj) / max(abs(obj), 1e-9)
    c.add("summary", "gap", gap is not None and abs(gap - true_gap) <= 1e-6 + 1e-6 * true_gap, "check.gap", gap=gap,
          true_gap=f"{true_gap:.3e}")
    target = max(float(summary.get("gap_target") or 0.0), 1e-9)
    limited = summary.get("time_limit") is not None or summary.get("time_budget") is not None  # a large model's default budget
    if not limited and true_gap > target * (1 + 1e-6) + 1e-9:
        c.add("summary", "gap", False, "check.gap_target", gap=f"{true_gap:.3e}", target=f"{target:g}")
    if summary.get("proven_optimal"):
        c.add("summary", "proven optimal", true_gap <= target * (1 + 1e-6) + 1e-9, "check.proven", target=f"{target:g}",
              gap=f"{true_gap:.3e}")
    c.found.update(claimed_objective=float(obj), claimed_bound=float(bound), claimed_gap=float(true_gap))


def check_optimum(c: Checks, run: Path, manifest: dict, optimum: Optimum | None, when: str) -> None:
    """With a re-solve (``optimum``): the claimed objective within the claimed gap of the re-solved optimum,
    and the claimed bound not below it. ``when``: on, off or auto (up to RESOLVE_UP_TO projects)."""
    n = len(read_csv(run / "projects.csv", dtype=str, keep_default_na=False)) if (run / "projects.csv").is_file() else 0
    if optimum is None or when == "off" or (when == "auto" and n > RESOLVE_UP_TO):
        why = ("audit.no_solver",) if optimum is None else ("audit.no_resolve",) if when == "off" else ("audit.too_big", n)
        c.note("audit.resolve_skipped", why=tuple(message(why[0], lang, n=n, most=RESOLVE_UP_TO) for lang in ("zh", "en")))
        return
    if "claimed_objective" not in c.found:
        c.note("audit.resolve_nothing")
        return
    best, bound = optimum({**manifest, "run_dir": str(run)})  # the run folder: its facts/*.csv, for a re-plan
    obj, claimed_bound, gap = c.found["claimed_objective"], c.found["claimed_bound"], c.found["claimed_gap"]
    tol = max(c.found.get("objective_tol", 0.0), TOL_REL * max(1.0, abs(best)))
    shown = tuple("" if bound is None else message("audit.resolve_bound", lang, bound=f"{bound:,.6f}") for lang in ("zh", "en"))
    c.note("audit.resolve_done", best=f"{best:,.6f}", bound=shown, objective=f"{obj:,.6f}", gap=f"{gap:.2e}")
    ok = obj >= best - gap * abs(best) - tol
    c.add("re-solve", "objective", ok, "check.resolve_objective", objective=f"{obj:,.6f}", gap=f"{gap:.2e}", best=f"{best:,.6f}",
          worse="" if ok else texts("check.resolve_worse"))
    ok = claimed_bound >= best - tol
    c.add("re-solve", "bound", ok, "check.resolve_bound", bound=f"{claimed_bound:,.6f}", best=f"{best:,.6f}",
          false="" if ok else texts("check.bound_false"))
