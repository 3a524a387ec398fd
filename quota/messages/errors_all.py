"""Every error of quota in zh and en (issue 21): the ``errors_*`` modules, one per area, gathered as ``ERRORS``.

- ``errors_common``: the head line of a list of problems, ``quota validate``'s lines;
- ``errors_input``, ``errors_cells``: reading the files, the cells of the tables;
- ``errors_config``, ``errors_scenario``, ``errors_checks``: the scenario's keys, files, rules and contents;
- ``errors_spatial``: the map layers; ``errors_ledger``: fact files and re-planning; ``errors_store``: the ledger;
- ``errors_model``: solving, the infeasibility diagnosis, verification; ``errors_output``: output and run folders.

Keys ``<area>.<code>[.<variant>]`` (with ``.hint``) make an ``Issue`` (``quota.errors.Issue.of``); keys ``error.*``
a ``QuotaError`` (``QuotaError.of``).
"""
from __future__ import annotations

from .errors_cells import ERRORS_CELLS
from .errors_checks import ERRORS_CHECKS
from .errors_common import ERRORS_COMMON
from .errors_config import ERRORS_CONFIG
from .errors_input import ERRORS_INPUT
from .errors_ledger import ERRORS_LEDGER
from .errors_model import ERRORS_MODEL
from .errors_output import ERRORS_OUTPUT
from .errors_scenario import ERRORS_SCENARIO
from .errors_spatial import ERRORS_SPATIAL
from .errors_store import ERRORS_STORE

PARTS = (ERRORS_COMMON, ERRORS_INPUT, ERRORS_CELLS, ERRORS_CONFIG, ERRORS_SCENARIO, ERRORS_CHECKS, ERRORS_SPATIAL,
         ERRORS_LEDGER, ERRORS_STORE, ERRORS_MODEL, ERRORS_OUTPUT)
ERRORS: dict[str, dict[str, str]] = {}
for _part in PARTS:
    if ERRORS.keys() & _part.keys():
        raise ValueError(f"message keys defined twice: {', '.join(sorted(ERRORS.keys() & _part.keys()))}")
    ERRORS.update(_part)
