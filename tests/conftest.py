import os
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))  # tests/builder.py
os.environ["QUOTA_LANG"] = "en"  # --help and messages without a scenario follow the environment: English in the tests,
# whatever the machine's locale; a test of the choice sets its own (quota.messages.lang)

from quota.run import default_scenario, run_scenario, write_result  # noqa: E402


@pytest.fixture
def tiny() -> Path:
    return HERE / "fixtures" / "tiny"


@pytest.fixture(scope="session")
def default_path() -> Path:
    """The bundled default scenario (石家庄 under the hebei-2024 rule set), as ``quota run`` finds it."""
    return default_scenario()


@pytest.fixture(scope="session")
def default_run(default_path):
    """The bundled default scenario, solved once per session (about 10 s) and shared, read-only."""
    return run_scenario(default_path)


@pytest.fixture(scope="session")
def default_pristine(default_run, tmp_path_factory) -> Path:
    """``default_run`` written as a run folder once per session; read-only."""
    return write_result(default_run, tmp_path_factory.mktemp("hebei") / "run")


@pytest.fixture(scope="session")
def contract_path() -> Path:
    """The bundled city under the first contract (no ``rules:``): the default scenario as it was before the
    default moved to hebei-2024. Most tests use it, because its figures are the first contract's."""
    return default_scenario().parent / "shijiazhuang-contract-2023"


@pytest.fixture(scope="session")
def contract_run(contract_path):
    """The first-contract bundled scenario, solved once per session (about 4 s) and shared, read-only."""
    return run_scenario(contract_path)


@pytest.fixture(scope="session")
def pristine(contract_run, tmp_path_factory) -> Path:
    """``contract_run`` written as a run folder once per session; read-only (tests that change it use ``run``)."""
    return write_result(contract_run, tmp_path_factory.mktemp("default") / "run")


@pytest.fixture
def run(pristine, tmp_path) -> Path:
    """A copy of ``pristine`` of the test's own, to change."""
    return Path(shutil.copytree(pristine, tmp_path / "run"))


# ------------------------------------------------------------------ ledger ----

@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """The URL of a throw-away PostgreSQL server for the session (tests/pg_server.py), shared by xdist workers;
    the PostgreSQL tests skip, saying why, only when none can be started."""
    from pg_server import Unavailable, shared_server

    shared = tmp_path_factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") else None
    try:
        server = shared_server(shared)
        url = server.__enter__()
    except Unavailable as e:
        pytest.skip(f"PostgreSQL tests skipped: no PostgreSQL server could be started ({e})")
    yield url
    server.__exit__(None, None, None)


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request, tmp_path):
    """An empty ledger location: a SQLite file path that does not exist yet, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.db")
        return
    from pg_server import fresh_database

    with fresh_database(request.getfixturevalue("postgres_server")) as url:
        yield url
