"""Every notebook in ``notebooks/`` runs top to bottom without an error, and is committed without outputs.

Each notebook runs in a fresh Jupyter kernel of *this* interpreter (``sys.executable``, e.g. the
``.venv`` that ``make test`` built), through a kernelspec written to a temporary folder, so no
``python3`` kernelspec installed elsewhere on the machine can pick another Python. The kernel
imports ``quota`` from this working tree (``PYTHONPATH``), like the tests do, and works in a
temporary folder. The notebooks run at the same time, one kernel each, since most of their time is
single-threaded Python. A cell that raises fails that notebook's test, naming the cell.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL = "quota-tests"


def test_there_is_a_notebook_for_each_kind_of_user():
    assert [p.name for p in NOTEBOOKS] == ["01_bureau_scenarios.ipynb", "02_planner_phasing.ipynb",
                                           "03_auditor_idle_land.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, \
                f"{path.name} cell {i} has outputs: clear them before committing (Jupyter: Edit → Clear Outputs of All Cells)"


@pytest.fixture(scope="module")
def kernel_dirs(tmp_path_factory) -> list[str]:
    """A kernelspec that starts an IPython kernel with this interpreter."""
    kernels = tmp_path_factory.mktemp("kernels")
    spec = kernels / KERNEL
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python {sys.version_info.major}.{sys.version_info.minor} (quota tests)",
        "language": "python",
    }), encoding="utf-8")
    return [str(kernels)]


@pytest.fixture(scope="module")
def executed(kernel_dirs, tmp_path_factory) -> dict[Path, BaseException | None]:
    """Run every notebook, all at once (one kernel each), and keep each one's error, if any."""

    async def run(path: Path) -> BaseException | None:
        nb = nbformat.read(path, as_version=4)
        km = KernelManager(kernel_name=KERNEL, kernel_spec_manager=KernelSpecManager(kernel_dirs=kernel_dirs))
        client = NotebookClient(nb, km=km, kernel_name=KERNEL, timeout=300,
                                resources={"metadata": {"path": str(tmp_path_factory.mktemp(path.stem))}})
        try:
            await client.async_execute()  # raises CellExecutionError, with the cell and its traceback
        except Exception as e:  # noqa: BLE001 - reported by the notebook's own test
            return e
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        return AssertionError(f"{path.name}: {errors}") if errors else None

    async def run_all() -> list:
        return await asyncio.gather(*(run(p) for p in NOTEBOOKS))

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
        return dict(zip(NOTEBOOKS, asyncio.run(run_all())))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, executed):
    error = executed[path]
    if error is not None:
        pytest.fail(f"{path.name} failed:\n{error}", pytrace=False)
