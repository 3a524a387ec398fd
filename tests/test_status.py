"""Project status (quota/solve/evaluate.py eval_project_schedule) per MODEL.md's precise semantics.

approved: every phase approved, phase 1 in its earliest year (clamped to the first year);
deferred: every phase approved, phase 1 later; partial: phase 1 approved and some phase of the chosen
plan not approved within the horizon, whatever commit says; rejected: eligible, not approved;
excluded: ineligible; higher_level: placed by the higher level.
"""
from builder import county, project, write_scenario
from familycheck import FLAT, assert_alloc, first_year, objective_is, solve, status


def phase(pid, k, area, e, plan=""):
    return dict(project_id=pid, plan=plan, phase=k, area=area, farmland_area=0, earliest_year=e)


def status_scenario(tmp_path, commit):
    counties = [county(county_id="a"), county(county_id="b", name="乙县"), county(county_id="c", name="丙县")]
    city = dict(key_level="city", area=5)
    projects = [project(project_id="AP", county_id="a", **city),
                project(project_id="OLD", county_id="a", earliest_year=2021, **city),
                project(project_id="DEF", county_id="b", area=5),
                project(project_id="PAR", county_id="b", key_level="city", area=10),
                project(project_id="PAR2", county_id="c", key_level="city", area=55),
                project(project_id="PH2", county_id="c", key_level="city", area=10),
                project(project_id="REJ", county_id="c", area=100),
                project(project_id="EXC", county_id="a", ready="false"),
                project(project_id="HL", county_id="b", key_level="provincial", area=10, earliest_year=2022)]
    phases = [phase("PAR", 1, 5, 2023), phase("PAR", 2, 5, 2026),
              phase("PAR2", 1, 5, 2023), phase("PAR2", 2, 50, 2024),
              phase("PH2", 1, 5, 2023), phase("PH2", 2, 5, 2023),
              phase("HL", 1, 5, 2022), phase("HL", 2, 5, 2026)]
    return write_scenario(tmp_path, counties, projects, phases, quota={2023: 25, 2024: 10, 2025: 0}, scoring=FLAT,
                          phasing={"commit": commit})


def test_every_status_commit_first(tmp_path):
    """Q = 25 / 10 / 0; w = 1.3 for city key projects, 1 for the others; δ = 0.9; commit: first.

    2023 candidates, 5 ha each: AP, OLD (waiting since 2021), PAR phase 1, PAR2 phase 1, PH2 phase 1, DEF
    — 30 ha for 25. Deferring DEF (w 1) costs 0.5, any other 0.65: DEF waits for 2024.
    2024 (10 ha): DEF 5 + PH2 phase 2 5 (gap 1). PAR2's phase 2 (50 ha) never fits; PAR's phase 2 starts
    in 2026. REJ (100 ha) never fits. EXC is not ready. HL is placed by the higher level: phase 1 in
    2023 (earliest 2022, clamped), phase 2 (2026) is not reported.
    Objective 5·6.5 + 0.9·6.5 (PH2 phase 2) + 0.9·5 (DEF) = 32.5 + 5.85 + 4.5 = 42.85.
    """
    r = solve(status_scenario(tmp_path, "first"))
    assert status(r) == {"AP": "approved", "OLD": "approved", "DEF": "deferred", "PAR": "partial", "PAR2": "partial",
                         "PH2": "approved", "REJ": "rejected", "EXC": "excluded", "HL": "higher_level"}
    assert_alloc(r, {("AP", 1, 2023, "new"): 5, ("OLD", 1, 2023, "new"): 5, ("PAR", 1, 2023, "new"): 5,
                     ("PAR2", 1, 2023, "new"): 5, ("PH2", 1, 2023, "new"): 5, ("PH2", 2, 2024, "new"): 5,
                     ("DEF", 1, 2024, "new"): 5, ("HL", 1, 2023, "higher_level"): 5})
    objective_is(r, 42.85)
    p = r.projects
    assert p.at["OLD", "deferral_years"] == 0 and first_year(r, "OLD") == 2023   # clamped to the first year
    assert p.at["DEF", "deferral_years"] == 1
    assert first_year(r, "HL") == 2023
    assert (p.at["PAR2", "phases_approved"], p.at["PAR2", "phases_total"]) == (1, 2)
    assert r.summary["projects"] == {"approved": 3, "deferred": 1, "partial": 2, "rejected": 1, "excluded": 1, "higher_level": 1}
    assert "deferred 1 year(s) to 2024 (earliest 2023)" in p.at["DEF", "reason"]
    assert "1 of 2 phases" in p.at["PAR2", "reason"]
    assert p["reason"].str.len().min() > 0


def test_commit_all_rejects_a_project_whose_committed_phase_cannot_follow(tmp_path):
    """commit: all — PAR2's phase 2 (earliest 2024, inside the horizon) is committed but never fits, so PAR2
    is rejected; PAR is still partial (its phase 2 starts after the horizon). 2023 now has room for DEF:
    4·6.5 + 5 + 0.9·6.5 = 36.85."""
    r = solve(status_scenario(tmp_path, "all"))
    st = status(r)
    assert (st["PAR"], st["PAR2"], st["DEF"]) == ("partial", "rejected", "approved")
    objective_is(r, 36.85)


def test_approved_is_judged_against_the_chosen_plans_phase_one(tmp_path):
    """Q = 3 / 5 / 5; w = 1. P's plan A (10 ha from 2023) never fits; plan B starts later: phase 1 5 ha from
    2024, phase 2 5 ha from 2025. P is approved in 2024 — on time for plan B, though the project's own
    earliest year is 2023. Z (county b, 3 ha) in 2023. Objective 5 + 5 + 3 = 13."""
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="P"), project(project_id="Z", county_id="b", area=3)]
    phases = [phase("P", 1, 10, 2023, "A"), phase("P", 1, 5, 2024, "B"), phase("P", 2, 5, 2025, "B")]
    r = solve(write_scenario(tmp_path, counties, projects, phases, quota={2023: 3, 2024: 5, 2025: 5}, scoring=FLAT))
    assert status(r) == {"P": "approved", "Z": "approved"}
    assert r.projects.at["P", "plan"] == "B" and first_year(r, "P") == 2024
    objective_is(r, 13.0)


def test_higher_level_project_excluded_when_not_ready(tmp_path):
    """A provincial key project that is not ready is excluded, not placed."""
    projects = [project(project_id="HL", key_level="national", ready="false"), project(project_id="P")]
    r = solve(write_scenario(tmp_path, projects=projects, scoring=FLAT))
    assert status(r) == {"HL": "excluded", "P": "approved"}
    assert "HL" not in set(r.allocations["project_id"])
