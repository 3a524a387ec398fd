"""``quota audit RUN_DIR``: recompute a run folder from its inputs, independently of the code that wrote it.

The audit shares no arithmetic with the producing path (build, model, solve, evaluate, reasons, verify,
linkage, idle). It reads the inputs named in the run's ``manifest.json`` through the scenario reader
(``quota.input.read.read_raw``: the same bounded yaml loader, ``extends`` cycle check, containment and size
limits as every run) and refuses whatever ``quota.input.validate`` refuses; from the raw text cells it then
computes everything itself. It works in the scenario's own unit (every rule is linear in area, so only
the objective is divided by 15 for ``unit: mu``), and checks:

- the SHA-256 of every input and output against the manifest, that no file was added, and that the
  files a run of this kind writes are all there and listed (``files``);
- every county's linkage numbers, restriction and its cause, caps and use (counties.csv);
- every idle parcel's classification and fee (idle_parcels.csv), and the county totals;
- every constraint residual of the allocation (allocations.csv), the restricted-county rule row by
  row, each project's value ``w``, status and reason class (projects.csv), the status counts, and the
  objective, bound and gap (summary.json);
- given the optimum of a re-solve (``optimum``, from ``quota.reaudit``; this module imports no
  model-building or solving code), that the claimed objective is within the claimed gap of it.

The run's own CSV files are read back with ``quota.report.safety.read_csv``, which undoes the formula-safe
apostrophe (``safe_cell``) of text cells, so the audit compares true values.
"""
from __future__ import annotations

import calendar
import copy
import datetime as dt
import hashlib
import json
import re
import string
import unicodedata
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..statuses import STATUSES
from ..errors import QuotaError, ScenarioError
from ..input.read import merge, read_raw
from ..report.safety import read_csv
from ..input.validate import validate

TOL_REL, TOL_ABS = 1e-6, 2e-6  # output tables carry 6 decimals
RESOLVE_UP_TO = 400  # projects: a re-solve of a run this size takes seconds, so it is done by default
TABLES = ("counties", "projects", "phases", "dependencies", "idle_parcels")
ALIASES = {"工业": "industry", "基础设施": "infrastructure", "民生": "livelihood", "商服": "commerce", "文旅": "tourism",
           "住宅": "housing", "其他": "other"}
TRUE = {"true", "1", "yes", "是", "y", "t"}
HIGHER = {"provincial", "national"}
COUNTY_NUMBERS = ("unsupplied_stock", "idle_stock", "unsupplied_task", "idle_task", "unsupplied_disposed", "idle_disposed",
                  "usable_stock", "overplan", "cap_base")
DEFAULTS = {  # docs/scenario-format.md
    "unit": "ha", "farmland_quota": None, "carry_over": 0.0, "delay_discount": 0.9, "key_projects_outside_budget": True,
    "advance": {"max_share": 0.5, "cost": 0.05, "last_year": False}, "phasing": {"min_gap": 1, "commit": "all"},
    "scoring": {"weights": {"investment_intensity": 1.0, "tax_intensity": 1.0, "jobs_intensity": 0.5}, "urgent_bonus": 0.5,
                "key_bonus": {"none": 0.0, "city": 0.3, "provincial": 0.5, "national": 0.5}},
    "linkage": {"penalty": 1.0, "bonus": 0.10, "cut": 0.20, "restrict_below": 0.15, "restrict_on_overplan": True,
                "exempt_categories": ["livelihood", "infrastructure"], "stock_credit": 0.1},
    "idle_land": {"assessment_date": None, "fee_rate": 0.2, "fee_years": 1, "reclaim_years": 2},
}
# the files every run folder holds; a full report adds FULL_REPORT and the figures report.html shows;
# the optimiser adds OPTIMISER (the factor method has no duals)
ALWAYS = ("allocations.csv", "projects.csv", "counties.csv", "plans.csv", "summary.json", "checks.csv", "report.md")
FULL_REPORT = ("report.html", "report.xlsx")
OPTIMISER = ("constraints.csv", "shadow_prices.csv")
# the opening of each reason class, as quota/explain/reasons.py words it (tests/test_forgery.py keeps the two in step);
# the reason of a status must be of one of its classes, and the numbers it names must be the allocation's
REASON_TEMPLATES = {
    'zh': {
        'not_ready': '项目未就绪(ready=否),不是真实可落地项目,不参与配置',
        'lock_out': '已锁定排除(lock=out)',
        'dependency': '所依赖的项目 {via} 被排除,本项目随之排除',
        'higher_level': '{level}重点项目,由上级计划指标保障,不占用市级指标;第 1 期安排在 {year} 年',
        'approved': '{year} 年按最早年份获批',
        'deferred': '推迟 {k} 年,于 {year} 年获批(最早可批 {e} 年)',
        'partial': '第 1 期于 {year} 年获批,规划期内获批 {m}/{K} 期',
        'restricted': '所在县({county})被限批:',
        'beyond_horizon': '最早可批年份 {e} 年晚于规划期末 {last} 年',
        'requires_unapproved': '所依赖的项目 {q} 未在规划期内获批',
        'outcompeted': '未获批:每公顷净值 ',
        'factor_allowance': '因素法:{county}分得的 {y} 年指标已按 w 从高到低用于其他项目',
    },
    'en': {
        'not_ready': 'not ready (ready = false): not a real, ready project, so not eligible',
        'lock_out': 'locked out (lock = out)',
        'dependency': 'requires {via}, which is excluded, so this project is excluded too',
        'higher_level': '{level} key project, covered by higher-level quota and not charged to the city; phase 1 placed in {year}',
        'approved': 'approved in its earliest year {year}',
        'deferred': 'deferred {k} year(s) to {year} (earliest {e})',
        'partial': 'phase 1 approved in {year}, {m} of {K} phases approved',
        'restricted': 'its county ({county}) is restricted: ',
        'beyond_horizon': 'earliest year {e} is after the horizon ends in {last}',
        'requires_unapproved': 'requires {q}, which is not approved within the horizon',
        'outcompeted': 'not approved: net value ',
        'factor_allowance': "factor method: {county}'s allowance for {y} went to projects of higher w first",
    },
}
REASON_CLASSES = {"excluded": ("not_ready", "lock_out", "dependency"), "higher_level": ("higher_level",),
                  "approved": ("approved",), "deferred": ("deferred",), "partial": ("partial",),
                  "rejected": ("beyond_horizon", "restricted", "requires_unapproved", "outcompeted", "factor_allowance")}


class Checks:
    def __init__(self):
        self.rows: list[dict] = []
        self.notes: list[str] = []
        self.found: dict = {}  # what one section recomputed for a later one (the objective)

    def add(self, family: str, key, ok: bool, message: str = "") -> None:
        self.rows.append({"family": family, "key": str(key), "ok": bool(ok), "message": message})

    def run(self, family: str, fn, *args):
        """Run one section; a section that cannot be recomputed is a failed check, not a traceback."""
        try:
            return fn(self, *args)
        except Exception as e:  # noqa: BLE001 - an audit reports every failure as a check
            self.add(family, "-", False, f"could not be recomputed: {type(e).__name__}: {e}")
            return None


Optimum = Callable[[dict], "tuple[float, float | None]"]  # manifest → (best objective found, its bound), hectare units


def audit_run(run_dir: str | Path, optimum: Optimum | None = None, resolve: str = "auto") -> pd.DataFrame:
    """Audit a run folder; one row per check: family, key, ok, message. ``attrs["notes"]`` says what was
    and was not done (the re-solve).

    ``optimum`` re-solves the run's scenario (``quota.reaudit.optimum``); ``resolve`` is ``on``, ``off`` or
    ``auto`` (on for runs of at most ``RESOLVE_UP_TO`` projects)."""
    run = Path(run_dir)
    try:
        manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as e:
        raise QuotaError(f"{run} is not a readable run folder: manifest.json ({type(e).__name__}). "
                         "Give the folder that `quota run --out` wrote.") from None
    c = Checks()
    c.run("hash", check_hashes, run, manifest)
    c.run("files", check_files, run, manifest)
    inp = c.run("inputs", read_inputs, manifest)
    if inp is not None:
        out = {name: run / f"{name}.csv" for name in ("counties", "allocations", "projects", "idle_parcels")}
        c.run("linkage", check_counties, inp, out["counties"], out["allocations"])
        if inp["idle_parcels"] is not None or out["idle_parcels"].exists():
            c.run("idle", check_parcels, inp, out["idle_parcels"], out["counties"])
        c.run("allocation", check_allocations, inp, out["allocations"], out["projects"], run / "summary.json")
        c.run("status", check_statuses, inp, out["allocations"], out["projects"], manifest)
    c.run("summary", check_summary, run)
    c.run("re-solve", check_optimum, run, manifest, optimum, resolve)
    checks = pd.DataFrame(c.rows, columns=["family", "key", "ok", "message"])
    checks.attrs["notes"] = c.notes
    return checks


def format_audit(checks: pd.DataFrame) -> str:
    """One line per family (PASS/FAIL, checks, failed), then every failed check, then the notes (re-solve)."""
    lines = [f"{'':4}  {'check':<22} {'items':>6} {'failed':>6}"]
    for family, g in checks.groupby("family", sort=False):
        bad = int((~g["ok"]).sum())
        lines.append(f"{'FAIL' if bad else 'pass':4}  {family:<22} {len(g):>6} {bad:>6}")
    failed = checks[~checks["ok"]]
    lines += [""] + list(checks.attrs.get("notes", []))
    if len(failed):
        lines += ["", f"{len(failed)} discrepanc{'y' if len(failed) == 1 else 'ies'}:"]
        lines += [f"  FAIL {r.family} {r.key}: {r.message}" for r in failed.itertuples()]
    else:
        lines += ["", f"audit passed: {len(checks)} checks, 0 discrepancies"]
    return "\n".join(lines)


# ------------------------------------------------------------- hashes ----

def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def input_paths(manifest: dict) -> dict[str, Path]:
    """The manifest's input names → the files, each once. A relative name (older runs) is taken from the
    current folder; ``QuotaError`` names it when it is not there."""
    out: dict[str, Path] = {}
    for name in manifest.get("inputs", {}):
        path = Path(name)
        if not path.is_absolute() and not path.exists():
            raise QuotaError(f"the manifest names the input {name!r} by a relative path, and {Path.cwd()} holds no such "
                             "file. Run the audit from the folder the run was made in, or write the absolute path into "
                             "manifest.json's inputs.")
        out[name] = path.resolve()
    return out


def check_hashes(c: Checks, run: Path, manifest: dict) -> None:
    inputs = {}
    for name in manifest.get("inputs", {}):
        try:
            inputs[name] = input_paths({"inputs": {name: ""}})[name]
        except QuotaError as e:
            c.add("hash:input", name, False, str(e))
    for kind, files, base in (("input", manifest.get("inputs", {}), None), ("output", manifest.get("outputs", {}), run)):
        for name, digest in files.items():
            if base is None and name not in inputs:
                continue
            path = inputs[name] if base is None else base / name
            if not path.is_file():
                c.add(f"hash:{kind}", name, False, "the file is missing")
            else:
                got = sha256_file(path)
                c.add(f"hash:{kind}", name, got == digest, "" if got == digest else
                      f"SHA-256 {got[:12]}… differs from the manifest's {digest[:12]}…: the file changed after the run")
    listed = set(manifest.get("outputs", {})) | {"manifest.json"}
    extra = sorted(str(p.relative_to(run)) for p in run.rglob("*") if p.is_file() and str(p.relative_to(run)) not in listed)
    c.add("hash:output", "unlisted files", not extra, f"not in the manifest: {', '.join(extra)}" if extra else "")


def required_files(run: Path, manifest: dict) -> list[str]:
    """What a run folder of this kind holds: see ALWAYS, FULL_REPORT, OPTIMISER; the figures report.html and
    report.md show; idle_parcels.csv is checked with the parcels."""
    try:
        method = json.loads((run / "summary.json").read_text(encoding="utf-8")).get("method", "optimise")
    except (OSError, ValueError, AttributeError):
        method = "optimise"  # summary.json is required anyway
    need = list(ALWAYS) + (list(OPTIMISER) if method != "factor" else [])
    if manifest.get("report", "full") != "short":
        need += list(FULL_REPORT)
    for doc in ("report.html", "report.md"):
        if (run / doc).is_file():
            shown = re.findall(r"figures/[\w.-]+?\.png", (run / doc).read_text(encoding="utf-8", errors="replace"))
            need += sorted(set(shown) - set(need))
    return need


def check_files(c: Checks, run: Path, manifest: dict) -> None:
    listed = set(manifest.get("outputs", {}))
    kind = "short report (sweep point)" if manifest.get("report") == "short" else "full report"
    for name in required_files(run, manifest):
        here, named = (run / name).is_file(), name in listed
        c.add("files", name, here and named, "" if here and named else
              f"a run folder ({kind}) holds {name}, but it is {'missing' if not here else 'there'} and "
              f"{'listed' if named else 'not listed'} in the manifest: the run folder is incomplete or was changed")


# -------------------------------------------------------------- inputs ----

def scenario_raw(manifest: dict):
    """The run's scenario as ``quota.input.read.read_raw`` reads it, with the run's ``--set`` overrides applied
    (``ScenarioError`` for anything the reader refuses)."""
    files = list(dict.fromkeys(input_paths(manifest).values()))
    top = next((p for p in files if p.suffix.lower() in (".yaml", ".yml", ".xlsx")), None)
    if top is None:
        raise QuotaError("the manifest names no scenario file (.yaml or .xlsx) among its inputs.")
    raw = read_raw(top)
    raw.config = merge(raw.config, _year_keys(manifest.get("overrides") or {}))  # quota run --set, as the run did
    return raw, files


def _year_keys(d: dict) -> dict:
    """JSON turned yaml's year keys into text; turn them back."""
    return {(int(k) if isinstance(k, str) and k.isdigit() else k): (_year_keys(v) if isinstance(v, dict) else v) for k, v in d.items()}


def _num(col: pd.Series) -> pd.Series:
    text = col.map(lambda v: unicodedata.normalize("NFKC", v).replace(",", "").replace(" ", ""))
    return pd.to_numeric(text.replace("", np.nan))


def _date(text: str) -> dt.date | None:
    text = unicodedata.normalize("NFKC", str(text)).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text[:10] if "年" not in fmt else text, fmt).date()
        except ValueError:
            pass
    return None


def read_inputs(c: Checks, manifest: dict) -> dict:
    """The scenario as the audit reads it; areas stay in the scenario's own unit."""
    try:
        raw, files = scenario_raw(manifest)

        validate(copy.deepcopy(raw))  # what validate refuses, the audit refuses (each problem one failed check)
    except ScenarioError as e:
        for i in e.issues:
            where = " ".join(str(x) for x in (i.file, f"row {i.row}" if i.row not in ("", None) else "",
                                              f"column {i.column}" if i.column not in ("", None) else "") if x)
            c.add("inputs", where or "-", False, f"{i.message} {i.hint}".strip())
        return None
    cfg = merge(DEFAULTS, raw.config)
    named = list(dict.fromkeys(Path(f).resolve() for f in raw.files))
    c.add("inputs", "files", set(named) == set(files),
          "" if set(named) == set(files) else f"the scenario names {sorted(map(str, named))}, the manifest {sorted(map(str, files))}")
    raw = {name: raw.tables[name].frame.copy() for name in TABLES if name in raw.tables}
    counties = raw["counties"].set_index("county_id")
    if "cap_base" not in counties:
        counties["cap_base"] = ""
    for col in COUNTY_NUMBERS:
        counties[col] = _num(counties[col])
    p = raw["projects"].set_index("project_id")
    for col in ("area", "farmland_area", "earliest_year", "investment", "annual_tax", "jobs"):
        p[col] = _num(p[col])
    for col in ("urgent", "ready", "stock_ok"):
        p[col] = p[col].str.lower().isin(TRUE)
    p["category"] = p["category"].map(lambda v: ALIASES.get(v, v.lower()))
    p["key_level"] = p["key_level"].str.lower().replace("", "none")
    p["lock"] = p["lock"].str.lower()
    ph = raw.get("phases", pd.DataFrame(columns=["project_id", "plan", "phase", "area", "farmland_area", "earliest_year"]))
    ph = ph[["project_id", "plan", "phase", "area", "farmland_area", "earliest_year"]].copy()
    for col in ("phase", "area", "farmland_area", "earliest_year"):
        ph[col] = _num(ph[col].astype(str))
    single = p.loc[~p.index.isin(ph["project_id"]), ["area", "farmland_area", "earliest_year"]].reset_index()
    phases = pd.concat([ph, single.assign(plan="", phase=1)], ignore_index=True)
    phases["phase"] = phases["phase"].astype(int)
    deps = raw.get("dependencies", pd.DataFrame(columns=["project_id", "requires"]))
    parcels = raw.get("idle_parcels")
    if parcels is not None:
        parcels = parcels.assign(area=_num(parcels["area"]), grant_price=_num(parcels["grant_price"]),
                                 cause=parcels["cause"].str.lower(), agreed_start=parcels["agreed_start"].map(_date),
                                 actual_start=parcels["actual_start"].map(lambda t: _date(t) if t else None))
    years = [int(y) for y in cfg["years"]]
    quota = {int(k): float(v) for k, v in cfg["quota"].items()}
    farm = {int(k): float(v) for k, v in cfg["farmland_quota"].items()} if cfg["farmland_quota"] else None
    return {"cfg": cfg, "per_ha": 15.0 if cfg["unit"] == "mu" else 1.0, "years": years, "quota": quota, "farmland": farm,
            "counties": counties, "projects": p, "phases": phases, "deps": deps, "idle_parcels": parcels}


# ------------------------------------------------------------ counties ----

def _same(expected, found) -> bool:
    if isinstance(expected, (bool, np.bool_, str)) or isinstance(found, str):
        return str(expected) == str(found)
    if pd.isna(expected) or pd.isna(found):
        return bool(pd.isna(expected) and pd.isna(found))
    return abs(float(expected) - float(found)) <= TOL_REL * max(1.0, abs(float(expected))) + TOL_ABS


def _show(v) -> str:
    if isinstance(v, (bool, np.bool_)) or v is None or isinstance(v, str):
        return repr(v) if isinstance(v, str) else str(v)
    return "empty" if pd.isna(v) else f"{float(v):.6f}".rstrip("0").rstrip(".")


def _compare(c: Checks, family: str, key, expected: dict, row) -> None:
    bad = [f"{k}: recomputed {_show(v)}, file has {_show(row[k]) if k in row else 'no such column'}"
           for k, v in expected.items() if k not in row or not _same(v, row[k])]
    c.add(family, key, not bad, "; ".join(bad))


def linkage(inp: dict) -> pd.DataFrame:
    """λ, +bonus/−cut and 限批 from the inputs, with this module's own arithmetic (自然资规〔2018〕1号)."""
    C, L = inp["counties"], inp["cfg"]["linkage"]
    out = pd.DataFrame(index=C.index)
    for col in COUNTY_NUMBERS:
        out[col] = C[col]
    out["stock_total"] = C["unsupplied_stock"] + C["idle_stock"]
    out["disposed_total"] = C["unsupplied_disposed"] + C["idle_disposed"]
    out["task_total"] = C["unsupplied_task"] + C["idle_task"]
    out["disposal_rate"] = [d / s if s > 0 else 1.0 for d, s in zip(out["disposed_total"], out["stock_total"])]
    out["shortfall"] = [max(0.0, 1 - d / t) if t > 0 else 0.0 for d, t in zip(out["disposed_total"], out["task_total"])]
    out["penalty_per_ha"] = L["penalty"] * out["shortfall"]
    out["restricted_rate"] = out["disposal_rate"] < L["restrict_below"]
    out["restricted_overplan"] = (C["overplan"] > 0) & bool(L["restrict_on_overplan"])
    out["restricted"] = out["restricted_rate"] | out["restricted_overplan"]
    out["restrict_cause"] = ["+".join(n for n, f in (("disposal_rate", r), ("overplan", o)) if f)
                             for r, o in zip(out["restricted_rate"], out["restricted_overplan"])]
    out["unsupplied_task_met"] = C["unsupplied_disposed"] >= C["unsupplied_task"]
    out["idle_task_met"] = C["idle_disposed"] >= C["idle_task"]
    out["tasks_met"] = out["unsupplied_task_met"] & out["idle_task_met"]
    out["cap_multiplier"] = np.where(out["tasks_met"], 1 + L["bonus"], 1 - L["cut"])
    out["cap_first_year"] = np.maximum(0.0, out["cap_multiplier"] * C["cap_base"] - C["overplan"]).where(C["cap_base"].notna())
    out["cap_later_years"] = out["cap_multiplier"] * C["cap_base"]
    return out


def _read_allocations(path: Path) -> pd.DataFrame:
    a = read_csv(path, dtype={"plan": str, "project_id": str}, keep_default_na=False, na_values={"area": [""]})
    return a.assign(plan=a["plan"].astype(str), phase=a["phase"].astype(int), year=a["year"].astype(int), area=a["area"].astype(float))


def check_counties(c: Checks, inp: dict, counties_csv: Path, alloc_csv: Path) -> None:
    link = linkage(inp)
    out = read_csv(counties_csv, dtype={"county_id": str, "restrict_cause": str}, keep_default_na=False,
                      na_values=[""]).set_index("county_id")
    out["restrict_cause"] = out["restrict_cause"].fillna("")  # an empty cause is written as an empty cell
    c.add("linkage", "counties", set(out.index) == set(link.index), f"counties.csv has {sorted(set(out.index) ^ set(link.index))} "
          "that the inputs do not, or the reverse" if set(out.index) != set(link.index) else "")
    a = _read_allocations(alloc_csv)
    a["county_id"] = a["project_id"].map(inp["projects"]["county_id"])
    use = a.pivot_table(index="county_id", columns="source", values="area", aggfunc="sum").reindex(link.index).fillna(0.0)
    for cid in link.index.intersection(out.index):
        _compare(c, "linkage", cid, link.loc[cid].to_dict(), out.loc[cid])
        u = {k: float(use.at[cid, s]) if s in use else 0.0 for k, s in (("new_used", "new"), ("advance_used", "advance"), ("stock_used", "stock"))}
        u["penalty_paid"] = link.at[cid, "penalty_per_ha"] * (u["new_used"] + u["advance_used"]) / inp["per_ha"]
        for y in inp["years"]:
            rows = a[(a["county_id"] == cid) & (a["year"] == y) & a["source"].isin(["new", "advance"])]
            u[f"quota_{y}"] = float(rows["area"].sum())
        _compare(c, "county use", cid, u, out.loc[cid])


# --------------------------------------------------------------- idle ----

def _years_on(d: dt.date, n: int) -> dt.date:
    """Same calendar date n years on; 29 Feb → 28 Feb (民法典 Art. 202: no such day, so the month's last day)."""
    leap_day_lost = (d.month, d.day) == (2, 29) and not calendar.isleap(d.year + n)
    return dt.date(d.year + n, 2, 28) if leap_day_lost else dt.date(d.year + n, d.month, d.day)


def idle_expected(inp: dict) -> pd.DataFrame:
    """Order 53 Art. 14 by the audit's own date arithmetic."""
    L = inp["cfg"]["idle_land"]
    when = L["assessment_date"] if isinstance(L["assessment_date"], dt.date) else _date(L["assessment_date"])
    rate, fy, ry = float(L["fee_rate"]), int(L["fee_years"]), int(L["reclaim_years"])
    rows = []
    for r in inp["idle_parcels"].itertuples(index=False):
        started = r.actual_start is not None and r.actual_start <= when
        end = r.actual_start if started else when
        n = 0
        while end >= _years_on(r.agreed_start, n + 1):
            n += 1
        if n < fy:
            cls = "started_on_time" if started else "not_idle"
        elif r.cause == "government":
            cls = "government"
        elif started or n < ry:
            cls = "fee"
        else:
            cls = "reclaim"
        rows.append({"parcel_id": r.parcel_id, "county_id": r.county_id, "area": r.area, "grant_price": r.grant_price,
                     "idle_until": end.isoformat(), "fee_from": _years_on(r.agreed_start, fy).isoformat(),
                     "reclaim_from": _years_on(r.agreed_start, ry).isoformat(), "idle_days": max(0, (end - r.agreed_start).days),
                     "full_years_idle": n, "classification": cls, "fee": rate * r.grant_price if cls == "fee" else 0.0})
    return pd.DataFrame(rows).set_index("parcel_id")


def check_parcels(c: Checks, inp: dict, idle_csv: Path, counties_csv: Path) -> None:
    if inp["idle_parcels"] is None or not idle_csv.exists():
        c.add("idle", "idle_parcels.csv", False, "the inputs have idle parcels but the run has no idle_parcels.csv, or the reverse")
        return
    exp = idle_expected(inp)
    got = read_csv(idle_csv, dtype=str, keep_default_na=False).set_index("parcel_id")
    c.add("idle", "parcels", set(exp.index) == set(got.index), "" if set(exp.index) == set(got.index) else
          f"parcels differ: {sorted(set(exp.index) ^ set(got.index))}")
    for pid in exp.index.intersection(got.index):
        row = got.loc[pid].to_dict()
        for col in ("area", "grant_price", "idle_days", "full_years_idle", "fee"):
            row[col] = float(row[col]) if col in row else None
        _compare(c, "idle", pid, exp.loc[pid].to_dict(), row)
    exp["reclaim_area"] = exp["area"].where(exp["classification"] == "reclaim", 0.0)
    by = exp.groupby("county_id").agg(idle_parcels=("fee", "size"), idle_fee_total=("fee", "sum"), idle_reclaim_area=("reclaim_area", "sum"))
    counties = read_csv(counties_csv, dtype={"county_id": str}).set_index("county_id")
    for cid in counties.index:
        want = by.loc[cid].to_dict() if cid in by.index else dict.fromkeys(by.columns, np.nan)  # none listed: empty
        _compare(c, "idle county totals", cid, want, counties.loc[cid])


# --------------------------------------------------------- allocation ----

def excluded_projects(inp: dict) -> set[str]:
    p, deps = inp["projects"], inp["deps"]
    out = set(p.index[~p["ready"] | (p["lock"] == "out")])
    grew = True
    while grew:  # a project requiring an excluded one is excluded, transitively
        new = set(deps.loc[deps["requires"].isin(out), "project_id"]) - out
        out |= new
        grew = bool(new)
    return out


def values_w(inp: dict, excluded: set[str]) -> pd.Series:
    """w = 1 + Σ β·z + urgent_bonus·urgent + key_bonus, z min-max scaled over the projects not excluded."""
    p, S = inp["projects"], inp["cfg"]["scoring"]
    pop = ~p.index.isin(excluded)
    w = pd.Series(1.0, index=p.index)
    for term, col in (("investment_intensity", "investment"), ("tax_intensity", "annual_tax"), ("jobs_intensity", "jobs")):
        x = p[col] / p["area"]
        lo, hi = x[pop].min(), x[pop].max()
        w += S["weights"][term] * ((x - lo) / (hi - lo) if hi > lo else 0.0 * x)
    return w + S["urgent_bonus"] * p["urgent"] + p["key_level"].map(S["key_bonus"])


def _le(c: Checks, family: str, key, lhs: float, rhs: float, what: str) -> None:
    ok = lhs <= rhs + TOL_REL * max(1.0, abs(rhs)) + TOL_ABS
    c.add(family, key, ok, f"{what}: {lhs:,.6f} {'≤' if ok else '>'} {rhs:,.6f}")


def check_allocations(c: Checks, inp: dict, alloc_csv: Path, projects_csv: Path, summary_json: Path) -> None:
    cfg, P, C, years = inp["cfg"], inp["projects"], inp["counties"], inp["years"]
    first, last = years[0], years[-1]
    a = _read_allocations(alloc_csv)
    ph = inp["phases"].set_index(["project_id", "plan", "phase"]).sort_index()
    keys = list(zip(a["project_id"], a["plan"], a["phase"]))
    for i, (k, src, area) in enumerate(zip(keys, a["source"], a["area"])):
        problems = [m for m, bad in (("unknown project/plan/phase", k not in ph.index),
                                     (f"unknown source {src!r}", src not in ("new", "advance", "stock", "higher_level")),
                                     ("negative area", area < -TOL_ABS)) if bad]
        if problems:
            c.add("rows", f"line {i + 2}", False, f"{'/'.join(map(str, k))}: {', '.join(problems)}")
    c.add("rows", "all", True, f"{len(a)} rows read")
    a = a.loc[pd.Series([k in ph.index for k in keys], index=a.index, dtype=bool)].copy()  # a mask even when empty
    a["county_id"] = a["project_id"].map(P["county_id"])
    outside = bool(cfg["key_projects_outside_budget"])
    higher = set(P.index[P["key_level"].isin(HIGHER)]) if outside else set()
    excluded = excluded_projects(inp)
    link = linkage(inp)

    # approvals: each phase whole, once, in its window, in order, one plan, committed phases
    year_of = {}
    for (pid, plan, k), g in a.groupby(["project_id", "plan", "phase"]):
        e, need = ph.at[(pid, plan, k), "earliest_year"], ph.at[(pid, plan, k), "area"]
        ys = sorted(int(y) for y in g["year"].unique())
        year_of[(pid, plan, k)] = ys[0]
        want_year = max(e, first) if pid in higher else None
        ok = len(ys) == 1 and abs(g["area"].sum() - need) <= TOL_REL * max(1.0, need) + 3 * TOL_ABS \
            and (e <= ys[0] and first <= ys[0] <= last) and (want_year is None or ys[0] == want_year)
        c.add("phase whole & on time", f"{pid}/{plan or '-'}/{k}", ok, f"years {ys}, area {g['area'].sum():.6f} of {need:.6f}, earliest {e:g}")
    for pid, g in a.groupby("project_id"):
        c.add("plan choice", pid, g["plan"].nunique() == 1, f"plans {sorted(str(v) for v in g['plan'].unique())}")
    gap = int(cfg["phasing"]["min_gap"])
    for (pid, plan, k), y in year_of.items():
        if k > 1 and pid not in higher:
            prev = year_of.get((pid, plan, k - 1))
            c.add("phase order", f"{pid}/{plan or '-'}/{k}", prev is not None and prev + gap <= y, f"phase {k} in {y}, phase {k - 1} in {prev}, gap {gap}")
        if k == 1 and cfg["phasing"]["commit"] == "all" and pid not in higher:
            later = ph.loc[(pid, plan)]
            for kk, e in later["earliest_year"].items():
                if kk > 1 and e <= last:
                    c.add("commitment", f"{pid}/{plan or '-'}/{kk}", (pid, plan, kk) in year_of, "phase 1 approved commits this phase (commit: all)")
    for pid in higher - excluded:  # placed by the higher level at their earliest years
        for (plan, k), row in ph.loc[pid].iterrows():
            if max(row["earliest_year"], first) <= last:
                c.add("higher level", f"{pid}/{plan or '-'}/{k}", (pid, plan, k) in year_of, "a higher-level key phase within the horizon is listed")

    # eligibility, and what each source may serve
    status = read_csv(projects_csv, dtype={"project_id": str}).set_index("project_id")
    listed = set(status.index[status["status"] == "excluded"])
    c.add("eligibility", "excluded set", listed == excluded, "" if listed == excluded else f"differs on {sorted(listed ^ excluded)}")
    for pid in sorted(set(a["project_id"]) & excluded):
        c.add("eligibility", pid, False, "an excluded project (not ready, locked out or requiring an excluded one) has an allocation")
    for i, r in a.iterrows():
        if r["source"] == "higher_level" and r["project_id"] not in higher:
            c.add("higher level", r["project_id"], False, "source higher_level on a project the higher level does not cover")
        if r["source"] != "higher_level" and r["project_id"] in higher:
            c.add("higher level", r["project_id"], False, f"{r['source']} quota on a {P.at[r['project_id'], 'key_level']} key project, which is outside the city budget")
        if r["source"] == "advance" and not P.at[r["project_id"], "urgent"]:
            c.add("advance urgent only", r["project_id"], False, f"advance {r['area']:.6f} in {r['year']} on a project that is not urgent")
        if r["source"] == "stock" and not P.at[r["project_id"], "stock_ok"]:
            c.add("stock_ok only", r["project_id"], False, f"stock {r['area']:.6f} in {r['year']} on a project without stock_ok")
    exempt = set(cfg["linkage"]["exempt_categories"])
    city = a[a["source"] != "higher_level"]
    quota = city[city["source"].isin(["new", "advance"])]
    for cid in link.index[link["restricted"]]:  # 限批: no new or advance quota for non-exempt projects
        rows = quota[quota["county_id"] == cid]
        ok = [P.at[q, "category"] in exempt or P.at[q, "key_level"] in HIGHER for q in rows["project_id"]]
        bad = rows.loc[~np.asarray(ok, dtype=bool)]
        for pid, area in bad.groupby("project_id")["area"].sum().items():
            c.add("restriction", pid, False, f"{pid} ({P.at[pid, 'category']}, key level {P.at[pid, 'key_level']}) in restricted county "
                  f"{cid} ({C.at[cid, 'name']}, cause {link.at[cid, 'restrict_cause']}) gets {area:.6f} new/advance quota; "
                  f"only {', '.join(sorted(exempt))} or provincial/national key projects may")
        c.add("restriction", cid, bad.empty, f"restricted ({link.at[cid, 'restrict_cause']}): {rows['area'].sum():.6f} new/advance "
              f"quota, of it {bad['area'].sum():.6f} to non-exempt projects {sorted(set(bad['project_id']))}")

    # city quota with carry-over, advance cap, farmland, stock, county caps
    new = city[city["source"] == "new"].groupby("year")["area"].sum()
    adv = city[city["source"] == "advance"].groupby("year")["area"].sum()
    Q, carried = inp["quota"], 0.0
    for i, y in enumerate(years):
        used = new.get(y, 0.0) + (adv.get(years[i - 1], 0.0) if i else 0.0)
        _le(c, "city quota", y, used, Q[y] + carried, "new + advance repaid vs quota + carried")
        carried = float(cfg["carry_over"]) * max(0.0, Q[y] + carried - used)
        cap = cfg["advance"]["max_share"] * (Q[years[i + 1]] if i + 1 < len(years) else (Q[y] if cfg["advance"]["last_year"] else 0.0))
        _le(c, "advance cap", y, adv.get(y, 0.0), cap, "advance drawn vs max_share × next year's quota")
    if inp["farmland"]:
        share = quota.apply(lambda r: ph.at[(r["project_id"], r["plan"], r["phase"]), "farmland_area"]
                            / ph.at[(r["project_id"], r["plan"], r["phase"]), "area"], axis=1) if len(quota) else pd.Series(dtype=float)
        farm = (quota["area"] * share).groupby(quota["year"]).sum() if len(quota) else pd.Series(dtype=float)
        for y in years:
            _le(c, "farmland", y, farm.get(y, 0.0), inp["farmland"][y], "farmland share of new + advance vs farmland quota")
    stock = city[city["source"] == "stock"].groupby("county_id")["area"].sum()
    for cid in C.index:
        _le(c, "stock", cid, stock.get(cid, 0.0), C.at[cid, "usable_stock"], "stock used vs usable_stock")
    cy = quota.groupby(["county_id", "year"])["area"].sum()
    for cid in C.index[C["cap_base"].notna()]:
        for y in years:
            cap = link.at[cid, "cap_first_year"] if y == first else link.at[cid, "cap_later_years"]
            _le(c, "county cap", f"{cid} {y}", cy.get((cid, y), 0.0), cap, "new + advance vs cap")

    # dependencies and locks
    y1 = a[a["phase"] == 1].groupby("project_id")["year"].min()
    for p_, q in zip(inp["deps"]["project_id"], inp["deps"]["requires"]):
        if p_ in y1.index and p_ not in higher:
            c.add("dependency", f"{p_}→{q}", q in y1.index and y1[q] <= y1[p_], f"{p_} in {y1[p_]}, requires {q} in {y1.get(q, 'never')}")
    for pid in P.index[P["lock"] == "in"]:
        c.add("lock in", pid, pid in y1.index, "locked in: phase 1 must be approved within the horizon")

    # value per hectare and the objective (in hectare units)
    w = values_w(inp, excluded)
    listed_w = status["w"].astype(float)
    for pid in P.index.difference(list(excluded)):
        c.add("value w", pid, _same(w[pid], listed_w.get(pid)), f"recomputed {w[pid]:.6f}, projects.csv {listed_w.get(pid)}")
    e = [ph.at[k, "earliest_year"] for k in zip(city["project_id"], city["plan"], city["phase"])]
    disc = float(cfg["delay_discount"]) ** (city["year"] - np.maximum(np.asarray(e, dtype=float), first))
    pi = city["county_id"].map(link["penalty_per_ha"])
    is_q, is_v, is_s = city["source"].isin(["new", "advance"]), city["source"] == "advance", city["source"] == "stock"
    value = (city["project_id"].map(w) * city["area"] * disc).sum() - (pi * city["area"])[is_q].sum() \
        - cfg["advance"]["cost"] * city["area"][is_v].sum() + cfg["linkage"]["stock_credit"] * city["area"][is_s].sum()
    value /= inp["per_ha"]
    # tolerance: the 6-decimal rounding of each area, times its coefficient, twice over
    coef = city["project_id"].map(w) * disc + pi.where(is_q, 0.0) + cfg["advance"]["cost"] * is_v + cfg["linkage"]["stock_credit"] * is_s
    tol = 1e-6 * float(coef.abs().sum()) / inp["per_ha"] + 1e-9 * abs(value)
    reported = json.loads(summary_json.read_text(encoding="utf-8"))["objective"]
    ok = reported is not None and abs(value - reported) <= tol
    c.found.update(objective=float(value), objective_tol=float(tol))
    c.add("objective", "total", ok, f"recomputed {value:,.6f}, summary.json {reported} (tolerance {tol:.1e})")


# ------------------------------------------------------ status, reason ----

def _pattern(template: str) -> re.Pattern:
    """A reason template (``str.format`` fields) as a regular expression matching its opening; year-like
    fields are digits, the others any text; each field a named group."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name is not None:
            out.append(rf"(?P<{name}>\d+)" if name in ("year", "e", "last", "k", "m", "K") else rf"(?P<{name}>.+?)")
    return re.compile("".join(out), re.S)


REASON_PATTERNS = {lang: {k: _pattern(t) for k, t in d.items()} for lang, d in REASON_TEMPLATES.items()}


def reason_class(text: str, lang: str) -> tuple[str, dict] | None:
    """The class of a reason text and the values it names, or None."""
    for cls, pattern in REASON_PATTERNS.get(lang, REASON_PATTERNS["en"]).items():
        m = pattern.match(text)
        if m:
            return cls, m.groupdict()
    return None


def exclusions(inp: dict) -> pd.DataFrame:
    """Per project: the exclusion code (not_ready, lock_out, dependency or "") and, for a dependency, the
    first excluded project (by id) that its chain of requirements reaches."""
    p, deps = inp["projects"], inp["deps"]
    own = pd.Series("", index=p.index, dtype=object)
    own[p["lock"] == "out"] = "lock_out"
    own[~p["ready"]] = "not_ready"
    needs: dict = {}
    for a, b in zip(deps["project_id"], deps["requires"]):
        needs.setdefault(a, []).append(b)
    out = pd.DataFrame({"exclusion": own, "exclusion_via": ""}, index=p.index)
    for pid in p.index[own == ""]:
        seen, todo = set(), list(needs.get(pid, []))
        while todo:
            q = todo.pop()
            if q not in seen:
                seen.add(q)
                todo += needs.get(q, [])
        reached = sorted(q for q in seen if q in own.index and own[q])
        if reached:
            out.loc[pid] = ["dependency", reached[0]]
    return out


def expected_schedule(inp: dict, a: pd.DataFrame) -> pd.DataFrame:
    """Per project, from the allocations and the inputs: plan, first year, phases approved and in the plan,
    phase 1's earliest year, deferral and status (MODEL.md, Precise semantics: Status)."""
    P, ph, first = inp["projects"], inp["phases"], inp["years"][0]
    excl = exclusions(inp)
    higher = P["key_level"].isin(HIGHER) & (excl["exclusion"] == "") & bool(inp["cfg"]["key_projects_outside_budget"])
    one = a[a["phase"] == 1].sort_values("year").drop_duplicates("project_id").set_index("project_id")
    out = pd.DataFrame(index=P.index)
    out["plan"] = one["plan"].reindex(P.index)
    out["first_year"] = one["year"].reindex(P.index)
    out["phases_approved"] = a.groupby("project_id")["phase"].nunique().reindex(P.index).fillna(0).astype(int)
    plans = ph.groupby("project_id")["plan"].unique()
    key = [pl if isinstance(pl, str) else (plans[pid][0] if pid in plans.index and len(plans[pid]) == 1 else None)
           for pid, pl in zip(P.index, out["plan"])]
    top = ph.groupby(["project_id", "plan"])["phase"].max()
    e1 = ph[ph["phase"] == 1].set_index(["project_id", "plan"])["earliest_year"]
    out["phases_total"] = [top.get((pid, k), np.nan) if k is not None else np.nan for pid, k in zip(P.index, key)]
    e_any = ph[ph["phase"] == 1].groupby("project_id")["earliest_year"].min()
    out["phase1_earliest"] = [e1.get((pid, k), e_any.get(pid, np.nan)) if k is not None else e_any.get(pid, np.nan)
                              for pid, k in zip(P.index, key)]
    out["deferral_years"] = out["first_year"] - out["phase1_earliest"].clip(lower=first)
    out["status"] = np.select([excl["exclusion"] != "", higher, out["first_year"].isna(),
                               out["phases_approved"] < out["phases_total"], out["deferral_years"] > 0],
                              ["excluded", "higher_level", "rejected", "partial", "deferred"], default="approved")
    return out.join(excl)


def rejected_class(inp: dict, pid: str, sched: pd.DataFrame, link: pd.DataFrame) -> tuple[str, str]:
    """The reason class of a rejected project, and the project a ``requires_unapproved`` reason names:
    beyond the horizon; restricted county, not exempt; a requirement not approved; else outcompeted."""
    P, cfg = inp["projects"], inp["cfg"]
    if sched.at[pid, "phase1_earliest"] > inp["years"][-1]:
        return "beyond_horizon", ""
    exempt = P.at[pid, "category"] in set(cfg["linkage"]["exempt_categories"]) or P.at[pid, "key_level"] in HIGHER
    if bool(link.at[P.at[pid, "county_id"], "restricted"]) and not exempt:
        return "restricted", ""
    for q in inp["deps"].loc[inp["deps"]["project_id"] == pid, "requires"]:
        if pd.isna(sched.at[q, "first_year"]):
            return "requires_unapproved", q
    return "outcompeted", ""


def check_statuses(c: Checks, inp: dict, alloc_csv: Path, projects_csv: Path, manifest: dict) -> None:
    """Each project's status, plan, first year and phase counts from the allocations, and its reason's
    class (and the years, the level or the project it names) from the status."""
    a = _read_allocations(alloc_csv)
    a = a[a["project_id"].isin(inp["projects"].index)]
    got = read_csv(projects_csv, dtype=str, keep_default_na=False).set_index("project_id")
    want = expected_schedule(inp, a)
    link = linkage(inp)
    lang = manifest.get("lang") or inp["cfg"].get("lang") or "zh"
    extra, missing = sorted(set(got.index) - set(want.index)), sorted(set(want.index) - set(got.index))
    c.add("status", "projects", not extra and not missing, "" if not extra and not missing else
          f"projects.csv lists {extra} that the inputs do not, and lacks {missing}")
    for pid in want.index.intersection(got.index):
        w, g = want.loc[pid], got.loc[pid]
        st = w["status"]
        bad = [f"status: the allocations give {st!r}, projects.csv has {g.get('status')!r}"] if g.get("status") != st else []
        for col, v in (("first_year", w["first_year"]), ("phases_approved", w["phases_approved"])):
            text = "" if pd.isna(v) else str(int(v))
            if col in g and str(g[col]).removesuffix(".0") != text:
                bad.append(f"{col}: the allocations give {text or 'empty'}, projects.csv has {g[col] or 'empty'}")
        if "plan" in g and isinstance(w["plan"], str) and g["plan"] != w["plan"]:
            bad.append(f"plan: the allocations give {w['plan']!r}, projects.csv has {g['plan']!r}")
        if st == "excluded" and "exclusion" in g and (g["exclusion"], g.get("exclusion_via", "")) != (w["exclusion"], w["exclusion_via"]):
            bad.append(f"exclusion: recomputed {w['exclusion']} {w['exclusion_via']}".rstrip() + f", projects.csv has {g['exclusion']} {g.get('exclusion_via', '')}".rstrip())
        c.add("status", pid, not bad, "; ".join(bad) or st)
        ok, message = _reason_ok(inp, pid, st, want, link, str(g.get("reason", "")), lang)
        claimed = str(g.get("status", ""))
        if ok and message not in REASON_CLASSES.get(claimed, ()):
            ok, message = False, f"the reason is of the class {message!r}, which does not fit the status {claimed!r} of projects.csv"
        c.add("reason", pid, ok, message)


def _reason_ok(inp: dict, pid: str, st: str, want: pd.DataFrame, link: pd.DataFrame, text: str, lang: str) -> tuple[bool, str]:
    found = reason_class(text, lang)
    if found is None:
        return False, f"the reason {text[:80]!r} is not one quota writes (report language {lang})"
    cls, named = found
    w = want.loc[pid]
    expect = {"excluded": (w["exclusion"],), "higher_level": ("higher_level",), "approved": ("approved",),
              "deferred": ("deferred",), "partial": ("partial",)}.get(st)
    via = ""
    if expect is None:  # rejected
        cls_want, via = rejected_class(inp, pid, want, link)
        # the factor method (quota/solve/factor.py) words an outcompeted project by its county's allowance
        expect = (cls_want, "factor_allowance") if cls_want == "outcompeted" else (cls_want,)
    if cls not in expect:
        return False, f"status {st}: the reason is of the class {cls!r} ({text[:60]!r}…), the allocations and inputs give {expect[0]!r}"
    numbers = {"year": w["first_year"], "e": w["phase1_earliest"] if cls == "beyond_horizon" else max(w["phase1_earliest"], inp["years"][0]),
               "k": w["deferral_years"], "m": w["phases_approved"], "K": w["phases_total"], "last": inp["years"][-1]}
    wrong = [f"{k} {named[k]} (recomputed {int(v)})" for k, v in numbers.items()
             if k in named and not pd.isna(v) and int(named[k]) != int(v)]
    for k, v in (("via", w["exclusion_via"]), ("q", via)):
        if k in named and named[k] != v:
            wrong.append(f"{k} {named[k]} (recomputed {v})")
    if wrong:
        return False, f"status {st}, reason {cls}: it names " + ", ".join(wrong)
    return True, cls


# ------------------------------------------------------------ summary ----

def check_summary(c: Checks, run: Path) -> None:
    """The status counts of summary.json against projects.csv; objective ≤ bound and the gap as claimed;
    a proven optimum within the gap asked for; checks.csv has no violation and as many rows as claimed."""
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    statuses = read_csv(run / "projects.csv", dtype=str, keep_default_na=False)["status"].value_counts()
    counts = {k: int(statuses.get(k, 0)) for k in STATUSES}
    claimed = summary.get("projects") or {}
    c.add("summary", "status counts", all(int(claimed.get(k, 0)) == v for k, v in counts.items()),
          f"projects.csv counts {counts}, summary.json {claimed}")
    checks = read_csv(run / "checks.csv", dtype=str, keep_default_na=False) if (run / "checks.csv").is_file() else None
    if checks is not None:
        bad = int((checks["ok"].str.lower() != "true").sum()) if "ok" in checks else len(checks)
        ver = summary.get("verification") or {}
        c.add("summary", "verification", bad == 0 and ver.get("checks") == len(checks) and ver.get("violations") == 0,
              f"checks.csv: {len(checks)} rows, {bad} not ok; summary.json claims {ver}")
    obj, bound, gap = summary.get("objective"), summary.get("bound"), summary.get("gap")
    if summary.get("method", "optimise") == "factor" or obj is None:
        c.notes.append("objective bound and gap: not claimed (factor method or no solution), not checked")
        return
    if bound is None:
        c.add("summary", "bound", not summary.get("proven_optimal"), "no bound, so the run may not claim a proven optimum")
        return
    tol = TOL_REL * max(1.0, abs(obj))
    c.add("summary", "objective ≤ bound", obj <= bound + tol, f"objective {obj:,.6f}, bound {bound:,.6f} (maximisation: the "
          "objective of an allocation cannot exceed the bound)")
    true_gap = abs(bound - obj) / max(abs(obj), 1e-9)
    c.add("summary", "gap", gap is not None and abs(gap - true_gap) <= 1e-6 + 1e-6 * true_gap,
          f"summary.json gap {gap}, (bound − objective)/|objective| = {true_gap:.3e}")
    target = max(float(summary.get("gap_target") or 0.0), 1e-9)
    if summary.get("time_limit") is None and true_gap > target * (1 + 1e-6) + 1e-9:
        c.add("summary", "gap", False, f"the gap {true_gap:.3e} is above the gap target {target:g}, and the run had no time "
              "limit: the solver does not stop there, so the objective or the bound is not what the solver found")
    if summary.get("proven_optimal"):
        c.add("summary", "proven optimal", true_gap <= target * (1 + 1e-6) + 1e-9,
              f"claims a proven optimum within the gap {target:g}; the gap is {true_gap:.3e}")
    c.found.update(claimed_objective=float(obj), claimed_bound=float(bound), claimed_gap=float(true_gap))


def check_optimum(c: Checks, run: Path, manifest: dict, optimum: Optimum | None, when: str) -> None:
    """With a re-solve (``optimum``): the claimed objective within the claimed gap of the re-solved optimum,
    and the claimed bound not below it. ``when``: on, off or auto (up to RESOLVE_UP_TO projects)."""
    n = len(read_csv(run / "projects.csv", dtype=str, keep_default_na=False)) if (run / "projects.csv").is_file() else 0
    if optimum is None or when == "off" or (when == "auto" and n > RESOLVE_UP_TO):
        why = ("no solver given" if optimum is None else "--no-resolve" if when == "off" else
               f"{n} projects, more than {RESOLVE_UP_TO}; pass --resolve to re-solve")
        c.notes.append(f"re-solve: not done ({why}); the objective was checked against the allocation, not against the optimum")
        return
    if "claimed_objective" not in c.found:
        c.notes.append("re-solve: not done (summary.json claims no objective and bound to compare)")
        return
    best, bound = optimum(manifest)
    obj, claimed_bound, gap = c.found["claimed_objective"], c.found["claimed_bound"], c.found["claimed_gap"]
    tol = max(c.found.get("objective_tol", 0.0), TOL_REL * max(1.0, abs(best)))
    c.notes.append(f"re-solve: done; optimum {best:,.6f}" + (f" (bound {bound:,.6f})" if bound is not None else "")
                   + f", run's objective {obj:,.6f}, claimed gap {gap:.2e}")
    ok = obj >= best - gap * abs(best) - tol
    c.add("re-solve", "objective", ok, f"the run claims {obj:,.6f} within a gap of {gap:.2e} of the optimum; a re-solve "
          f"finds an allocation worth {best:,.6f}" + ("" if ok else ": the run's allocation is worse than it claims"))
    ok = claimed_bound >= best - tol
    c.add("re-solve", "bound", ok, f"the run claims no allocation is worth more than {claimed_bound:,.6f}; a re-solve finds "
          f"one worth {best:,.6f}" + ("" if ok else ": the claimed bound is false"))
