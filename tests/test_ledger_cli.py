"""``quota ledger`` commands as a user runs them: what they print, exit codes, one clear line on refusal."""
from __future__ import annotations

import re

from click.testing import CliRunner

from ledger_helpers import APPROVALS_2023, SUPPLY_2023, count, make_run, write
from quota.commands.cli import cli
from quota.ledger import schema


def quota(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="quota")


def test_the_commands_from_init_to_export(ledger_url, tmp_path):
    r = quota("ledger", "init", ledger_url)
    assert r.exit_code == 0 and f"schema version {schema.SCHEMA_VERSION} (created)" in r.output
    assert "(up to date)" in quota("ledger", "init", ledger_url).output
    run = make_run(tmp_path / "run")
    r = quota("ledger", "adopt", ledger_url, run, "--year", 2023)
    assert r.exit_code == 0 and re.search(r"adopted: +run #1, 2023: 4 approval row\(s\), 30\.00 ha \(batch 1\)", r.output)
    r = quota("ledger", "adopt", ledger_url, run, "--year", 2023)
    assert r.exit_code == 1 and "already holds 4 approval row(s) for 2023" in r.output and "Traceback" not in r.output
    r = quota("ledger", "import", ledger_url, write(tmp_path / "approvals.csv", APPROVALS_2023), "--replace")
    assert r.exit_code == 0 and "3 approvals row(s), 27.00 ha (batch 2, 4 earlier row(s) marked superseded)" in r.output
    r = quota("ledger", "import", ledger_url, write(tmp_path / "supply.csv", SUPPLY_2023))
    assert r.exit_code == 0, r.output
    r = quota("ledger", "status", ledger_url, "--year", 2025, "--lang", "en")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    row_2023 = next(line for line in lines if line.split()[:1] == ["2023"])
    assert row_2023.split() == ["2023", "#1", "adopted", "—", "30.00", "27.00", "-3.00", "23.00", "0.00", "0.00"]
    assert "approvals that lapse by the end of 2025" in r.output and "2025-05-10" in r.output
    r = quota("ledger", "status", ledger_url, "--year", 2025, "--lang", "zh")  # without --lang: the environment's
    assert "按年、按县:计划与实际" in r.output and "甲县" in r.output
    r = quota("ledger", "lapse", ledger_url, "--year", 2025)
    assert r.exit_code == 0 and "P1 phase 1 (甲县), approved 2023-05-10, 4.00 ha unsupplied on 2025-05-10" in r.output
    assert "0 approval(s)" in quota("ledger", "lapse", ledger_url, "--year", 2025).output
    r = quota("ledger", "export", ledger_url, "--out", tmp_path / "export")
    assert r.exit_code == 0 and (tmp_path / "export" / "ledger.xlsx").exists()
    assert quota("ledger", "export", ledger_url, "--out", tmp_path / "export").exit_code == 1


def test_a_bad_fact_file_lists_every_problem_and_writes_nothing(ledger_url, tmp_path):
    schema.init(ledger_url)
    bad = write(tmp_path / "approvals.csv", "project_id,county_id,plan,phase,year,source,area,approval_date\n"
                                            "P1,甲县,,1,2023,new,-1,2023-05-10\nP2,甲县,,1,2023,gift,1,2023-05-10\n")
    r = quota("ledger", "import", ledger_url, bad)
    assert r.exit_code == 1
    assert "2 problems in the facts; nothing was written" in r.output
    assert "approvals.csv, row P1 phase 1, line 2, column area" in r.output
    assert "approvals.csv, row P2 phase 1, line 3, column source" in r.output
    assert count(ledger_url, "approvals") == 0


def test_an_empty_ledger_and_a_missing_file(tmp_path):
    assert "no ledger at" in quota("ledger", "status", tmp_path / "none.db").output
    quota("ledger", "init", tmp_path / "l.db")
    r = quota("ledger", "status", tmp_path / "l.db", "--lang", "en")
    assert r.exit_code == 0 and "holds no plan and no fact yet" in r.output


def test_quota_run_records_itself_and_re_plans_from_the_ledger(ledger_url, tiny, tmp_path):
    import json

    import pandas as pd

    r = quota("run", tiny, "--out", tmp_path / "plan", "--counterfactuals", "off", "--ledger", ledger_url)
    assert r.exit_code == 0, r.output
    assert re.search(r"ledger: +run 1 recorded in ", r.output)
    assert quota("ledger", "adopt", ledger_url, tmp_path / "plan", "--year", 2023).exit_code == 0  # the same run: #1
    r = quota("run", tiny, "--out", tmp_path / "re", "--counterfactuals", "off", "--ledger", ledger_url, "--as-of", 2024)
    assert r.exit_code == 0, r.output
    assert re.search(r"ledger: +run 2 recorded in ", r.output)
    assert json.loads((tmp_path / "re" / "summary.json").read_text(encoding="utf-8"))["as_of"] == 2024
    past = [pd.read_csv(tmp_path / run / "allocations.csv").query("year == 2023").sort_values(["project_id", "source"])
            .reset_index(drop=True) for run in ("plan", "re")]
    assert len(past[0]) and past[0].equals(past[1])  # 2023 fixed to what was adopted


def test_as_of_needs_a_ledger_that_exists(tiny, tmp_path):
    r = quota("run", tiny, "--out", tmp_path / "a", "--as-of", 2025)
    assert r.exit_code == 2 and "--as-of needs --ledger" in r.output
    r = quota("run", tiny, "--out", tmp_path / "b", "--ledger", tmp_path / "none.db", "--as-of", 2025)
    assert r.exit_code == 1 and "no ledger at" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "b").exists()
