"""Where a run folder came from: its files against the manifest, and its inputs read again.

Takes a run folder and its ``manifest.json``; checks the SHA-256 of every input and output, that no file was
added, and that the files a run of this kind writes are all there and listed (``check_hashes``, ``check_files``).
``read_inputs`` reads the inputs the manifest names through the scenario reader (``quota.input.read.read_raw``),
refuses what ``quota.input.validate`` refuses, applies the run's ``--set`` overrides and gives the scenario's
tables from their raw text cells, in the scenario's own unit, for the sections that recompute the run.
"""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import QuotaError, ScenarioError
from ..input.read import merge, read_raw
from ..input.rulesets import with_rule_set
from ..input.validate import validate
from .findings import Checks, texts

TABLES = ("counties", "projects", "phases", "dependencies", "idle_parcels", "disposal", "history")
ALIASES = {"工业": "industry", "基础设施": "infrastructure", "民生": "livelihood", "商服": "commerce", "文旅": "tourism",
           "住宅": "housing", "其他": "other"}
TRUE = {"true", "1", "yes", "是", "y", "t"}
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


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def input_paths(manifest: dict) -> dict[str, Path]:
    """The manifest's input names → the files, each once. A relative name (older runs) is taken from the
    current folder; ``QuotaError`` names it when it is not there."""
    out: dict[str, Path] = {}
    for name in manifest.get("inputs", {}):
        path = Path(name)
        if not path.is_absolute() and not path.exists():
            raise QuotaError.of("error.audit.relative_input", name=repr(name), cwd=Path.cwd())
        out[name] = path.resolve()
    return out


def said(problem, en: str | None = None) -> tuple[str, str]:
    """(zh, en) of an error or input problem: its own ``render(lang)`` where it has one (quota.errors), else its English."""
    en = str(problem) if en is None else en
    render = getattr(problem, "render", None)
    return (render("zh") if callable(render) else en), en


def _check_hash(c: Checks, family: str, name: str, path: Path, digest: str) -> None:
    if not path.is_file():
        c.add(family, name, False, "check.file_missing")
    else:
        got = sha256_file(path)
        c.add(family, name, got == digest, "" if got == digest else "check.hash_differs", got=got[:12], digest=digest[:12])


def check_hashes(c: Checks, run: Path, manifest: dict) -> None:
    """Every input and output against its SHA-256 in the manifest, and no file in the run folder unlisted."""
    inputs = {}
    for name in manifest.get("inputs", {}):
        try:
            inputs[name] = input_paths({"inputs": {name: ""}})[name]
        except QuotaError as e:
            c.add("hash:input", name, False, said(e))
    for name, digest in manifest.get("inputs", {}).items():
        if name in inputs:
            _check_hash(c, "hash:input", name, inputs[name], digest)
    for name, digest in manifest.get("outputs", {}).items():
        _check_hash(c, "hash:output", name, run / name, digest)
    listed = set(manifest.get("outputs", {})) | {"manifest.json"}
    extra = sorted(str(p.relative_to(run)) for p in run.rglob("*") if p.is_file() and str(p.relative_to(run)) not in listed)
    c.add("hash:output", "unlisted files", not extra, "check.unlisted" if extra else "", files=", ".join(extra))


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
    kind = texts("check.kind_short" if manifest.get("report") == "short" else "check.kind_full")
    for name in required_files(run, manifest):
        here, named = (run / name).is_file(), name in listed
        c.add("files", name, here and named, "" if here and named else "check.files", kind=kind, name=name,
              here=texts("check.is_there" if here else "check.is_missing"), listed=texts("check.is_listed" if named else "check.not_listed"))


# -------------------------------------------------------------- inputs ----

def scenario_raw(manifest: dict):
    """The run's scenario as ``quota.input.read.read_raw`` reads it, with the run's ``--set`` overrides applied
    (``ScenarioError`` for anything the reader refuses)."""
    files = list(dict.fromkeys(input_paths(manifest).values()))
    top = next((p for p in files if p.suffix.lower() in (".yaml", ".yml", ".xlsx")), None)
    if top is None:
        raise QuotaError.of("error.audit.no_scenario")
    raw = read_raw(top)
    raw.config = merge(raw.config, _year_keys(manifest.get("overrides") or {}))  # quota run --set, as the run did
    return raw, files


def _year_keys(d: dict) -> dict:
    """JSON turned yaml's year keys into text; turn them back."""
    return {(int(k) if isinstance(k, str) and k.isdigit() else k): (_year_keys(v) if isinstance(v, dict) else v) for k, v in d.items()}


def _num(col: pd.Series) -> pd.Series:
    text = col.map(lambda v: unicodedata.normalize("NFKC", v).replace(",", "").replace(" ", ""))
    return pd.to_numeric(text.replace("", np.nan))


def parse_date(text: str) -> dt.date | None:
    """A date cell as the scenario format allows it (2023-06-30, 2023/6/30, 2023.6.30, 2023年6月30日), or None."""
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
            c.add("inputs", where or "-", False, said(i, f"{i.message} {i.hint}".strip()))
        return None
    cfg = merge(DEFAULTS, with_rule_set(raw.config, "scenario.yaml", []))  # the rule set it names, under its own keys
    named = list(dict.fromkeys(Path(f).resolve() for f in raw.files))
    c.add("inputs", "files", set(named) == set(files),
          "" if set(named) == set(files) else "check.inputs_named", scenario=sorted(map(str, named)), manifest=sorted(map(str, files)))
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
                                 cause=parcels["cause"].str.lower(), agreed_start=parcels["agreed_start"].map(parse_date),
                                 actual_start=parcels["actual_start"].map(lambda t: parse_date(t) if t else None))
    years = [int(y) for y in cfg["years"]]
    per_ha = 15.0 if cfg["unit"] == "mu" else 1.0
    from .spatial import recompute_sites  # spatial: every site's overlaps from the layers (None without sites)

    sites = recompute_sites(cfg, p, counties, per_ha)
    quota = {int(k): float(v) for k, v in cfg["quota"].items()}
    farm = {int(k): float(v) for k, v in cfg["farmland_quota"].items()} if cfg["farmland_quota"] else None
    return {"cfg": cfg, "per_ha": per_ha, "years": years, "quota": quota, "farmland": farm, "sites": sites,
            "counties": counties, "projects": p, "phases": phases, "deps": deps, "idle_parcels": parcels,
            "disposal": raw.get("disposal"), "history": raw.get("history")}

