"""The wheel must carry every subpackage: pyproject.toml lists them by hand (the bundled scenarios
are mapped in from the top-level scenarios/ folder, which package discovery cannot see)."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "quota").rglob("__init__.py")}
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages in pyproject.toml"


def test_package_data_ships_every_scenario_file():
    """Every file of the bundled scenarios (tables, yaml, READMEs, the spatial layers and their licence) matches a
    package-data pattern of quota.scenarios, so a wheel carries it."""
    from fnmatch import fnmatch

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["quota.scenarios"]
    files = [p.relative_to(ROOT / "scenarios").as_posix() for p in (ROOT / "scenarios").rglob("*") if p.is_file()]
    missed = [f for f in files if not any(fnmatch(f, pat) and f.count("/") == pat.count("/") for pat in patterns)]
    assert not missed, f"add patterns for {missed} to [tool.setuptools.package-data] in pyproject.toml"
    assert any(f.endswith("spatial/counties.geojson") for f in files)
