"""Read a scenario from disk into raw, untyped tables: ``read_raw``.

A scenario is a folder with ``scenario.yaml`` and CSV tables, a yaml file, or
one ``.xlsx`` workbook whose sheet ``scenario`` holds ``key``/``value`` rows
and whose other sheets are the tables. Nothing here interprets a value: every
cell comes back as a stripped string, so that ``validate`` sees exactly what
the file says and can name the file, row and column of each problem.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .errors import Issue, ScenarioError

TABLES = ("counties", "projects", "phases", "dependencies", "idle_parcels")
REQUIRED_TABLES = ("counties", "projects")
SCENARIO_FILE = "scenario.yaml"
ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class RawTable:
    name: str
    frame: pd.DataFrame  # every cell a str; "" for empty
    label: str  # how messages name the file: "projects.csv" or "book.xlsx[projects]"
    path: Path
    encoding: str = ""
    first_line: int = 2  # file line (or sheet row) of the first data row


@dataclass
class RawScenario:
    config: dict
    tables: dict[str, RawTable]
    root: Path  # the scenario's own folder
    files: list[Path] = field(default_factory=list)  # every input file read
    warnings: list[Issue] = field(default_factory=list)


def read_raw(path: str | Path) -> RawScenario:
    """Read yaml (following ``extends``) and every table, collecting all problems."""
    path = Path(path)
    issues: list[Issue] = []
    if path.is_dir():
        path = path / SCENARIO_FILE
    if not path.exists():
        raise ScenarioError([Issue("missing-scenario", str(path), "", "",
                                   "the scenario file or folder does not exist.",
                                   "give a folder holding scenario.yaml, a .yaml file or an .xlsx workbook.")])
    if path.suffix.lower() == ".xlsx":
        config, chain = _read_workbook_config(path, issues), [path]
    else:
        config, chain = _read_yaml_chain(path, issues)
    if issues:
        raise ScenarioError(issues)
    raw = RawScenario(config=config, tables={}, root=path.parent, files=list(chain))
    for name, (table_path, sheet) in _locate_tables(config, chain, issues).items():
        table = _read_table(name, table_path, sheet, issues)
        if table is not None:
            raw.tables[name] = table
            if table_path not in raw.files:
                raw.files.append(table_path)
    if issues:
        raise ScenarioError(issues)
    return raw


# ---------------------------------------------------------------- yaml ----

def _load_yaml(path: Path, issues: list[Issue]) -> dict | None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        issues.append(Issue("encoding", path.name, "", "", f"yaml is not UTF-8 (byte offset {e.start}).",
                            "save the yaml file as UTF-8."))
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        issues.append(Issue("yaml-syntax", path.name, where, "", f"cannot be read as safe YAML: {getattr(e, 'problem', e)}.",
                            "fix the YAML syntax; tags such as !!python are refused on purpose."))
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        issues.append(Issue("yaml-type", path.name, "", "", "the top level must be a mapping of keys to values.",
                            "write `key: value` lines, as in the bundled scenario."))
        return None
    return data


def _read_yaml_chain(path: Path, issues: list[Issue]) -> tuple[dict, list[Path]]:
    """Merge ``path`` over the files it extends; table paths are resolved per file."""
    chain: list[Path] = []
    layers: list[dict] = []
    current = path.resolve()
    while current is not None:
        if current in chain:
            issues.append(Issue("extends-cycle", current.name, "", "extends",
                                "`extends` leads back to a file already in the chain: "
                                + " → ".join(p.name for p in chain + [current]) + ".",
                                "remove the loop between the yaml files."))
            break
        chain.append(current)
        data = _load_yaml(current, issues)
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
                data["tables"] = {k: _resolve_table_path(current, k, v, issues) for k, v in tables.items()}
        parent = data.pop("extends", None)
        layers.append(data)
        if parent is None:
            current = None
        elif not isinstance(parent, str):
            issues.append(Issue("yaml-type", current.name, "extends", "extends", "must be a file name.",
                                "write e.g. `extends: base.yaml`."))
            current = None
        else:
            nxt = (current.parent / parent).resolve()
            if nxt.is_dir():  # a scenario folder, as on the command line
                nxt = nxt / SCENARIO_FILE
            if not nxt.exists():
                issues.append(Issue("extends-missing", current.name, "extends", "extends", f"the file {parent!r} does not exist.",
                                    "name a yaml file relative to this one."))
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
    target = (folder / rel).resolve()
    if rel.is_absolute() or ".." in rel.parts or not target.is_relative_to(folder):
        issues.append(Issue("path-escape", yaml_path.name, f"tables.{name}", f"tables.{name}",
                            f"the path {value!r} leaves the scenario folder; it is refused.",
                            "put the table in the folder of the yaml file (or below it) and name it relative to that folder."))
        return None
    return (target, sheet or None)


def _read_workbook_config(path: Path, issues: list[Issue]) -> dict:
    rows = _read_sheet(path, "scenario", issues, required=True)
    if rows is None:
        return {}
    config: dict = {}
    has_header = bool(rows) and str(rows[0][0] if rows[0] else "").strip().lower() == "key"
    for i, row in enumerate(rows[1:] if has_header else rows, start=2 if has_header else 1):
        if not row or row[0] in ("", None):
            continue
        key = str(row[0]).strip()
        value = row[1] if len(row) > 1 else None
        if isinstance(value, str):
            try:
                value = yaml.safe_load(value)
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
    named = config.get("tables") or {}
    found: dict[str, tuple[Path, str | None]] = {}
    for name in TABLES:
        entry = named.get(name)
        if entry is not None:
            target, sheet = entry
            if target.suffix.lower() == ".xlsx":
                found[name] = (target, sheet or name)
            elif target.exists():
                found[name] = (target, None)
            elif name in REQUIRED_TABLES or name in (config.get("tables") or {}):
                issues.append(Issue("table-missing", target.name, "", "", f"the {name} table file does not exist.",
                                    f"create {target.name} beside the yaml file, or fix `tables.{name}`."))
            continue
        for folder in (p.parent for p in chain):  # nearest first
            candidate = folder / f"{name}.csv"
            if candidate.exists():
                found[name] = (candidate, None)
                break
        else:
            if name in REQUIRED_TABLES:
                issues.append(Issue("table-missing", f"{name}.csv", "", "", f"the required {name} table was not found.",
                                    f"add {name}.csv beside scenario.yaml, or name it under `tables`."))
    return found


def _read_table(name: str, path: Path, sheet: str | None, issues: list[Issue]) -> RawTable | None:
    if sheet is not None:
        rows = _read_sheet(path, sheet, issues, required=name in REQUIRED_TABLES)
        if rows is None:
            return None
        header = [str(c).strip() if c is not None else "" for c in (rows[0] if rows else [])]
        body = [[_cell_text(c) for c in r] + [""] * (len(header) - len(r)) for r in rows[1:]]
        body = [r[: len(header)] for r in body if any(c != "" for c in r)]
        frame = pd.DataFrame(body, columns=header, dtype=str)
        return RawTable(name, frame, f"{path.name}[{sheet}]", path, "xlsx")
    data = path.read_bytes()
    text, encoding = None, ""
    for enc in ENCODINGS:
        try:
            text, encoding = data.decode(enc), enc
            break
        except UnicodeDecodeError as e:
            error = e
    if text is None:
        issues.append(Issue("encoding", path.name, "", "", f"cannot be decoded as UTF-8 or GBK/GB18030 (byte offset {error.start}).",
                            "save the file as UTF-8 CSV (Excel: 另存为 → CSV UTF-8)."))
        return None
    if not text.strip():
        frame = pd.DataFrame(dtype=str)
    else:
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
        except (pd.errors.ParserError, ValueError) as e:
            issues.append(Issue("csv-syntax", path.name, "", "", f"is not a well-formed CSV table: {e}.",
                                "check that every row has as many commas as the header."))
            return None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(lambda col: col.str.strip()) if len(frame.columns) else frame
    return RawTable(name, frame, path.name, path, "utf-8" if encoding == "utf-8-sig" else encoding)


def _read_sheet(path: Path, sheet: str, issues: list[Issue], required: bool) -> list[list] | None:
    import openpyxl  # imported here: only workbook scenarios need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a damaged file
        issues.append(Issue("xlsx-unreadable", path.name, "", "", f"cannot be opened as an .xlsx workbook ({type(e).__name__}).",
                            "save it again from Excel as .xlsx."))
        return None
    try:
        if sheet not in book.sheetnames:
            if required:
                issues.append(Issue("sheet-missing", path.name, "", sheet, f"the workbook has no sheet named {sheet!r}.",
                                    f"add a sheet {sheet!r}; the sheets found are {', '.join(book.sheetnames)}."))
            return None
        return [list(r) for r in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()
