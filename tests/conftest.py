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
