"""``--set key.path=value``: variants from the command line (quota.input.variants).

An override changes the merged yaml before validation, exactly as a variant file would; an
unknown key or a value of the wrong type is a clear error that names the key (acceptance 5).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from builder import county, project, write_scenario
from click.testing import CliRunner

from quota.commands.cli import cli
from quota.errors import ScenarioError
from quota.input.variants import apply_overrides, check_key, load_variant, overrides_applied, parse_set

TINY = Path(__file__).parent / "fixtures" / "tiny"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_clean_failure(result, *words):
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), f"unhandled {type(result.exception).__name__}: {result.exception}"
    assert "Traceback" not in result.output and result.output.startswith("Error: ")
    for word in words:
        assert word in result.output, f"{word!r} not in:\n{result.output}"


# ----------------------------------------------------------------- apply ----

def test_values_are_read_as_yaml():
    assert parse_set("linkage.penalty=2").value == 2
    assert parse_set("advance.last_year=true").value is True
    assert parse_set("linkage.exempt_categories=[livelihood]").value == ["livelihood"]
    assert parse_set("name=a=b").value == "a=b"  # only the first = splits


def test_overrides_change_only_the_keys_named():
    s = load_variant(TINY, ["linkage.penalty=2", "advance.max_share=0.3", "scoring.key_bonus.city=0.4",
                            "linkage.exempt_categories=[livelihood]", "quota.2024=40"])
    base = load_variant(TINY)
    assert s.linkage.penalty == 2.0 and s.advance.max_share == 0.3 and s.scoring.key("city") == 0.4
    assert s.linkage.exempt_categories == ("livelihood",)
    assert s.quota == {2023: 30.0, 2024: 40.0, 2025: 30.0}
    assert s.linkage.bonus == base.linkage.bonus and s.advance.cost == base.advance.cost  # mappings merge


def test_scale_multiplies_every_year_after_the_plain_keys_whatever_the_order():
    a = load_variant(TINY, ["quota.scale=0.9", "quota.2024=40"])
    b = load_variant(TINY, ["quota.2024=40", "quota.scale=0.9"])
    assert a.quota == b.quota == pytest.approx({2023: 27.0, 2024: 36.0, 2025: 27.0})
    assert load_variant(TINY, ["farmland_quota.scale=0.5"]).farmland_quota == pytest.approx({2023: 10, 2024: 10, 2025: 10})


def test_the_last_of_two_sets_of_one_key_wins():
    assert load_variant(TINY, ["linkage.penalty=2", "linkage.penalty=3"]).linkage.penalty == 3.0


def test_overrides_applied_records_final_values_for_the_manifest():
    config = apply_overrides({"quota": {2023: 10, 2024: 20}, "linkage": {"bonus": 0.1}}, ["quota.scale=2", "linkage.penalty=1"])
    assert overrides_applied(config, ["quota.scale=2", "linkage.penalty=1"]) == {"quota": {2023: 20, 2024: 40},
                                                                               "linkage": {"penalty": 1}}


@pytest.mark.parametrize("key", ["linkage.penalty", "quota.2024", "quota.scale", "farmland_quota.scale", "scoring.weights.jobs_intensity",
                                 "factor.weights.disposal", "factor.unused", "idle_land.fee_rate", "name", "years"])
def test_scenario_keys_may_be_set(key):
    assert check_key(key) is None


# ---------------------------------------------------------------- errors ----

@pytest.mark.parametrize("text, named", [
    ("linkage.penalti=2", "linkage.penalti"),
    ("penalty=2", "penalty"),
    ("quota.next=2", "quota.next"),
    ("carry_over.share=0.5", "carry_over.share"),
    ("tables.projects=other.csv", "tables.projects"),
    ("extends=base.yaml", "extends"),
])
def test_an_unknown_key_is_an_error_naming_it(text, named):
    with pytest.raises(ScenarioError, match="not a scenario key|cannot be set") as e:
        load_variant(TINY, [text])
    assert e.value.issues[0].row == named and f"--set {text}" in str(e.value)


@pytest.mark.parametrize("text, message", [
    ("linkage.penalty=abc", "must be a number"),
    ("advance.last_year=maybe", "must be true or false"),
    ("quota.2024=[1, 2]", "non-negative area"),
    ("quota.scale=abc", "non-negative number"),
    ("factor.weights.disposal=-1", "must lie in"),
    ("factor.unused=share", "must be one of"),
])
def test_a_wrong_type_is_the_validation_error_blaming_the_set(text, message):
    with pytest.raises(ScenarioError, match=message) as e:
        load_variant(TINY, [text])
    issue = next(i for i in e.value.issues if message in i.message)
    assert issue.file == f"--set {text}" and issue.row.startswith(text.split("=")[0].split(".scale")[0])


def test_a_malformed_set_is_an_error():
    with pytest.raises(ScenarioError, match="KEY.PATH=VALUE"):
        parse_set("linkage.penalty")


def test_factor_weights_all_zero_is_an_error():
    sets = ["factor.weights.disposal=0", "factor.weights.demand=0", "factor.weights.investment=0"]
    with pytest.raises(ScenarioError, match="all zero"):
        load_variant(TINY, sets)


# ------------------------------------------------------------ command line ----

def test_cli_unknown_key_exits_1_naming_it(tmp_path):
    result = invoke("run", TINY, "--out", tmp_path / "r", "--set", "linkage.penalti=2")
    assert_clean_failure(result, "linkage.penalti", "not a scenario key", "--set linkage.penalti=2")
    assert not (tmp_path / "r").exists()


def test_cli_wrong_type_exits_1_naming_it(tmp_path):
    result = invoke("run", TINY, "--out", tmp_path / "r", "--set", "linkage.penalty=high")
    assert_clean_failure(result, "linkage.penalty", "must be a number", "'high'")


def test_cli_set_writes_a_run_that_the_audit_recomputes(tmp_path):
    """The overrides are recorded in the manifest, so `quota audit` recomputes the run as it was solved."""
    out = tmp_path / "r"
    result = invoke("run", TINY, "--out", out, "--set", "linkage.penalty=3", "--set", "quota.scale=0.8",
                    "--counterfactuals", "off")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["overrides"] == {"linkage": {"penalty": 3}, "quota": {"2023": 24.0, "2024": 24.0, "2025": 24.0}}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [y["quota"] for y in summary["years"]] == pytest.approx([24.0, 24.0, 24.0])
    audit = invoke("audit", out)
    assert audit.exit_code == 0, audit.output


def test_a_variant_file_and_a_set_agree(tmp_path):
    folder = write_scenario(tmp_path / "s", counties=[county()], projects=[project()], linkage={"penalty": 2.5})
    assert load_variant(folder).linkage == load_variant(write_scenario(tmp_path / "t"), ["linkage.penalty=2.5"]).linkage
