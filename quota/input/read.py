"""Read a scenario from disk into raw, untyped tables: ``read_raw``.

A scenario is a folder with ``scenario.yaml`` and CSV tables, a yaml file, or one ``.xlsx`` workbook whose
sheet ``scenario`` holds ``key``/``value`` rows and whose other sheets are the tables. Nothing here interprets a
value: every cell comes back as a stripped string, so that ``validate`` sees exactly what the file says and can
name the file, row and column of each problem. This module finds the files (``scenario_files``): it follows
``extends`` (a cycle is an error naming it; mappings merge, lists and scalars replace) and locates every table.
A table's real path, symlinks followed, must stay inside the folder of the yaml file that names it, or, for a
default name, the folder it is found in. The work is shared out:

- ``quota.input.files``: may a file be read (a regular file, within the size limits, inside its folder);
- ``quota.input.yamlfile``: the one YAML reader (also for ``--set`` and ``--grid``);
- ``quota.input.tables``: a CSV table (encodings, structure, spaces) and the ``RawTable`` every reader gives;
- ``quota.input.workbook``: an ``.xlsx`` scenario's ``scenario`` sheet and table sheets.
"""
from __future__ import annotations

import contextlib
import copy
import difflib
import gc
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Issue, ScenarioError
from . import files
from .files import check_file
from .tables import REQUIRED_TABLES, TABLES, RawTable, read_csv_table
from .workbook import read_sheet_table, read_workbook_config
from .yamlfile import load_yaml

SCENARIO_FILE = "scenario.yaml"


@dataclass
class RawScenario:
    config: dict
    tables: dict[str, RawTable]
    root: Path  # the scenario's own folder
    files: list[Path] = field(default_factory=list)  # every input file read
    warnings: list[Issue] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)  # problems that did not stop reading (a key given twice); validate reports them
    config_rows: dict[str, int] = field(default_factory=dict)  # a workbook's scenario sheet: key -> sheet row, for messages


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while a scenario is read or validated (also as a decorator).
    Reading makes millions of cells and rows and no reference cycles; the collector's repeated passes over
    them cost about a quarter of a 200,000-project load. It is switched back on afterwards, also after an
    error, unless it was off before."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@collector_paused()
def read_raw(path: str | Path) -> RawScenario:
    """Read yaml (following ``extends``) and every table, collecting all problems."""
    books: dict = {}  # each workbook is read once
    where = scenario_files(path, books)
    issues: list[Issue] = []
    raw = RawScenario(config=where.config, tables={}, root=where.top.parent, files=list(where.chain), errors=list(where.errors),
                      config_rows=where.config_rows)
    for name, (table_path, sheet) in where.tables.items():
        table = (read_csv_table(name, table_path, issues, raw.warnings) if sheet is None
                 else read_sheet_table(name, table_path, sheet, issues, books, raw.warnings))
        if table is not None:
            raw.tables[name] = table
            if table_path not in raw.files:
                raw.files.append(table_path)
    raw.files += [p for p in where.layers if p not in raw.files]
    if issues:
        raise ScenarioError(raw.errors + issues, lang=raw.config.get("lang"))
    return raw


@dataclass
class ScenarioFiles:
    """Where a scenario's inputs are, every path checked as ``read_raw`` checks it."""

    top: Path  # the yaml file or workbook given (a folder's scenario.yaml)
    config: dict  # the merged yaml (or the workbook's scenario sheet), table paths resolved
    chain: list[Path]  # the yaml files, top first, then each file it extends; or the workbook
    tables: dict[str, tuple[Path, str | None]]  # table name -> (file, sheet or None for a CSV)
    errors: list[Issue] = field(default_factory=list)  # problems that did not stop reading (a key given twice)
    config_rows: dict[str, int] = field(default_factory=dict)  # a workbook's scenario sheet: key -> sheet row
    layers: list[Path] = field(default_factory=list)  # spatial: the layer files (a Shapefile's with its sidecars)

    @property
    def files(self) -> list[Path]:
        """Every input file: the yaml chain (or the workbook), then each table file and layer file not already named."""
        out = list(self.chain)
        out += [p for p in dict.fromkeys(p for p, _ in self.tables.values()) if p not in out]
        out += [p for p in dict.fromkeys(self.layers) if p not in out]
        return out


def scenario_files(path: str | Path, books: dict | None = None) -> ScenarioFiles:
    """The files of the scenario at ``path`` (a folder, yaml file or workbook), following ``extends`` and
    finding every table, without reading the tables. Raises ``ScenarioError`` listing every problem: a
    missing file, an ``extends`` cycle, a file that is not a regular file or is too large, a table whose
    real path leaves its folder. The workbook of a workbook scenario is read (into ``books``) for its
    ``scenario`` sheet."""
    path = Path(path)
    issues: list[Issue] = []
    deferred: list[Issue] = []
    if path.is_dir():
        path = path / SCENARIO_FILE
    if not path.exists():
        raise ScenarioError([Issue.of("scenario.missing-scenario", str(path), "", "")])
    books = {} if books is None else books
    rows: dict[str, int] = {}
    if path.suffix.lower() == ".xlsx":
        config, chain = read_workbook_config(path, issues, books, rows), [path]
        _resolve_layer_paths(path.resolve(), config.get("spatial"), issues)  # layer files beside the workbook
    else:
        config, chain = _read_yaml_chain(path, issues, deferred)
    if issues:
        raise ScenarioError(deferred + issues, lang=config.get("lang") if isinstance(config, dict) else None)
    tables = _locate_tables(config, chain, issues)
    layers = _locate_layers(config, issues)
    if issues:
        raise ScenarioError(deferred + issues, lang=config.get("lang"))
    return ScenarioFiles(path, config, chain, tables, deferred, rows, layers)


def input_files(path: str | Path) -> list[Path]:
    """Every input file of the scenario at ``path``, as ``read_raw`` would read them (``RawScenario.files``)."""
    return scenario_files(path).files


# ------------------------------------------------------------- yaml ----

def _read_yaml_chain(path: Path, issues: list[Issue], deferred: list[Issue] | None = None) -> tuple[dict, list[Path]]:
    """Merge ``path`` over the files it extends; table paths are resolved per file. A cycle is an issue naming it."""
    chain: list[Path] = []
    layers: list[dict] = []
    current = path.resolve()
    while current is not None:
        if current in chain:
            issues.append(Issue.of("scenario.extends-cycle", current.name, "", "extends",
                                   loop=" → ".join(str(p) for p in chain[chain.index(current):] + [current])))
            break
        chain.append(current)
        data = load_yaml(current, issues, deferred)
        if data is None:
            break
        data = copy.deepcopy(data)
        tables = data.get("tables")
        if tables is not None:
            if not isinstance(tables, dict):
                issues.append(Issue.of("scenario.yaml-type.tables", current.name, "tables", "tables"))
                data.pop("tables")
            else:
                for k in tables:
                    if k not in TABLES:
                        close = difflib.get_close_matches(str(k), TABLES, n=1)
                        issues.append(Issue.of("scenario.unknown-key.table", current.name, f"tables.{k}", f"tables.{k}",
                                               fix="scenario.unknown-key.table_close" if close else None,
                                               close=repr(close[0]) if close else "", tables=", ".join(TABLES)))
                data["tables"] = {k: _resolve_table_path(current, k, v, issues) for k, v in tables.items() if k in TABLES}
        _resolve_layer_paths(current, data.get("spatial"), issues)
        parent = data.pop("extends", None)
        layers.append(data)
        if parent is None:
            current = None
        elif not isinstance(parent, str):
            issues.append(Issue.of("scenario.yaml-type.extends", current.name, "extends", "extends"))
            current = None
        else:
            try:
                nxt = (current.parent / parent).resolve()
                if nxt.is_dir():  # a scenario folder, as on the command line
                    nxt = nxt / SCENARIO_FILE
                found = nxt.exists()
            except (ValueError, OSError, RuntimeError):  # a NUL byte, an impossible name, a symlink loop
                found = False
            if not found:
                issues.append(Issue.of("scenario.extends-missing", current.name, "extends", "extends", file=repr(parent)))
                current = None
            elif nxt.suffix.lower() not in (".yaml", ".yml"):
                issues.append(Issue.of("scenario.extends-type", current.name, "extends", "extends", file=repr(parent),
                                       name=repr(nxt.name)))
                current = None
            else:
                current = nxt
    merged: dict = {}
    for layer in reversed(layers):
        merged = merge(merged, layer)
    return merged, chain


def merge(base: dict, over: dict) -> dict:
    """Mappings merge recursively; lists and scalars replace."""
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = v
    return out


def _resolve_layer_paths(yaml_path: Path, spatial, issues: list[Issue]) -> None:
    """``spatial:`` layer files (quota.spatial.options.LAYERS), resolved in place as tables are: relative to this yaml,
    inside its folder; ``file.gpkg#layer`` names a layer of a GeoPackage."""
    from ..spatial.options import LAYERS

    if not isinstance(spatial, dict):
        return
    for key in LAYERS:
        if isinstance(spatial.get(key), str):
            spatial[key] = _resolve_table_path(yaml_path, key, spatial[key], issues, "spatial", f"spatial/{key}.geojson")
            if spatial[key] is None:
                spatial.pop(key)
        elif key in spatial and spatial[key] is not None:
            issues.append(Issue.of("config.yaml-type.layer", yaml_path.name, f"spatial.{key}", f"spatial.{key}", name=key))
            spatial.pop(key)


def _resolve_table_path(yaml_path: Path, name, value, issues: list[Issue], section: str = "tables", example: str = ""):
    example = example or f"{name}.csv"
    if not isinstance(value, str) or not value.strip():
        issues.append(Issue.of("scenario.yaml-type.path", yaml_path.name, f"{section}.{name}", f"{section}.{name}", name=name,
                               example=example))
        return None
    file_part, _, sheet = value.partition("#")
    rel = Path(file_part)
    folder = yaml_path.parent.resolve()
    try:
        target = (folder / rel).resolve()
    except (ValueError, OSError):  # a NUL byte or an impossible name
        issues.append(Issue.of("scenario.yaml-type.path_unusable", yaml_path.name, f"{section}.{name}", f"{section}.{name}",
                               fix="scenario.yaml-type.path.hint", value=repr(value), name=name, example=example))
        return None
    if rel.is_absolute() or ".." in rel.parts or not target.is_relative_to(folder):
        issues.append(Issue.of("scenario.path-escape", yaml_path.name, f"{section}.{name}", f"{section}.{name}", value=repr(value)))
        return None
    return (target, sheet or None)


# -------------------------------------------------------------- tables ----

def _locate_tables(config: dict, chain: list[Path], issues: list[Issue]) -> dict[str, tuple[Path, str | None]]:
    """Each table's file and sheet. A table named under ``tables`` is checked against the folder of the yaml that
    names it (``_resolve_table_path``), a default-named one against the folder it is found in; every file must be
    a regular file of at most ``MAX_TABLE_BYTES``."""
    named = config.get("tables") or {}
    found: dict[str, tuple[Path, str | None]] = {}
    for name in TABLES:
        entry = named.get(name)
        if entry is not None:
            target, sheet = entry
            if target.suffix.lower() == ".xlsx":
                if target.exists() and not check_file(target, None, files.MAX_TABLE_BYTES, issues, "workbook", f"tables.{name}"):
                    continue
                found[name] = (target, sheet or name)
            elif target.exists() or target.is_symlink():
                if check_file(target, None, files.MAX_TABLE_BYTES, issues, f"{name} table", f"tables.{name}"):
                    found[name] = (target, None)
            elif name in REQUIRED_TABLES or name in (config.get("tables") or {}):
                issues.append(Issue.of("scenario.table-missing.named", target.name, "", "", name=name, file=target.name))
            continue
        for folder in (p.parent for p in chain):  # nearest first
            candidate = folder / f"{name}.csv"
            if candidate.exists() or candidate.is_symlink():
                if check_file(candidate, folder, files.MAX_TABLE_BYTES, issues, f"{name} table"):
                    found[name] = (candidate, None)
                break
        else:
            if name in REQUIRED_TABLES:
                issues.append(Issue.of("scenario.table-missing.required", f"{name}.csv", "", "", name=name))
    return found


SIDECARS = (".shx", ".dbf", ".prj", ".cpg")  # a Shapefile's other files, read with it


def _locate_layers(config: dict, issues: list[Issue]) -> list[Path]:
    """The ``spatial:`` layer files, each checked as a table is (a regular file within ``MAX_TABLE_BYTES``; its path,
    symlinks followed, already checked to stay inside the folder of the yaml that names it); a Shapefile's sidecar
    files too, each inside the same folder."""
    spatial = config.get("spatial")
    out: list[Path] = []
    if not isinstance(spatial, dict):
        return out
    for key, value in spatial.items():
        if not isinstance(value, tuple):
            continue
        target = value[0]
        if not (target.exists() or target.is_symlink()):
            issues.append(Issue.of("scenario.layer-missing", target.name, "", f"spatial.{key}", key=key, file=target.name))
            continue
        if not check_file(target, None, files.MAX_TABLE_BYTES, issues, f"{key} layer", f"spatial.{key}"):
            continue
        out.append(target)
        if target.suffix.lower() == ".shp":
            for ext in SIDECARS:
                side = target.with_suffix(ext)
                if (side.exists() or side.is_symlink()) and check_file(side, target.parent, files.MAX_TABLE_BYTES, issues,
                                                                       f"{key} layer ({ext})", f"spatial.{key}"):
                    out.append(side)
    return out
