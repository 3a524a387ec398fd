"""Read a scenario from disk into raw, untyped tables: ``read_raw``.

A scenario is a folder with ``scenario.yaml`` and CSV tables, a yaml file, or
one ``.xlsx`` workbook whose sheet ``scenario`` holds ``key``/``value`` rows
and whose other sheets are the tables. Nothing here interprets a value: every
cell comes back as a stripped string, so that ``validate`` sees exactly what
the file says and can name the file, row and column of each problem.

What messy files need is handled here, and never silently:

- CSV encodings: UTF-8 with or without a BOM, else GBK/GB18030; the one found is kept per table
  (``RawTable.encoding``, written to the run manifest). Bytes that fit neither, UTF-8 text joined
  to GBK text, and UTF-16 files are errors naming the byte offset.
- CSV structure is read with the ``csv`` module, strictly: a line with more values than the header
  is an error naming the line (empty extra fields are dropped with a warning), a repeated column
  name is an error, an unclosed quote is an error. Spaces around cells and column names are
  stripped with one warning per column; empty rows are skipped with a warning.
- A title or merged header row above the column names is an error saying which line holds them.
- YAML is read with the safe loader only (no tag can run code); a key given twice, and anchors that
  refer to themselves or expand without bound, are errors.
- Workbooks: the values Excel saved are read and formulas are never evaluated; a formula without a
  saved value is reported by ``validate`` with its row key, one with a saved value gives a warning.
- Every file read must be a regular file (not a device, FIFO or folder) no larger than
  ``MAX_TABLE_BYTES`` (``MAX_YAML_BYTES`` for yaml). A table's real path, symlinks followed, must stay
  inside the folder of the yaml file that names it, or, for a default name, the folder it is found in.
- ``extends`` cycles are errors naming the cycle. ``scenario_files`` gives the files of a scenario
  with these checks; ``load_yaml_text`` is the one YAML reader (also for ``--set`` and ``--grid``).
"""
from __future__ import annotations

import codecs
import contextlib
import copy
import difflib
import csv
import datetime as dt
import gc
import io
import itertools
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from ..errors import Issue, ScenarioError

TABLES = ("counties", "projects", "phases", "dependencies", "idle_parcels", "disposal", "history")
KEY_COLUMN = {"counties": "county_id", "projects": "project_id", "phases": "project_id",
              "dependencies": "project_id", "idle_parcels": "parcel_id", "disposal": "county_id", "history": "county_id"}
REQUIRED_TABLES = ("counties", "projects")
SCENARIO_FILE = "scenario.yaml"


@dataclass
class RawTable:
    name: str
    frame: pd.DataFrame  # every cell a str; "" for empty
    label: str  # how messages name the file: "projects.csv" or "book.xlsx[projects]"
    path: Path
    encoding: str = ""  # utf-8 | utf-8-sig (with a BOM) | gb18030 (also GBK) | xlsx
    first_line: int = 2  # file line (or sheet row) of the first data row
    lines: list[int] = field(default_factory=list)  # file line (or sheet row) of each row, when known
    formulas: dict[tuple[int, str], str] = field(default_factory=dict)  # (row, column) → formula with no saved value

    def line(self, row: int) -> int:
        """The file line (or sheet row) of the frame's row ``row``."""
        return self.lines[row] if row < len(self.lines) else row + self.first_line


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
        table = _read_table(name, table_path, sheet, issues, books, raw.warnings)
        if table is not None:
            raw.tables[name] = table
            if table_path not in raw.files:
                raw.files.append(table_path)
    if issues:
        raise ScenarioError(raw.errors + issues)
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

    @property
    def files(self) -> list[Path]:
        """Every input file: the yaml chain (or the workbook), then each table file not already named."""
        out = list(self.chain)
        out += [p for p in dict.fromkeys(p for p, _ in self.tables.values()) if p not in out]
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
        raise ScenarioError([Issue("missing-scenario", str(path), "", "",
                                   "the scenario file or folder does not exist.",
                                   "give a folder holding scenario.yaml, a .yaml file or an .xlsx workbook.")])
    books = {} if books is None else books
    rows: dict[str, int] = {}
    if path.suffix.lower() == ".xlsx":
        config, chain = _read_workbook_config(path, issues, books, rows), [path]
    else:
        config, chain = _read_yaml_chain(path, issues, deferred)
    if issues:
        raise ScenarioError(deferred + issues)
    tables = _locate_tables(config, chain, issues)
    if issues:
        raise ScenarioError(deferred + issues)
    return ScenarioFiles(path, config, chain, tables, deferred, rows)


def input_files(path: str | Path) -> list[Path]:
    """Every input file of the scenario at ``path``, as ``read_raw`` would read them (``RawScenario.files``)."""
    return scenario_files(path).files


# ------------------------------------------------------------- files ----

MAX_YAML_BYTES = 1_000_000  # 1 MB for a yaml file: a scenario.yaml is a few kB
MAX_TABLE_BYTES = 200_000_000  # 200 MB for a CSV table or a workbook: over a million project rows
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _check_file(path: Path, folder: Path | None, limit: int, issues: list[Issue], what: str, named: str = "") -> bool:
    """True when ``path`` may be read: its real path (symlinks followed) is inside ``folder`` (when given), it is
    a regular file, and it holds at most ``limit`` bytes. Else False, with an issue naming the file. Nothing is
    opened, so a FIFO cannot block."""
    label = path.name or str(path)
    try:
        real = path.resolve()
        info = os.stat(real)
    except (OSError, ValueError, RuntimeError) as e:  # RuntimeError: a symlink loop on older Pythons
        issues.append(Issue("file-unreadable", label, "", named, f"the {what} cannot be read: {getattr(e, 'strerror', None) or e}.",
                            f"make {label} a readable file."))
        return False
    if folder is not None and not real.is_relative_to(folder.resolve()):
        issues.append(Issue("path-escape", label, "", named,
                            f"the {what} is a link to {real}, outside the folder {folder.resolve()}; quota reads no table "
                            "from outside the folder of the yaml file that names it (or, unnamed, the folder it is found in).",
                            f"copy the file into {folder.resolve()} instead of linking to it."))
        return False
    kind = next((text for test, text in _KINDS if test(info.st_mode)), None if stat.S_ISREG(info.st_mode) else "not a regular file")
    if kind is not None:
        issues.append(Issue("not-a-file", label, "", named, f"the {what} is {kind}, not a regular file; quota reads only files saved on disk.",
                            f"give a {what} saved as an ordinary file."))
        return False
    if info.st_size > limit:
        issues.append(Issue("file-too-large", label, "", named,
                            f"the {what} is {info.st_size / 1e6:,.1f} MB, more than the {limit / 1e6:g} MB quota reads from one "
                            f"{what}: it is probably not the file meant, or is damaged.",
                            "check the file; a genuinely larger input needs the limit in quota.input.read "
                            f"({'MAX_YAML_BYTES' if limit == MAX_YAML_BYTES else 'MAX_TABLE_BYTES'}) raised."))
        return False
    return True


def _read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (checked again on the open file: never blocks on a FIFO)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(21, "it is not a regular file", str(path))
        data = f.read(limit + 1)
    if len(data) > limit:
        raise OSError(27, f"it is larger than {limit / 1e6:g} MB", str(path))
    return data


# ---------------------------------------------------------------- yaml ----

class _SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML's safe loader (no tag can build a Python object or run code; libyaml's parser when
    installed) that also notes a key given twice in one mapping (plain PyYAML keeps the last silently),
    and reads ``1e9`` as a number (YAML 1.1 wants ``1.0e+9`` and reads ``1e9`` as text)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = (key_node.tag, key_node.value)
                if key in seen:
                    self.duplicates.append((key_node.value, key_node.start_mark.line + 1))
                seen.add(key)
        return super().construct_mapping(node, deep)


_SafeLoader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
                                  list("-+0123456789"))

MAX_YAML_NODES = 100_000  # far beyond any scenario; anchors/aliases can expand a small file without bound


class _YamlTooLarge(yaml.YAMLError):
    problem = "anchors and aliases make it expand without bound, or refer to themselves"
    problem_mark = None


class _YamlDuplicate(yaml.YAMLError):
    def __init__(self, key, line):
        self.problem = f"the key {key!r} is given twice"
        self.problem_mark = yaml.Mark("", 0, line - 1, 0, None, None)


def _parse_yaml(text: str):
    """YAML text → (data, [(key, line) of each key given twice]); alias bombs raise ``_YamlTooLarge``."""
    if len(text) > MAX_YAML_BYTES:
        raise _YamlTooLarge()
    loader = _SafeLoader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    budget, stack = [MAX_YAML_NODES], set()

    def walk(node):
        budget[0] -= 1
        if budget[0] < 0 or id(node) in stack:
            raise _YamlTooLarge()
        if isinstance(node, (dict, list, tuple, set)):
            stack.add(id(node))
            for item in (list(node.keys()) + list(node.values())) if isinstance(node, dict) else node:
                walk(item)
            stack.discard(id(node))

    walk(data)
    return data, loader.duplicates


def safe_yaml(text: str):
    """Parse YAML text safely: no code, no repeated keys, and no alias expansion that could explode."""
    data, duplicates = _parse_yaml(text)
    if duplicates:
        raise _YamlDuplicate(*duplicates[0])
    return data


def load_yaml_text(text: str, source: str, key: str = "", hint: str = "") -> object:
    """YAML text from anywhere but a scenario file (a ``--set`` value, a ``--grid`` file, a workbook cell), read
    as scenario files are: safe tags only, no key twice, bounded anchors, ``1e9`` a number. A problem is a
    ``ScenarioError`` whose issue names ``source`` (e.g. ``--set linkage.penalty=x``) and ``key``."""
    try:
        return safe_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None and "\n" in text.strip() else ""
        raise ScenarioError([Issue("yaml-syntax", source, key, key, f"cannot be read as safe YAML{where}: {getattr(e, 'problem', None) or e}.",
                                   hint or "write a number, true/false, a word, a [list] or a {mapping}; "
                                   "tags such as !!python and anchors that expand without bound are refused on purpose.")]) from None


def read_yaml_file(path: str | Path) -> dict:
    """A yaml file that is not a scenario (a ``--grid`` file), read with every check of scenario files: a regular
    file of at most ``MAX_YAML_BYTES``, UTF-8, safe YAML, no key twice, a mapping at the top. Else ``ScenarioError``."""
    issues: list[Issue] = []
    data = _load_yaml(Path(path), issues)
    if issues or data is None:
        raise ScenarioError(issues)
    return data


def _load_yaml(path: Path, issues: list[Issue], deferred: list[Issue] | None = None) -> dict | None:
    """A yaml file's top mapping, or None with an issue. A key given twice goes to ``deferred`` (reading goes on,
    so that ``validate`` lists every other problem too); without ``deferred`` it is an issue like any other."""
    if not _check_file(path, None, MAX_YAML_BYTES, issues, "yaml file"):
        return None
    try:
        text = _read_bytes(path, MAX_YAML_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = e.object.count(b"\n", 0, e.start) + 1
        issues.append(Issue("encoding", path.name, "", "", f"yaml is not UTF-8 (byte offset {e.start}, line {line}).",
                            "save the yaml file as UTF-8."))
        return None
    except OSError as e:
        issues.append(Issue("yaml-unreadable", path.name, "", "", f"cannot be read: {e.strerror or e}.", "give a readable yaml file."))
        return None
    try:
        data, duplicates = _parse_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        issues.append(Issue("yaml-syntax", path.name, where, "", f"cannot be read as safe YAML: {getattr(e, 'problem', e)}.",
                            "fix the YAML syntax; tags such as !!python are refused on purpose."))
        return None
    for key, line in duplicates:
        (issues if deferred is None else deferred).append(
            Issue("duplicate-key", path.name, f"line {line}", str(key), f"the key {key!r} is given twice in one mapping (again on line {line}); "
                  "YAML would silently keep the last, so quota refuses to guess which one is meant.", "give each key once."))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        issues.append(Issue("yaml-type", path.name, "", "", "the top level must be a mapping of keys to values.",
                            "write `key: value` lines, as in the bundled scenario."))
        return None
    return data


def _read_yaml_chain(path: Path, issues: list[Issue], deferred: list[Issue] | None = None) -> tuple[dict, list[Path]]:
    """Merge ``path`` over the files it extends; table paths are resolved per file. A cycle is an issue naming it."""
    chain: list[Path] = []
    layers: list[dict] = []
    current = path.resolve()
    while current is not None:
        if current in chain:
            issues.append(Issue("extends-cycle", current.name, "", "extends",
                                "`extends` leads back to a file already in the chain: "
                                + " → ".join(str(p) for p in chain[chain.index(current):] + [current]) + ".",
                                "remove the loop between the yaml files: one of them must extend none of the others."))
            break
        chain.append(current)
        data = _load_yaml(current, issues, deferred)
        if data is None:
            break
        data = copy.deepcopy(data)
        tables = data.get("tables")
        if tables is not None:
            if not isinstance(tables, dict):
                issues.append(Issue("yaml-type", current.name, "tables", "tables", "must be a mapping of table name to file.",
                                    "write e.g. `tables: {projects: projects.csv}`."))
                data.pop("tables")
            else:
                for k in tables:
                    if k not in TABLES:
                        close = difflib.get_close_matches(str(k), TABLES, n=1)
                        issues.append(Issue("unknown-key", current.name, f"tables.{k}", f"tables.{k}", "is not a table of the scenario.",
                                            f"{'did you mean ' + repr(close[0]) + '? ' if close else ''}the tables are {', '.join(TABLES)}."))
                data["tables"] = {k: _resolve_table_path(current, k, v, issues) for k, v in tables.items() if k in TABLES}
        parent = data.pop("extends", None)
        layers.append(data)
        if parent is None:
            current = None
        elif not isinstance(parent, str):
            issues.append(Issue("yaml-type", current.name, "extends", "extends", "must be a file name.",
                                "write e.g. `extends: base.yaml`."))
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
                issues.append(Issue("extends-missing", current.name, "extends", "extends", f"the file {parent!r} does not exist.",
                                    "name a yaml file relative to this one."))
                current = None
            elif nxt.suffix.lower() not in (".yaml", ".yml"):
                issues.append(Issue("extends-type", current.name, "extends", "extends",
                                    f"{parent!r} is {nxt.name!r}, not a .yaml file; `extends` names a scenario yaml file or folder.",
                                    "name the base scenario's .yaml file (or its folder)."))
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


def _resolve_table_path(yaml_path: Path, name, value, issues: list[Issue]):
    if not isinstance(value, str) or not value.strip():
        issues.append(Issue("yaml-type", yaml_path.name, f"tables.{name}", f"tables.{name}", "must be a file name.",
                            f"write e.g. `{name}: {name}.csv`."))
        return None
    file_part, _, sheet = value.partition("#")
    rel = Path(file_part)
    folder = yaml_path.parent.resolve()
    try:
        target = (folder / rel).resolve()
    except (ValueError, OSError):  # a NUL byte or an impossible name
        issues.append(Issue("yaml-type", yaml_path.name, f"tables.{name}", f"tables.{name}", f"{value!r} is not a usable file name.",
                            f"write e.g. `{name}: {name}.csv`."))
        return None
    if rel.is_absolute() or ".." in rel.parts or not target.is_relative_to(folder):
        issues.append(Issue("path-escape", yaml_path.name, f"tables.{name}", f"tables.{name}",
                            f"the path {value!r} leaves the scenario folder; it is refused.",
                            "put the table in the folder of the yaml file (or below it) and name it relative to that folder."))
        return None
    return (target, sheet or None)


def _read_workbook_config(path: Path, issues: list[Issue], books: dict, key_rows: dict[str, int]) -> dict:
    book = _read_book(path, issues, books)
    if book is None:
        return {}
    if "scenario" not in book.sheets:
        issues.append(Issue("sheet-missing", path.name, "", "scenario", "the workbook has no sheet named 'scenario'.",
                            f"add a sheet 'scenario' of key/value rows; the sheets found are {', '.join(book.sheets) or 'none'}."))
        return {}
    rows, formulas = book.sheets["scenario"]
    config: dict = {}
    seen: set[str] = set()
    has_header = bool(rows) and str(rows[0][0] if rows[0] else "").strip().lower() == "key"
    for i, row in enumerate(rows[1:] if has_header else rows, start=2 if has_header else 1):
        if not row or row[0] in ("", None):
            continue
        key = str(row[0]).strip()
        if key in seen:
            issues.append(Issue("duplicate-key", f"{path.name}[scenario]", key, "key", f"the key {key!r} is given twice (again in row {i}).",
                                "give each key once."))
            continue
        seen.add(key)
        key_rows[key] = i  # the sheet row, as Excel numbers it: messages about this key name it
        value = row[1] if len(row) > 1 else None
        if value is None and (i - 1, 1) in formulas:
            issues.append(Issue("formula-no-value", f"{path.name}[scenario]", key, "value",
                                f"holds the formula {formulas[(i - 1, 1)]!r} and no saved result; quota reads the values Excel "
                                "saved and never evaluates a formula.",
                                "open and save the workbook in Excel (it saves each result), or paste the values (选择性粘贴 → 数值)."))
            continue
        if isinstance(value, str):
            try:
                value = safe_yaml(value)
            except yaml.YAMLError:
                issues.append(Issue("yaml-syntax", f"{path.name}[scenario]", f"row {i}", "value",
                                    f"the value of {key!r} cannot be read as YAML.", "write a number, a word or a [list]/{map}."))
                continue
        node = config
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                issues.append(Issue("yaml-type", f"{path.name}[scenario]", f"row {i}", "key", f"{key!r} conflicts with an earlier key.",
                                    "give each key once."))
                break
        else:
            node[parts[-1]] = value
    tables = config.get("tables", {}) if isinstance(config.get("tables"), dict) else {}
    config["tables"] = {name: (path.resolve(), str(tables.get(name, name))) for name in TABLES}
    return config


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
                if target.exists() and not _check_file(target, None, MAX_TABLE_BYTES, issues, "workbook", f"tables.{name}"):
                    continue
                found[name] = (target, sheet or name)
            elif target.exists() or target.is_symlink():
                if _check_file(target, None, MAX_TABLE_BYTES, issues, f"{name} table", f"tables.{name}"):
                    found[name] = (target, None)
            elif name in REQUIRED_TABLES or name in (config.get("tables") or {}):
                issues.append(Issue("table-missing", target.name, "", "", f"the {name} table file does not exist.",
                                    f"create {target.name} beside the yaml file, or fix `tables.{name}`."))
            continue
        for folder in (p.parent for p in chain):  # nearest first
            candidate = folder / f"{name}.csv"
            if candidate.exists() or candidate.is_symlink():
                if _check_file(candidate, folder, MAX_TABLE_BYTES, issues, f"{name} table"):
                    found[name] = (candidate, None)
                break
        else:
            if name in REQUIRED_TABLES:
                issues.append(Issue("table-missing", f"{name}.csv", "", "", f"the required {name} table was not found.",
                                    f"add {name}.csv beside scenario.yaml, or name it under `tables`."))
    return found


def _read_table(name: str, path: Path, sheet: str | None, issues: list[Issue], books: dict,
                warnings: list[Issue]) -> RawTable | None:
    if sheet is not None:
        return _read_sheet_table(name, path, sheet, issues, books, warnings)
    try:
        data = _read_bytes(path, MAX_TABLE_BYTES)
    except OSError as e:
        issues.append(Issue("table-unreadable", path.name, "", "", f"the {name} table cannot be read: {e.strerror or e}.",
                            f"make {path.name} a readable CSV file."))
        return None
    decoded = _decode(data, path.name, issues)
    if decoded is None:
        return None
    text, encoding = decoded
    if not text.strip():
        return RawTable(name, pd.DataFrame(dtype=str), path.name, path, encoding)
    try:
        # skipinitialspace: `a, "b,c"` is two fields; strict: an unclosed quote is an error, not the rest of the file
        rows, lines = _csv_rows(text, skipinitialspace=True)
        spaced = _csv_rows(text, skipinitialspace=False)[0] if re.search(r",[ \t]", text) else rows
    except _CsvError as e:
        if "field larger than field limit" in str(e.error):
            issues.append(Issue("csv-syntax", path.name, f"line {e.line}", "",
                                f"the field starting on line {e.line} is longer than {csv.field_size_limit():,} characters: "
                                "usually a quote opened there and never closed, so the rest of the file became one value.",
                                f"look at line {e.line}: close the quoted field (\"...\"), or write a quote inside one as two quotes (\"\")."))
        else:
            issues.append(Issue("csv-syntax", path.name, f"line {e.line}", "",
                                f"is not a well-formed CSV table from line {e.line}: {e.error}.",
                                "close every quoted field (\"...\"), and write a quote inside one as two quotes (\"\")."))
        return None
    if [len(r) for r in spaced] != [len(r) for r in rows]:  # the spaces were inside quotes: count on the main parse
        spaced = rows
    if _header_below(name, rows, lines, path.name, issues):
        return None
    width = len(rows[0])
    long = [(n, r) for n, r in zip(lines, rows) if len(r) > width]
    if any(any(c.strip() for c in r[width:]) for _, r in long):
        n, r = next((n, r) for n, r in long if any(c.strip() for c in r[width:]))
        issues.append(Issue("csv-syntax", path.name, f"line {n}", "", f"line {n} has {len(r)} fields but the header has {width}: "
                            "a value holds an unquoted comma, or a column has no name.",
                            "quote values that contain commas (\"a,b\"), or give every column a name in the header."))
        return None
    if long:
        warnings.append(Issue("extra-commas", path.name, "", "", f"{len(long)} line{'s' if len(long) > 1 else ''} end with empty fields "
                              f"beyond the header's {width} columns (line{'s' if len(long) > 1 else ''} "
                              f"{', '.join(str(n) for n, _ in long[:5])}{', ...' if len(long) > 5 else ''}); they were ignored.",
                              "delete the extra commas at the ends of the lines.", "warning"))
    return _to_table(name, rows, spaced, lines, path.name, path, encoding, warnings, issues)


class _CsvError(Exception):
    def __init__(self, line: int, error: csv.Error):
        super().__init__(f"line {line}: {error}")
        self.line, self.error = line, error


def _csv_rows(text: str, skipinitialspace: bool) -> tuple[list[list[str]], list[int]]:
    """The rows of a CSV text, blank lines skipped, each with the file line it starts on. A malformed row
    raises ``_CsvError`` with the line that row starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=skipinitialspace, strict=True)
    rows, lines, previous = [], [], 0
    try:
        for row in reader:
            if row:
                rows.append(row)
                lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error as e:
        raise _CsvError(previous + 1, e) from None
    return rows, lines


def _header_below(name: str, rows: list[list], lines: list[int], label: str, issues: list[Issue]) -> bool:
    """True, with an issue, when the key column's name is not on the first row but on one of the next few:
    a title row or a merged header row sits above the column names."""
    key = KEY_COLUMN[name]
    if not rows or key in (str(c).strip() for c in rows[0]):
        return False
    for row, line in zip(rows[1:6], lines[1:6]):
        if key in (str(c).strip() for c in row if c is not None):
            issues.append(Issue("header-not-first", label, f"line {line}", "",
                                f"the column names are on line {line}, not on the first line: a title or merged header row is above them.",
                                f"delete the row{'s' if line > 2 else ''} above line {line}, so that the first line holds the column names."))
            return True
    return False


def _decode(data: bytes, label: str, issues: list[Issue]) -> tuple[str, str] | None:
    """UTF-8 (with or without BOM), else GBK/GB18030; ``None`` and an issue naming the byte offset when neither fits."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or data[:200].count(0) > 20:
        issues.append(Issue("encoding", label, "", "", "is UTF-16 text (Excel's 'Unicode text'), not a CSV file quota can read.",
                            "save the file as 'CSV UTF-8 (逗号分隔)' (Excel: 另存为 → CSV UTF-8)."))
        return None
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError as e:
        utf8 = e
    line_start = data.rfind(b"\n", 0, utf8.start) + 1
    before = data[:line_start].decode("utf-8-sig")  # the whole lines before the bad byte are valid UTF-8
    line = before.count("\n") + 1
    where = f"byte offset {utf8.start} (line {line}, 0x{data[utf8.start]:02x})"
    if any("\u4e00" <= ch <= "\u9fff" for ch in before):  # UTF-8 Chinese text, then something else
        try:
            data[line_start:].decode("gb18030")
        except UnicodeDecodeError:
            issues.append(Issue("encoding", label, "", "", f"is UTF-8 up to line {line}, but the byte at {where} is not UTF-8 "
                                "(nor GBK): the file is damaged there.",
                                "look at that line; save the file again from Excel as 'CSV UTF-8 (逗号分隔)'."))
            return None
        issues.append(Issue("encoding", label, "", "", f"mixes encodings: the lines before line {line} are UTF-8 with Chinese text, "
                            f"but from {where} on it is GBK. Read as either, part of it would turn into wrong characters.",
                            "the file was probably joined from a UTF-8 and a GBK file; save it again from Excel as 'CSV UTF-8'."))
        return None
    if data.startswith(codecs.BOM_UTF8):
        try:
            data[len(codecs.BOM_UTF8):].decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            line = data.count(b"\n", 0, utf8.start) + 1
            issues.append(Issue("encoding", label, "", "", f"starts with a UTF-8 mark (BOM) but the text after it is GBK (first GBK byte at "
                                f"offset {utf8.start}, line {line}): read either way, part of it would turn into wrong characters.",
                                "the mark was added to a GBK file by some tool; save the file again from Excel as 'CSV UTF-8 (逗号分隔)'."))
            return None
    try:
        return data.decode("gb18030"), "gb18030"  # a superset of GBK, with the same bytes for every GBK character
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        issues.append(Issue("encoding", label, "", "", f"cannot be decoded: it is neither UTF-8 (first bad byte at offset {utf8.start}) "
                            f"nor GBK/GB18030 (first bad byte at offset {e.start}, line {line}: 0x{data[e.start]:02x}).",
                            "save the file as 'CSV UTF-8 (逗号分隔)' (Excel: 另存为 → CSV UTF-8); the bytes at that offset may be damaged."))
        return None


def _to_table(name: str, cells: list[list[str]], spaced: list[list[str]], lines: list[int], label: str, path: Path,
              encoding: str, warnings: list[Issue], issues: list[Issue]) -> RawTable | None:
    """Header and rows of strings → a RawTable of stripped cells; each change is reported as a warning.

    ``spaced`` holds the same cells as read before any space was skipped (for counting), ``lines`` the file
    line (or sheet row) of each row."""
    if not cells or not any(c.strip() for c in cells[0]):
        return RawTable(name, pd.DataFrame(dtype=str), label, path, encoding)
    same = spaced is cells  # then the cells were read without skipping any space
    width = max(len(r) for r in cells)
    cells = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in cells]
    header = [h.strip() for h in cells[0]]
    names = [h for h in header if h]
    for h in sorted({h for h in names if names.count(h) > 1}):
        fields = [str(i + 1) for i, x in enumerate(header) if x == h]
        issues.append(Issue("duplicate-column", label, "", h, f"the column {h!r} appears {len(fields)} times (fields {', '.join(fields)}); "
                            "quota cannot tell which one holds the data.", "keep one column of each name."))
    if len(set(names)) != len(names):
        return None
    rows = [(r, s, n) for r, s, n in zip(cells[1:], spaced[1:], lines[1:]) if r[0].strip() or "".join(r).strip()]  # not blank
    if len(rows) < len(cells) - 1:
        k = len(cells) - 1 - len(rows)
        warnings.append(Issue("empty-rows", label, "", "", f"{k} row{'s' if k > 1 else ''} with no value in any cell "
                              f"{'were' if k > 1 else 'was'} skipped.", "delete the empty rows.", "warning"))
    columns = list(zip(*(r for r, _, _ in rows))) if rows else [()] * width  # column by column: one pass in C
    keep = [i for i, h in enumerate(header) if h]
    unnamed = [i for i, h in enumerate(header) if not h and any(c.strip() for c in columns[i])]
    if unnamed:
        warnings.append(Issue("unnamed-column", label, "", "", f"field{'s' if len(unnamed) > 1 else ''} "
                              f"{', '.join(str(i + 1) for i in unnamed)} hold{'' if len(unnamed) > 1 else 's'} data but "
                              f"{'have' if len(unnamed) > 1 else 'has'} no column name; ignored.",
                              "give the column a name from the data contract, or delete it.", "warning"))
    stripped = {i: [c.strip() for c in columns[i]] for i in keep}
    frame = pd.DataFrame({header[i]: stripped[i] for i in keep}, dtype=str)
    row_lines = [n for _, _, n in rows]
    table = RawTable(name, frame, label, path, encoding, first_line=lines[1] if len(lines) > 1 else 2, lines=row_lines)
    renamed = [h for h, raw in zip(header, cells[0]) if h and h != raw]
    if renamed:
        warnings.append(Issue("whitespace", label, "", "", f"spaces around the column name{'s' if len(renamed) > 1 else ''} "
                              f"{', '.join(map(repr, renamed))} were removed.", "delete the spaces in the header row.", "warning"))
    spaced_columns = columns if same else list(itertools.zip_longest(*(s for _, s, _ in rows), fillvalue=""))
    for i in keep:  # one warning per column: how many cells had spaces around them, and on which lines
        if same and stripped[i] == list(columns[i]):
            continue
        cells_i = spaced_columns[i] if i < len(spaced_columns) else ()
        hits = [n for n, c in zip(row_lines, cells_i) if c != c.strip()]
        if hits:
            shown = ", ".join(map(str, hits[:5])) + (", ..." if len(hits) > 5 else "")
            warnings.append(Issue("whitespace", label, "", header[i],
                                  f"{len(hits)} cell{'s' if len(hits) > 1 else ''} had spaces around the value (line{'s' if len(hits) > 1 else ''} "
                                  f"{shown}); the spaces were removed.", "delete the spaces, e.g. with Excel's TRIM().", "warning"))
    return table


@dataclass
class _Book:
    """Every sheet of a workbook: its rows of values, and its formulas by (row, column) index."""

    sheets: dict[str, tuple[list[tuple], dict[tuple[int, int], str]]]


def _read_book(path: Path, issues: list[Issue], books: dict) -> _Book | None:
    """Read a workbook once per ``read_raw``. Values are those Excel saved; formulas are never evaluated."""
    if path in books:
        return books[path]
    import openpyxl  # imported here: only workbook scenarios need it

    books[path] = None
    if not path.exists():
        issues.append(Issue("table-missing", path.name, "", "", "the workbook does not exist.", "check the file name under `tables`."))
        return None
    if not _check_file(path, None, MAX_TABLE_BYTES, issues, "workbook"):
        return None
    try:
        sheets = {}
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            for name in values.sheetnames:
                rows = [tuple(r) for r in values[name].iter_rows(values_only=True)]
                found = {(i, j): str(c.value) for i, r in enumerate(formulas[name].iter_rows()) for j, c in enumerate(r)
                         if getattr(c, "data_type", None) == "f"}
                sheets[name] = (rows, found)
        finally:
            values.close()
            formulas.close()
    except Exception as e:  # openpyxl raises many types for a damaged file, also while reading rows
        issues.append(Issue("xlsx-unreadable", path.name, "", "", f"cannot be read as an .xlsx workbook ({type(e).__name__}).",
                            "save it again from Excel as .xlsx."))
        return None
    books[path] = _Book(sheets)
    return books[path]


def _read_sheet_table(name: str, path: Path, sheet: str, issues: list[Issue], books: dict,
                      warnings: list[Issue]) -> RawTable | None:
    book = _read_book(path, issues, books)
    if book is None:
        return None
    if sheet not in book.sheets:
        if name in REQUIRED_TABLES:
            issues.append(Issue("sheet-missing", path.name, "", sheet, f"the workbook has no sheet named {sheet!r}.",
                                f"add a sheet {sheet!r}; the sheets found are {', '.join(book.sheets) or 'none'}."))
        return None
    label = f"{path.name}[{sheet}]"
    rows, formulas = book.sheets[sheet]
    cells = [[_cell_raw(c) for c in r] for r in rows]
    if _header_below(name, [r for r in cells if any(c.strip() for c in r)],
                     [i + 1 for i, r in enumerate(cells) if any(c.strip() for c in r)], label, issues):
        return None
    table = _to_table(name, cells, cells, list(range(1, len(rows) + 1)), label, path, "xlsx", warnings, issues)
    if table is None or not len(table.frame.columns):
        return table
    header = [_cell_raw(c).strip() for c in rows[0]]
    row_of = {line: j for j, line in enumerate(table.lines)}
    empty, cached = {}, 0
    for (i, col), text in formulas.items():
        if i + 1 not in row_of or col >= len(header) or not header[col]:
            continue
        if rows[i][col] is None:  # no saved result: kept as an empty cell, reported by validate with the row key
            empty[(row_of[i + 1], header[col])] = text
        else:
            cached += 1
    table.formulas = empty
    if cached:
        warnings.append(Issue("formula", label, "", "", f"{cached} cell{'s' if cached > 1 else ''} hold{'' if cached > 1 else 's'} formulas; "
                              "the values Excel saved with them were read, and no formula was evaluated.",
                              "paste the values (选择性粘贴 → 数值) to be sure the figures are the ones you see.", "warning"))
    return table


def _cell_raw(value) -> str:
    """A cell as text, spaces kept (``_to_table`` strips and counts them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
