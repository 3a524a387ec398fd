"""``generate_scenario``: write a realistic synthetic scenario of any size (``quota generate``), for tests and
benchmarks: the tables drawn by ``quota.commands.generate_data``, rendered as scenario.yaml, README.md and CSV
files (areas as exact two-decimal hectares), written whole or not at all with a manifest.json. One seed gives
the same files byte for byte.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from ..report.write import swap_into_place, check_target, clean_stale, make_temp, sha256
from .generate_data import GenerateOptions, assessment_date, draw_scenario
from .generate_rules import draw_rule_data


def generate_scenario(out: str | Path, counties: int = 14, projects: int = 300, years: int = 3, *,
                      seed: int = 0, force: bool = False, **options) -> Path:
    """Write a synthetic scenario folder to ``out``, whole or not at all, and return its path.

    ``options`` are the other fields of ``GenerateOptions`` (``phased``, ``urgent``, ``key``,
    ``not_ready``, ``dependencies``, ``locks``, ``parcels_per_county``, ``first_year``, ``rules``...).
    With ``rules`` (a rule set's name) the scenario names it and carries the data it needs
    (``quota.commands.generate_rules``); without, it is the first contract's, as before.
    ``out`` must not exist unless ``force``; it is then replaced once the new folder is complete, and only
    if it is a folder ``quota generate`` wrote (checked before drawing, and again before the rename).
    """
    opts = GenerateOptions(counties=counties, projects=projects, years=years, seed=seed, **options)
    check_target(out, force, "scenario")
    d = draw_scenario(opts)
    d["rule_values"] = draw_rule_data(d, opts) if opts.rules else None
    files = render_files(d, opts)
    if opts.spatial:  # synthetic geometry (quota.commands.generate_spatial)
        from .generate_spatial import spatial_files

        layers, lines = spatial_files(d, opts.seed)
        files.update(layers)
        files["scenario.yaml"] += "\n".join(lines) + "\n"
    return write_folder(Path(out), files, force)


# ----------------------------------------------------------- rendering ----

def ha(values) -> list[str]:
    """Hundredths of a hectare as exact two-decimal text."""
    return [f"{int(v) // 100}.{int(v) % 100:02d}" for v in values]


def render_files(d: dict, o: GenerateOptions) -> dict[str, str]:
    """The folder's files as text: scenario.yaml, README.md and the CSV tables."""
    c, p, ph = d["counties"].copy(), d["projects"].copy(), d["phases"].copy()
    for col in ("unsupplied_stock", "idle_stock", "unsupplied_task", "idle_task", "unsupplied_disposed",
                "idle_disposed", "usable_stock", "overplan"):
        c[col] = ha(c[col])
    c["cap_base"] = ha_or_empty(c["cap_base"])
    for frame in (p, ph):
        frame["area"], frame["farmland_area"] = ha(frame["area"]), ha(frame["farmland_area"])
    for frame, cols in ((p, ("urgent", "ready", "stock_ok", "standalone_site")), (c, ("poverty_county",))):
        for col in (x for x in cols if x in frame):
            frame[col] = np.where(frame[col], "true", "false")
    files = {"scenario.yaml": render_yaml(d, o), "README.md": render_readme(d, o),
             "counties.csv": c.to_csv(index=False), "projects.csv": p.to_csv(index=False)}
    if len(ph):
        files["phases.csv"] = ph.to_csv(index=False)
    if len(d["dependencies"]):
        files["dependencies.csv"] = d["dependencies"].to_csv(index=False)
    if d["idle_parcels"] is not None:
        parcels = d["idle_parcels"].copy()
        parcels["area"] = ha(parcels["area"])
        files["idle_parcels.csv"] = parcels.to_csv(index=False)
    for name, cols in (("disposal", ("unsupplied", "idle", "extra_max")), ("history", ("approved", "supplied"))):
        if d.get(name) is not None:
            t = d[name].copy()
            for col in cols:
                t[col] = ha_or_empty(t[col])
            files[f"{name}.csv"] = t.to_csv(index=False)
    return files


def ha_or_empty(values) -> list[str]:
    """``ha``, with a missing value as an empty cell."""
    return ["" if pd.isna(v) else ha([v])[0] for v in values]


def render_yaml(d: dict, o: GenerateOptions) -> str:
    def years_map(m: dict) -> str:
        return "{" + ", ".join(f"{y}: {v:.1f}" for y, v in m.items()) + "}"

    tables = ", ".join(f"{name}: {name}.csv" for name in ("counties", "projects", "phases", "dependencies", "idle_parcels",
                                                          "disposal", "history")
                       if name in ("counties", "projects") or (d.get(name) is not None and len(d[name])))
    span = f"{o.year_list[0]}—{o.year_list[-1]}"
    params = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in asdict(o).items()
                       if (k != "rules" or v is not None) and (k != "spatial" or v))
    extra = d.get("rule_values") or {}
    advance = "advance: {max_share: 0.5, cost: 0.05, last_year: false"
    if extra.get("previous_quota") is not None:
        advance += f", previous_quota: {extra['previous_quota']:.1f}"
    linkage = "linkage: {penalty: 1.0, bonus: 0.10, cut: 0.20, "
    if o.rules:  # the set's restriction keys, not the first contract's aliases (they would override the set)
        linkage = [linkage + "stock_credit: 0.1}"]
    else:
        linkage = [linkage + "restrict_below: 0.15, restrict_on_overplan: true,",
                   "          exempt_categories: [livelihood, infrastructure], stock_credit: 0.1}"]
    lines = [
        "# 合成数据 SYNTHETIC DATA generated by `quota generate` — not official figures.",
        f"name: {json.dumps(f'合成情景 {o.counties} 县 {o.projects} 项目 {span}(seed {o.seed}, synthetic)', ensure_ascii=False)}",
        f"description: {json.dumps(f'generated by quota generate ({params})', ensure_ascii=False)}",
        *([f"rules: {o.rules}"] if o.rules else []),
        f"lang: {o.lang}", "unit: ha", f"years: [{', '.join(map(str, o.year_list))}]",
        f"quota: {years_map(d['quota'])}", f"farmland_quota: {years_map(d['farmland_quota'])}",
        "carry_over: 0.0", advance + "}",
        "phasing: {min_gap: 1, commit: all}", "delay_discount: 0.9", "scoring:",
        "  weights: {investment_intensity: 1.0, tax_intensity: 1.0, jobs_intensity: 0.5}",
        "  urgent_bonus: 0.5", "  key_bonus: {none: 0.0, city: 0.3, provincial: 0.5, national: 0.5}",
        *linkage, "key_projects_outside_budget: true",
    ]
    if extra.get("province_reserve"):
        lines.append(f"key_projects: {{province_reserve: {years_map(extra['province_reserve'])}}}")
    if d["idle_parcels"] is not None:
        lines.append(f"idle_land: {{assessment_date: {assessment_date(o).isoformat()}}}")
    lines.append(f"tables: {{{tables}}}")
    return "\n".join(lines) + "\n"


def render_readme(d: dict, o: GenerateOptions) -> str:
    c, p = d["counties"], d["projects"]
    n_key = p["key_level"].value_counts()
    n_alt = d["phases"].loc[d["phases"]["plan"] == "B", "project_id"].nunique()
    facts = [
        f"- {o.counties} counties, {o.projects} projects, years {o.year_list[0]}–{o.year_list[-1]}, seed {o.seed}.",
        f"- City quota {', '.join(f'{v:.1f}' for v in d['quota'].values())} ha; ready in-budget demand in the horizon "
        f"is {o.demand_ratio:g}× its sum.",
        f"- Counties restricted (限批) for slow disposal: {int(c.attrs['slow'].sum())}, for over-plan use: "
        f"{int(c.attrs['overplan'].sum())}; both disposal tasks met: {int(c.attrs['met'].sum())}; "
        f"with `cap_base`: {int(c['cap_base'].notna().sum())}.",
        f"- Phased: {p['project_id'].isin(d['phases']['project_id']).sum()} projects "
        f"({n_alt} with plans A and B); "
        f"urgent {int(p['urgent'].sum())}; not ready {int((~p['ready']).sum())}; key "
        + ", ".join(f"{k} {int(n_key.get(k, 0))}" for k in ("city", "provincial", "national")) + ".",
        f"- Dependencies {len(d['dependencies'])}; locks in {int((p['lock'] == 'in').sum())}, out {int((p['lock'] == 'out').sum())}; "
        f"idle parcels {0 if d['idle_parcels'] is None else len(d['idle_parcels'])}.",
    ]
    if o.rules:
        facts.append(rule_facts(d, o))
    return ("# Synthetic scenario (合成数据)\n\n"
            "> **SYNTHETIC DATA — not official figures.** Generated by `quota generate`; every number is drawn at\n"
            "> random within the magnitudes of the policy brief. County and project names are invented.\n\n"
            + "\n".join(facts) + "\n")


def rule_facts(d: dict, o: GenerateOptions) -> str:
    """The README line on the rule set's data."""
    c, p, disposal, history = d["counties"], d["projects"], d["disposal"], d["history"]
    reserve = d["rule_values"]["province_reserve"]
    n_extra = 0 if disposal is None else disposal.loc[disposal["extra_max"].notna(), "county_id"].nunique()
    return (f"- Rule set `{o.rules}` (`quota rules {o.rules}`): poverty counties "
            f"{int(c['poverty_county'].sum()) if 'poverty_county' in c else 0}; stand-alone-site provincial projects "
            f"{int(p['standalone_site'].sum()) if 'standalone_site' in p else 0}; provincial reserve "
            f"{', '.join(f'{v:.1f}' for v in reserve.values()) or 'none'} ha; disposal.csv: "
            + ("none" if disposal is None else f"every county and year, extra disposal allowed in {n_extra} counties")
            + "; history.csv: " + ("none" if history is None else f"the {history['year'].nunique()} years before the horizon")
            + ".")


def write_folder(out: Path, files: dict[str, str], force: bool) -> Path:
    """Write ``files`` and a manifest.json (``kind: scenario``, the file hashes; no time, so the same seed gives
    the same files) into a temporary folder beside ``out``, then rename it into place. ``--force`` replaces
    only a folder ``quota generate`` wrote (quota.report.write.check_target)."""
    out = check_target(out, force, "scenario")
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out.parent)
    tmp = make_temp(out)
    try:
        for name, text in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)  # spatial/ for --spatial
            (tmp / name).write_text(text, encoding="utf-8", newline="")
        manifest = {"kind": "scenario", "generator": "quota generate", "synthetic": True,
                    "outputs": {name: sha256(tmp / name) for name in sorted(files)}}
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        check_target(out, force, "scenario")  # again: another process may have written there meanwhile
        swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
