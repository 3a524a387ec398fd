"""Regenerate the figures that docs/scenarios-and-sweeps.md and docs/compare.md state, from real runs.

    .venv/bin/python benchmarks/doc_figures.py            # solve, then rewrite the figures in the two pages
    .venv/bin/python benchmarks/doc_figures.py --check    # solve, and exit 1 if a page states other figures

It runs the documented commands (counterfactuals off: they do not change the allocation): the optimiser
against the factor method (``lapse`` and ``--set factor.unused=pool``) on the first-contract city
(``scenarios/shijiazhuang-contract-2023``: the factor method follows only the first contract), and
``--alternatives 5 --within 0.01`` and the P096 plan-A variant on the bundled default (hebei-2024), and replaces the text between
``<!-- doc-figures:NAME:start -->`` and ``<!-- doc-figures:NAME:end -->`` in each page. A few minutes
on an idle machine; not part of the test suite for that reason.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "scenarios" / "shijiazhuang-contract-2023"
PAGES = {"scenarios-and-sweeps": ROOT / "docs" / "scenarios-and-sweeps.md", "compare": ROOT / "docs" / "compare.md"}


def _run(out: Path, scenario=None, **kwargs) -> Path:
    from quota.run import run_scenario

    run_scenario(scenario, out, counterfactuals=False, **kwargs)
    return out


def _headline(a: Path, b: Path) -> dict:
    from quota.commands.compare import compare_runs, read_run

    h = compare_runs(read_run(a), read_run(b)).headline
    return {(m, k): (x, y) for m, k, x, y in zip(h["measure"], h["key"], h["A"], h["B"])}


def factor_figures(tmp: Path) -> dict[str, str]:
    base, factor = _run(tmp / "base", CONTRACT), _run(tmp / "factor", CONTRACT, method="factor")
    pool = _run(tmp / "pool", CONTRACT, method="factor", sets=["factor.unused=pool"])
    h, hp = _headline(base, factor), _headline(base, pool)
    projects = pd.read_csv(base / "projects.csv", keep_default_na=False, na_values=[""])
    n_key = int((projects["key_level"].fillna("none") != "none").sum())
    n_urgent = int(projects["urgent"].astype(str).str.lower().isin(("true", "1")).sum())
    years = sorted(k for m, k in h if m == "utilisation")
    util = [" / ".join(f"{h[('utilisation', y)][i]:.1%}" for y in years) for i in (0, 1)]
    rows = [("objective", *(f"{v:,.1f}" for v in h[("objective", "")])),
            ("value of approvals", *(f"{v:,.1f}" for v in h[("value", "")])),
            (f"utilisation {' / '.join(years)}", *util),
            (f"key projects approved (of {n_key})", *(str(v) for v in h[("key_approved", "")])),
            (f"urgent projects approved (of {n_urgent})", *(str(v) for v in h[("urgent_approved", "")])),
            ("stock used (ha)", *(f"{v:,.1f}" for v in h[("stock_used", "")]))]
    table = ["| measure | optimiser | factor method (lapse) |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    pool_util = " / ".join(f"{hp[('utilisation', y)][1]:.1%}" for y in years)
    sentence = (f"With `--set factor.unused=pool` the factor method uses {pool_util} of the quota and\n"
                f"reaches an objective of {hp[('objective', '')][1]:,.1f}, "
                f"{'still below' if hp[('objective', '')][1] < hp[('objective', '')][0] else 'not below'} the optimiser's, "
                f"with {hp[('key_approved', '')][1]} key projects.")
    return {"factor-table": "\n".join(table), "factor-pool": sentence}


def alternatives_figures(tmp: Path) -> dict[str, str]:
    out = _run(tmp / "alternatives", alternatives=5, within=0.01)
    summary = pd.read_csv(out / "alternatives" / "summary.csv")
    freq = pd.read_csv(out / "alternatives.csv", keep_default_na=False, na_values=[""])
    alts = summary[summary["solution"] != summary["solution"].iloc[0]] if len(summary) > 5 else summary
    below = alts["below_optimum"]
    optimum = float(pd.read_json(out / "summary.json", typ="series")["objective"])
    swap = freq.loc[freq["class"] == "interchangeable", "project_id"].tolist()
    robust = int((freq["class"] == "robust").sum())
    named = ", ".join(swap[:5]) + (" and others" if len(swap) > 5 else "")
    return {"alternatives": (f"On the default scenario the {len(alts)} alternatives lie {below.min():.2%}–{below.max():.2%} below "
                             f"the optimum ({optimum:,.2f}): they\nkeep {robust} projects in every solution (robust), and swap "
                             f"{len(swap)} among themselves ({named}), which is where the planners' discussion should go.")}


def compare_figures(tmp: Path) -> dict[str, str]:
    base = _run(tmp / "cmp-base")
    plan_a = _run(tmp / "p096-a", ROOT / "scenarios" / "shijiazhuang-p096-plan-a")
    from quota.commands.compare import compare_runs, read_run

    c = compare_runs(read_run(base), read_run(plan_a))
    drop = c.headline.set_index("measure").loc["objective", "delta"]
    others = int((c.changed["project_id"] != "P096").sum())
    plans = pd.read_csv(base / "plans.csv", keep_default_na=False, na_values=[""])
    p = plans[plans["project_id"] == "P096"].set_index("plan")
    values = sorted({f"{v:,.2f}" for v in p["value_if_chosen"]})
    worth = (f"both plans are worth {values[0]} alone" if len(values) == 1
             else "plan A is worth " + p.loc["A", "value_if_chosen"].__format__(",.2f") + " alone, plan B "
             + p.loc["B", "value_if_chosen"].__format__(",.2f"))
    chosen = p.index[p["chosen"].astype(str).str.lower() == "true"].tolist()
    b = p.loc["B"]
    held = c.b.projects.set_index("project_id").loc["P096"]
    return {"p096": (f"In the bundled default the model picks plan {'/'.join(chosen) or '—'} for P096 ({worth}; B spreads\n"
                     f"{b['area_in_horizon']:,.0f} ha over {int(b['phases_in_horizon'])} years). Held to plan A, P096 is "
                     f"{held['status']} (first year {held['first_year']}), the objective "
                     f"changes by {drop:+,.1f} (HiGHS at the default gap),\nand {others} other projects move or change status as "
                     "the quota is shared out again.")}


def replace_block(text: str, name: str, body: str) -> str:
    start, end = f"<!-- doc-figures:{name}:start -->", f"<!-- doc-figures:{name}:end -->"
    i, j = text.index(start) + len(start), text.index(end)
    return text[:i] + "\n" + body + "\n" + text[j:]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Do not write; exit 1 if a page states other figures.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="doc-figures-") as tmp:
        tmp = Path(tmp)
        blocks = {"scenarios-and-sweeps": {**factor_figures(tmp), **alternatives_figures(tmp)}, "compare": compare_figures(tmp)}
    stale = []
    for page, figures in blocks.items():
        path = PAGES[page]
        text = path.read_text(encoding="utf-8")
        new = text
        for name, body in figures.items():
            new = replace_block(new, name, body)
        if new != text:
            stale.append(str(path.relative_to(ROOT)))
            if not args.check:
                path.write_text(new, encoding="utf-8")
    verb = "state other figures than the runs" if args.check else "rewritten"
    print(f"{', '.join(stale)}: {verb}" if stale else "the figures in the docs match the runs")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
