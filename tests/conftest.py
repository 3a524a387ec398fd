import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))  # tests/builder.py

from quota.run import default_scenario  # noqa: E402


@pytest.fixture
def tiny() -> Path:
    return HERE / "fixtures" / "tiny"


@pytest.fixture(scope="session")
def default_path() -> Path:
    return default_scenario()


@pytest.fixture(scope="session")
def default_run(default_path):
    """The bundled default scenario, solved once per session (about 4 s) and shared, read-only."""
    from quota.run import run_scenario

    return run_scenario(default_path)


@pytest.fixture(scope="session")
def pristine(default_run, tmp_path_factory) -> Path:
    """``default_run`` written as a run folder once per session; read-only (tests that change it use ``run``)."""
    from quota.run import write_result

    return write_result(default_run, tmp_path_factory.mktemp("default") / "run")


@pytest.fixture
def run(pristine, tmp_path) -> Path:
    """A copy of ``pristine`` of the test's own, to change."""
    return Path(shutil.copytree(pristine, tmp_path / "run"))
