"""Province reserve and ring-fence (RULES.md items 4 and 6): hand-solved scenarios, solved end to end and verified.

Item 4 (``key_projects.outside_budget: national_and_standalone``): a stand-alone-site provincial project is outside the
city budget while a batch-reported provincial one draws on ``key_projects.province_reserve``. Item 6
(``ring_fence.per_county``): a restricted poverty county approves its own projects on ring-fenced quota alone.
"""
import json

import pandas as pd
import pytest
from builder import county, project, write_scenario, write_table
from familycheck import FLAT, X, assert_alloc, assert_terms, build, cell_keys, keys, objective, objective_is, rhs, row, solve, status

from quota.check.verify import verify, violations
from quota.input.validate import load
from quota.run import run_scenario

NO_KEY_BONUS = {**FLAT, "key_bonus": {"none": 0, "city": 0, "provincial": 0, "national": 0}}  # every w = 1
# restricted by its disposal rate (10 / 100 < 0.15); shortfall 1 − 10/20 = 0.5, π = 0.5
def P(pid: str, year: int, phase: int = 1, plan: str = "") -> tuple:
    return ("p", pid, plan, phase, year)


def R(pid: str, year: int, phase: int = 1, plan: str = "") -> tuple:
    return ("r", pid, plan, phase, year)


RESTRICTED = dict(unsupplied_stock=100, idle_stock=0, unsupplied_task=20, idle_task=0, unsupplied_disposed=10, idle_disposed=0)


def with_flags(folder, counties=None, projects=None):
    """Rewrite counties.csv / projects.csv with the optional columns poverty_county / standalone_site."""
    if counties is not None:
        write_table(folder / "counties.csv", counties, list(county()) + ["poverty_county"])
    if projects is not None:
        write_table(folder / "projects.csv", projects, list(project()) + ["standalone_site"])
    return folder


# ------------------------------------------------------------ item 4 ----

KEY_PROJECTS = [project(project_id="S", key_level="provincial", standalone_site="true", area=30),
                project(project_id="N", key_level="national", area=50),
                project(project_id="B", key_level="provincial", area=20),
                project(project_id="C", area=5), project(project_id="D", area=6)]


def write_key(tmp_path, **config):
    cfg = dict(years=[2023], quota={2023: 10}, scoring=NO_KEY_BONUS,
               key_projects={"outside_budget": "national_and_standalone", "province_reserve": {2023: 15}})
    folder = write_scenario(tmp_path, [county()], **{**cfg, **config})
    return with_flags(folder, projects=KEY_PROJECTS)


def test_standalone_provincial_outside_budget_batch_provincial_draws_on_the_reserve(tmp_path):
    """One year, city quota 10, provincial reserve 15, every w = 1, county a not restricted and π_a = 0.

    S (provincial, stand-alone site) and N (national) are outside the city budget: placed in 2023, no quota.
    B (provincial, batch-reported, 20 ha) is inside it: it may draw p ≤ 15 from the reserve, the rest (≥ 5) from
    the city's 10. C (5) and D (6) can use new quota only. Candidate sets within n ≤ 10:
      {B, C}: n = 5 + 5 = 10, value 20 + 5 = 25;   {B, D}: n = 11 > 10;   {C, D}: n = 11 > 10;   {D}: 6.
    Optimum: B (15 province + 5 new) and C (5 new), objective 25; D rejected. Without the reserve B could not
    fit at all (20 > 10)."""
    r = solve(write_key(tmp_path))
    assert_alloc(r, {("S", 1, 2023, "higher_level"): 30, ("N", 1, 2023, "higher_level"): 50,
                     ("B", 1, 2023, "province"): 15, ("B", 1, 2023, "new"): 5, ("C", 1, 2023, "new"): 5})
    objective_is(r, 25.0)
    assert status(r) == {"S": "higher_level", "N": "higher_level", "B": "approved", "C": "approved", "D": "rejected"}
    assert "provincial reserve 2023: 15.0 of 15.0 ha used" in r.projects.at["B", "reason"]
    assert "province reserve 15.00 ha" in r.projects.at["B", "reason"]
    assert "stand-alone-site provincial key project" in r.projects.at["S", "reason"]
    assert r.years.loc[2023, "province_used"] == pytest.approx(15) and r.years.loc[2023, "province_reserve"] == 15


def test_reserve_rows_and_variables(tmp_path):
    m = build(write_key(tmp_path))
    assert cell_keys(m, "p") == {("B", "", 1, 2023)}  # only the batch-reported provincial project
    assert keys(m, "province_reserve") == [2023] and rhs(m, "province_reserve") == {2023: 15.0}
    assert_terms(row(m, "province_reserve", 2023), {P("B", 2023): 1})
    # n = a·x − p: the reserve lowers B's charge on the city row, and no county or farmland row has p
    assert_terms(row(m, "city_quota", 2023), {X("B", 2023): 20, P("B", 2023): -1, X("C", 2023): 5, X("D", 2023): 6})
    assert_terms(row(m, "supply_split", ("B", "", 1, 2023)), {X("B", 2023): -20, P("B", 2023): 1})
    assert objective(m).get(P("B", 2023), 0.0) == pytest.approx(0.0)  # + π_a = 0: the reserve pays no penalty
    assert m.projects.loc[["S", "N", "B"], "higher_level"].tolist() == [True, True, False]


def test_under_the_first_contract_every_provincial_project_is_outside(tmp_path):
    """No rules: S, N and B are all higher level; C and D compete for 10: D (6) alone beats C (5) alone,
    both (11) do not fit. Objective 6."""
    folder = write_key(tmp_path)
    cfg = (folder / "scenario.yaml").read_text(encoding="utf-8")
    (folder / "scenario.yaml").write_text(cfg.split("key_projects:")[0], encoding="utf-8")
    r = solve(folder)
    assert status(r) == {"S": "higher_level", "N": "higher_level", "B": "higher_level", "C": "rejected", "D": "approved"}
    objective_is(r, 6.0)
    assert "province_used" not in r.years


# ------------------------------------------------------------ item 6 ----

def write_ring(tmp_path, per_county=10):
    counties = [county(county_id="p", name="丙县", poverty_county="true", **RESTRICTED), county(county_id="b", name="乙县")]
    projects = [project(project_id="A1", county_id="p", area=10, farmland_area=10),
                project(project_id="A2", county_id="p", area=8), project(project_id="B1", county_id="b", area=5)]
    folder = write_scenario(tmp_path, years=[2023, 2024], quota={2023: 5, 2024: 5}, farmland_quota={2023: 1, 2024: 1},
                            scoring=NO_KEY_BONUS, delay_discount=0.9, ring_fence={"per_county": per_county})
    return with_flags(folder, counties=counties, projects=projects)


def test_ring_fenced_poverty_county(tmp_path):
    """Two years, city quota 5 a year, farmland quota 1 a year, ring-fence 10 ha a year, δ = 0.9, every w = 1.

    丙县 (p) is a poverty county restricted by its disposal rate (π_p = 0.5), without usable stock: its industrial
    projects A1 (10 ha, all farmland) and A2 (8 ha) may draw only ring-fenced quota, which 限批 does not shut, the
    city row and the farmland row do not count, and which pays no π. 10 a year fits one of them a year:
      A1 2023, A2 2024: 10 + 0.9·8 = 17.2;   A2 2023, A1 2024: 8 + 0.9·10 = 17.0.
    B1 (乙县, 5 ha) takes the city's 5 in 2023: 5. Optimum 22.2; A2 deferred to 2024, using 8 of its 10 (2 lapse:
    nothing is carried over)."""
    r = solve(write_ring(tmp_path))
    assert_alloc(r, {("A1", 1, 2023, "ring_fenced"): 10, ("A2", 1, 2024, "ring_fenced"): 8, ("B1", 1, 2023, "new"): 5})
    objective_is(r, 22.2)
    assert status(r) == {"A1": "approved", "A2": "deferred", "B1": "approved"}
    assert "ring-fenced quota of 丙县 2023: 10.0 of 10.0 ha used" in r.projects.at["A2", "reason"]
    assert r.counties.at["p", "ring_fenced_used"] == pytest.approx(18)
    assert (r.counties.at["p", "ring_fenced_2023"], r.counties.at["p", "ring_fenced_2024"]) == pytest.approx((10, 8))
    assert r.years["ring_fenced_used"].tolist() == pytest.approx([10, 8])


def test_without_the_ring_fence_the_restricted_county_gets_nothing(tmp_path):
    """per_county 0 (the first contract): A1 and A2 are restricted and have no stock: rejected; objective 5."""
    r = solve(write_ring(tmp_path, per_county=0))
    assert status(r) == {"A1": "rejected", "A2": "rejected", "B1": "approved"}
    objective_is(r, 5.0)
    assert "ring_fenced_used" not in r.counties


def test_ring_fence_rows(tmp_path):
    m = build(write_ring(tmp_path))
    assert {k[0] for k in cell_keys(m, "r")} == {"A1", "A2"}
    assert keys(m, "ring_fence") == [("p", 2023), ("p", 2024)] and set(rhs(m, "ring_fence").values()) == {10.0}
    assert set(keys(m, "stock_only")) == {(pid, "", 1, y) for pid in ("A1", "A2") for y in (2023, 2024)}
    assert_terms(row(m, "stock_only", ("A1", "", 1, 2023)), {X("A1", 2023): -10, R("A1", 2023): 1})  # s + r = a·x, no s
    assert_terms(row(m, "ring_fence", ("p", 2023)), {R("A1", 2023): 1, R("A2", 2023): 1})
    assert_terms(row(m, "farmland", 2023), {})  # A1's farmland comes with its ring-fenced quota: not the city's row
    obj = objective(m)  # x: a·(w − π) = 10·(1 − 0.5); r: + π = 0.5: the ring-fence pays no penalty
    assert obj[X("A1", 2023)] == pytest.approx(5.0) and obj[R("A1", 2023)] == pytest.approx(0.5)


# ----------------------------------------------------- run folder ----

def test_run_folder_shows_the_new_sources(tmp_path):
    run_scenario(write_ring(tmp_path / "s"), tmp_path / "out", lang="en")
    alloc = (tmp_path / "out" / "allocations.csv").read_text(encoding="utf-8")
    assert "ring_fenced" in alloc
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert [y["ring_fenced_used"] for y in summary["years"]] == pytest.approx([10, 8])
    assert "ring_fenced_used" in (tmp_path / "out" / "counties.csv").read_text(encoding="utf-8").splitlines()[0]


# ------------------------------------------------- verifier catches ----

# check of quota/check/verify_sources.py -> (scenario, corruption of its allocation); tests/test_verify.py holds the
# keys equal to the checks that module emits
RULE_CORRUPTIONS = {
    "ring_fence": ("ring", lambda a: a.assign(year=a["year"].where(a["project_id"] != "A2", 2023))),  # A2 in 2023 too: 18 of 10
    "ring_fenced_eligible": ("ring", lambda a: a.assign(source=a["source"].where(a["project_id"] != "B1", "ring_fenced"))),  # 乙县 is no poverty county
    "province_reserve": ("key", lambda a: a[~((a["project_id"] == "B") & (a["source"] == "new"))].assign(  # B all from the reserve: 20 of 15
        area=lambda t: t["area"].where(~((t["project_id"] == "B") & (t["source"] == "province")), 20.0))),
    "province_eligible": ("key", lambda a: a.assign(source=a["source"].where(a["project_id"] != "C", "province"))),  # C is no provincial key project
}


@pytest.mark.parametrize("check", list(RULE_CORRUPTIONS) + ["sources"])
def test_verifier_catches_tampering(tmp_path, check):
    which, corrupt = RULE_CORRUPTIONS.get(check, ("key", lambda a: a.assign(source=a["source"].where(a["project_id"] != "C", "ring_fenced"))))
    folder = (write_key if which == "key" else write_ring)(tmp_path)
    r = solve(folder)
    bad = violations(verify(load(folder), corrupt(r.allocations.copy()), r.projects, None))
    assert check in set(bad["family"]), bad

def test_reasons_in_chinese_name_the_new_sources(tmp_path):
    r = solve_zh(write_ring(tmp_path / "ring"))
    assert "丙县 2023 年脱贫县戴帽指标已用 10.0/10.0 公顷" in r.projects.at["A2", "reason"]
    assert "来源:戴帽 10.00 公顷" in r.projects.at["A1", "reason"]
    r = solve_zh(write_key(tmp_path / "key"))
    assert "2023 年省级预留指标已用 15.0/15.0 公顷" in r.projects.at["B", "reason"]
    assert r.projects.at["S", "reason"].startswith("单独选址的省级重点项目")


def solve_zh(folder):
    from quota.pipeline import solve_scenario

    return solve_scenario(load(folder), lang="zh")


@pytest.mark.parametrize("write, key", [(write_ring, "ring_fence.per_county"), (write_key, "key_projects.province_reserve")])
def test_factor_method_refuses_them_by_name(tmp_path, write, key):
    from quota.errors import ScenarioError
    from quota.pipeline import factor_scenario

    with pytest.raises(ScenarioError, match=rf"factor method \(--method factor\) does not allocate {key}"):
        factor_scenario(load(write(tmp_path)))


def test_shadow_prices_name_the_reserve_and_the_ring_fence(tmp_path):
    """The ring-fence of 丙县 binds in 2023 (A2 waits for 2024): in the LP relaxation one more hectare then would
    bring a hectare of A2 forward a year, worth 1 − δ = 0.1."""
    r = solve(write_ring(tmp_path))
    prices = r.explanations["shadow_prices"].set_index(["family", "key"])
    assert prices.at[("ring_fence", "p/2023"), "label"] == "value per extra ha of ring-fenced quota of 丙县 2023"
    assert prices.at[("ring_fence", "p/2023"), "relaxation_price_per_ha"] == pytest.approx(0.1)


def test_a_ring_fence_without_poverty_counties_writes_zero_use_and_passes_the_audit(tmp_path):
    """ring_fence.per_county > 0 but no county flagged: the model has no r, counties.csv still has the ring-fenced
    columns (all 0), and the audit, which recomputes them, finds no discrepancy."""
    from quota.check.audit import audit_run

    folder = write_ring(tmp_path / "s")
    counties = [county(county_id="p", name="丙县", poverty_county="false", **RESTRICTED), county(county_id="b", name="乙县")]
    with_flags(folder, counties=counties)
    out = tmp_path / "run"
    run_scenario(folder, out)
    c = pd.read_csv(out / "counties.csv").set_index("county_id")
    assert (c["ring_fenced_used"] == 0).all() and (c["ring_fenced_2023"] == 0).all()
    checks = audit_run(out, resolve="off")
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()
