"""Near-optimal alternatives (quota.solve.alternatives): no-good cuts, the objective floor, the frequency
table, and ``--alternatives 5`` on the default scenario (acceptance 4)."""
from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from quota.solve.alternatives import add_no_good_cut, add_objective_floor, find_alternatives
from quota.model.build import build_model
from quota.commands.cli import cli
from quota.input.validate import load

TINY = Path(__file__).parent / "fixtures" / "tiny"


def test_no_good_cut_rows(tmp_path):
    """Σ_{p∉A} z_p − Σ_{p∈A} z_p ≥ 1 − |A| over the phase-1 x of every plan and year; two cuts share one family."""
    m = build_model(load(TINY))
    first = m.cells[m.cells["phase"] == 1]
    add_no_good_cut(m, frozenset({"P1", "P7"}), "optimum")
    add_no_good_cut(m, frozenset({"P1"}), "alt_1")
    fam = m.families["no_good"]
    assert list(fam.index) == ["optimum", "alt_1"] and list(fam.attrs["rhs"]) == [-1.0, 0.0]
    row = fam["optimum"]
    coef = {v.name: c for v, c in row.items()}
    for x, pid in zip(first["x"], first["project_id"]):
        assert coef[x.name] == (-1.0 if pid in {"P1", "P7"} else 1.0)
    assert len(coef) == len(first)  # later phases are not in the cut
    add_objective_floor(m, 100.0)
    assert m.families["objective_floor"].attrs["rhs"].tolist() == [100.0]


def test_alternatives_of_the_default_scenario(contract_run, capsys):
    """Acceptance 4: 5 allocations, each approving another set of projects, each verified, each within 1%."""
    sol = contract_run.solution
    alt = find_alternatives(contract_run.scenario, sol, 5, within=0.01)
    assert len(alt.found) == 5
    sets = [alt.optimum.approved] + [a.approved for a in alt.found]
    assert all(a != b for a, b in combinations(sets, 2))  # distinct: pairwise different approved projects
    for a in alt.found:
        assert a.checks["ok"].all() and len(a.checks) > 100
        assert a.solution.objective >= (1 - 0.01) * sol.bound - 1e-6  # within 1% of the optimum's bound, so of the optimum
    f = alt.frequency.set_index("project_id")
    assert f["solutions"].eq(6).all() and f["times_approved"].between(0, 6).all()
    assert (f["in_optimum"] == f.index.isin(alt.optimum.approved)).all()
    assert set(f["class"]) == {"robust", "interchangeable", "never"}
    assert (f.loc[f["class"] == "robust", "times_approved"] == 6).all()
    counts = pd.Series([p for s in sets for p in s]).value_counts()
    assert (f.loc[counts.index, "times_approved"] == counts).all()
    with capsys.disabled():
        print("\n" + alt.summary[["solution", "objective", "below_optimum", "projects_approved", "added", "removed",
                                  "violations"]].to_string(index=False))
        print(f["class"].value_counts().to_string())


def test_cli_alternatives_write_the_table_and_each_allocation(tmp_path):
    out = tmp_path / "alt"
    result = CliRunner().invoke(cli, ["run", str(TINY), "--out", str(out), "--alternatives", "2", "--within", "0.5",
                                      "--counterfactuals", "off"])
    assert result.exit_code == 0, result.output
    assert "alternatives: 2 of 2 found within 50.00%" in result.output
    table = pd.read_csv(out / "alternatives.csv")
    assert {"project_id", "times_approved", "solutions", "in_optimum", "class"} <= set(table.columns)
    summary = pd.read_csv(out / "alternatives" / "summary.csv")
    assert list(summary["solution"]) == ["optimum", "alt_1", "alt_2"] and (summary["violations"] == 0).all()
    for name in ("alt_1", "alt_2"):
        alloc = pd.read_csv(out / "alternatives" / name / "allocations.csv")
        assert {"project_id", "plan", "phase", "year", "source", "area"} <= set(alloc.columns)
    assert "## Near-optimal alternatives" in (out / "report.md").read_text(encoding="utf-8")
    audit = CliRunner().invoke(cli, ["audit", str(out)])
    assert audit.exit_code == 0, audit.output  # the extra files are in the manifest


def test_fewer_alternatives_when_no_other_allocation_is_close_enough():
    s = load(TINY)
    from quota.run import solve_scenario

    r = solve_scenario(s)
    alt = find_alternatives(s, r.solution, 3, within=0.0)
    assert len(alt.found) < 3
    for a in alt.found:  # any found are ties with the optimum
        assert a.solution.objective >= r.solution.bound - 1e-6
