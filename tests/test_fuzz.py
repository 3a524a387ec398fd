"""Fuzzing: corrupt valid inputs at random; reading them gives a Scenario or a ScenarioError, nothing else.

A valid base scenario (the tiny fixture's tables, a yaml that sets every key, and
an idle_parcels table) is written to a fresh folder for each example, one thing
is corrupted, and the folder is loaded. Three tests cover the three input forms:

- CSV: byte flips and truncation, re-encoding, cells replaced by random text,
  numbers or Unicode, columns and rows dropped or repeated, lines joined;
- yaml: values replaced by random YAML (nested lists and maps, huge integers,
  NaN, dates, tags), keys dropped or added, raw text inserted;
- xlsx: cells replaced by random values (formulas, dates, huge floats),
  sheets and rows dropped, and byte flips in the zip container.

The only outcomes allowed are a valid ``Scenario`` or a ``ScenarioError`` (whose
issues each name a file and carry a message): any other exception is a bug.
Validation only, nothing is solved: 600 examples take about 20 s.
"""
from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quota.errors import ScenarioError
from quota.input.scenario import Scenario
from quota.input.validate import load

TINY = Path(__file__).parent / "fixtures" / "tiny"
CONFIG = {
    "name": "fuzz base", "lang": "en", "unit": "ha", "years": [2023, 2024, 2025],
    "quota": {2023: 30, 2024: 30, 2025: 30}, "farmland_quota": {2023: 20, 2024: 20, 2025: 20},
    "carry_over": 0.2, "advance": {"max_share": 0.5, "cost": 0.05, "last_year": False},
    "phasing": {"min_gap": 1, "commit": "all"}, "delay_discount": 0.9,
    "scoring": {"weights": {"investment_intensity": 1.0, "tax_intensity": 1.0, "jobs_intensity": 0.5},
                "urgent_bonus": 0.5, "key_bonus": {"none": 0.0, "city": 0.3, "provincial": 0.5, "national": 0.5}},
    "linkage": {"penalty": 1.0, "bonus": 0.1, "cut": 0.2, "restrict_below": 0.15, "restrict_on_overplan": True,
                "exempt_categories": ["livelihood", "infrastructure"], "stock_credit": 0.1},
    "key_projects_outside_budget": True,
    "idle_land": {"assessment_date": dt.date(2023, 6, 30), "fee_rate": 0.2, "fee_years": 1, "reclaim_years": 2},
    "tables": {"counties": "counties.csv", "projects": "projects.csv", "phases": "phases.csv",
               "dependencies": "dependencies.csv", "idle_parcels": "idle_parcels.csv"},
}
PARCELS = ("parcel_id,county_id,area,agreed_start,grant_price,cause,actual_start\n"
           "IP1,a,10,2021-01-15,2369,enterprise,\nIP2,a,20,2020-06-30,4543,government,2022-03-01\n")
TABLES = ("counties", "projects", "phases", "dependencies", "idle_parcels")
SETTINGS = settings(max_examples=250, deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


BASE = {**{f"{name}.csv": (TINY / f"{name}.csv").read_bytes() for name in ("counties", "projects", "phases", "dependencies")},
        "idle_parcels.csv": PARCELS.encode("utf-8"),
        "scenario.yaml": yaml.safe_dump(CONFIG, allow_unicode=True, sort_keys=False).encode("utf-8")}


def write_base(folder: Path) -> Path:
    for name, data in BASE.items():
        (folder / name).write_bytes(data)
    return folder


def outcome(path: Path) -> Scenario | ScenarioError:
    """Load; a ScenarioError is an allowed outcome, and it must name a file and say something for each issue."""
    try:
        return load(path)
    except ScenarioError as e:
        assert e.issues and all(i.file and i.message for i in e.issues), e
        str(e)  # the message the command line prints must render
        return e


def test_the_base_is_valid(tmp_path):
    s = load(write_base(tmp_path))
    assert isinstance(s, Scenario) and len(s.projects) == 9 and len(s.idle_parcels) == 2
    assert s.warnings == ()


def test_the_xlsx_base_is_valid(tmp_path):
    s = load(write_book(tmp_path / "book.xlsx"))
    assert isinstance(s, Scenario) and len(s.projects) == 9 and s.warnings == ()


@pytest.mark.parametrize("value", ["1.8446744073709552e+19", "18446744073709551616", "1001", "9223372036854775808"])
def test_a_whole_number_too_large_to_store_is_a_scenario_error(tmp_path, value):
    """Found by the fuzz test: a phase of 2**64 passed the cell checks (whole, at least 1) and overflowed later. A phase
    number is at most MAX_PHASE; the error names the file, the row and the column."""
    write_base(tmp_path)
    rows = list(csv.reader(io.StringIO((tmp_path / "phases.csv").read_text(encoding="utf-8"))))
    col = rows[0].index("phase")
    rows[1][col] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (tmp_path / "phases.csv").write_text(out.getvalue(), encoding="utf-8")
    e = outcome(tmp_path)
    assert isinstance(e, ScenarioError)
    assert any(i.file.endswith("phases.csv") and i.column == "phase" for i in e.issues), e


# ----------------------------------------------------------- strategies ----

SPECIAL = ["", " ", "nan", "NaN", "inf", "-inf", "1e999", "-0", "0", "-1", "1,200", "1,20", "１２３", "１，２００．５",
           "12 ha", "12亩", "=1+1", "=HYPERLINK(\"x\")", "是", "否", "TRUE", "ｉｎ", "in", "out", "city", "national",
           "工业", "2023", "20233", "2023.5", "P1", "a", "zz", "\ufeff", "\x00", "\u3000", "\"", "'", ",", "\n", "\r\n",
           "1_000", "١٢٣", "0x10", "1e3", "9" * 400, "x" * 5000, "<script>alert(1)</script>", "../../etc/passwd"]
cell_text = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=20),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@st.composite
def csv_mutation(draw):
    """(table, kind, parameters) of one random corruption of one CSV table; ``corrupt_csv`` applies it."""
    table = draw(st.sampled_from(TABLES))
    kind = draw(st.sampled_from(["flip", "truncate", "insert_bytes", "encode", "cells", "cells", "raw_cell", "header",
                                 "drop_column", "drop_rows", "repeat_rows", "join_lines"]))
    if kind == "flip":
        params = draw(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8))
    elif kind == "truncate":
        params = draw(st.floats(0, 1))
    elif kind == "insert_bytes":
        params = (draw(st.floats(0, 1)), draw(st.binary(min_size=1, max_size=12)))
    elif kind == "encode":
        params = draw(st.sampled_from(["gbk", "gb18030", "utf-8-sig", "utf-16", "utf-16-le", "big5", "latin-1"]))
    else:  # (row, column, text) picks; rows are data rows, except for kind "header"
        params = draw(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.floats(0, 1, exclude_max=True), cell_text),
                               min_size=1, max_size=6))
    return table, kind, params


def corrupt_csv(data: bytes, kind: str, params) -> bytes:
    if kind == "flip":
        b = bytearray(data)
        for where, byte in params:
            b[int(where * len(b))] = byte
        return bytes(b)
    if kind == "truncate":
        return data[: int(params * len(data))]
    if kind == "insert_bytes":
        i = int(params[0] * len(data))
        return data[:i] + params[1] + data[i:]
    if kind == "encode":
        return data.decode("utf-8").encode(params, errors="replace")
    rows = csv_rows(data.decode("utf-8"))
    header, body = rows[0], rows[1:]

    def pick(r: float) -> int:
        return int(r * len(body))
    if kind in ("cells", "raw_cell", "header"):
        for r, c, text in params:
            row = header if kind == "header" or not body else body[pick(r)]
            row[int(c * len(row))] = text
        if kind == "raw_cell":  # written without any CSV quoting: stray commas, quotes and newlines stay
            return "\n".join(",".join(r) for r in [header] + body).encode("utf-8", errors="surrogatepass")
    elif kind == "drop_column":
        col = int(params[0][1] * len(header))
        header, body = header[:col] + header[col + 1:], [r[:col] + r[col + 1:] for r in body]
    elif kind == "drop_rows":
        drop = {pick(r) for r, _, _ in params}
        body = [r for i, r in enumerate(body) if i not in drop]
    elif kind == "repeat_rows" and body:
        for r, _, _ in params:
            i = pick(r)
            body.insert(i, list(body[i]))
    elif kind == "join_lines" and len(body) > 1:
        i = int(params[0][0] * (len(body) - 1))
        body[i:i + 2] = [body[i] + body[i + 1]]
    return csv_text([header] + body).encode("utf-8", errors="surrogatepass")


yaml_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**400, max_value=10**400), st.floats(),
              st.text(max_size=15), st.dates(), st.sampled_from(SPECIAL)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.text(max_size=8), st.integers(1900, 2200)), inner, max_size=4)),
    max_leaves=12,
)
YAML_SNIPPETS = ["!!python/object/apply:os.system [\"echo pwned\"]", "!!binary aGVsbG8=", "!!set {a, b}", "&a [*a]",
                 "{", "]", ": :", "- - -", "\t", "%YAML 1.1\n---", "---\n---", "!!timestamp 2023-01-01", ".nan", ".inf",
                 "!!omap [a: 1]", "*undefined", "<<: {a: 1}", "? [a]\n: 1", "quota: {2023: 1}\nquota: {2023: 2}"]


def key_paths(config: dict, prefix: tuple = ()) -> list[tuple]:
    out = []
    for k, v in config.items():
        out.append(prefix + (k,))
        if isinstance(v, dict):
            out += key_paths(v, prefix + (k,))
    return out


@st.composite
def yaml_mutation(draw):
    """A function from the base config to the yaml text of one random corruption."""
    kind = draw(st.sampled_from(["replace", "replace", "delete", "add", "snippet", "flip"]))
    path = draw(st.sampled_from(key_paths(CONFIG)))
    value = draw(yaml_value)
    snippet = draw(st.sampled_from(YAML_SNIPPETS))
    where = draw(st.floats(0, 1))
    key = draw(st.one_of(st.text(min_size=1, max_size=10), st.sampled_from(["extends", "tables", "unit", "quota"])))

    def f(config: dict) -> str:
        config = copy.deepcopy(config)
        node = config
        for k in path[:-1]:
            node = node[k]
        if kind == "replace":
            node[path[-1]] = value
        elif kind == "delete":
            del node[path[-1]]
        elif kind == "add":
            node[key] = value
        text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
        if kind == "snippet":
            lines = text.splitlines()
            i = int(where * len(lines))
            lines.insert(i, f"{path[-1]}: {snippet}" if where < 0.5 else snippet)
            text = "\n".join(lines) + "\n"
        elif kind == "flip":
            i = int(where * (len(text) - 1))
            text = text[:i] + snippet[:1] + text[i + 1:]
        return text
    return kind, f


# --------------------------------------------------------------- tests ----

@SETTINGS
@given(mutation=csv_mutation())
def test_corrupted_csv_gives_a_scenario_or_a_scenario_error(mutation):
    table, kind, params = mutation
    with tempfile.TemporaryDirectory() as folder:
        folder = write_base(Path(folder))
        path = folder / f"{table}.csv"
        path.write_bytes(corrupt_csv(path.read_bytes(), kind, params))
        outcome(folder)


@settings(SETTINGS, max_examples=150)
@given(mutation=yaml_mutation())
def test_corrupted_yaml_gives_a_scenario_or_a_scenario_error(mutation):
    _, corrupt = mutation
    with tempfile.TemporaryDirectory() as folder:
        folder = write_base(Path(folder))
        marker = folder / "pwned"
        text = corrupt(CONFIG).replace("echo pwned", f"touch {marker}")
        (folder / "scenario.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        outcome(folder)
        assert not marker.exists(), "a yaml tag ran code"


# ---------------------------------------------------------------- xlsx ----

def book_rows() -> dict[str, list[list]]:
    """The base as workbook rows: sheet 'scenario' of dotted key / YAML value rows, one sheet per table."""
    config = [["key", "value"]]

    def flat(node, prefix=""):
        for k, v in node.items():
            if isinstance(v, dict) and k not in ("quota", "farmland_quota"):
                flat(v, f"{prefix}{k}.")
            else:
                config.append([f"{prefix}{k}", yaml.safe_dump(v, default_flow_style=True).strip().removesuffix("...").strip()])
    flat({k: v for k, v in CONFIG.items() if k != "tables"})

    def value(c: str):
        return int(c) if c.isdigit() else float(c) if c.replace(".", "", 1).isdigit() else (c or None)
    sheets = {"scenario": config}
    for name in TABLES:
        sheets[name] = [[value(c) for c in row] for row in csv_rows(BASE[f"{name}.csv"].decode("utf-8"))]
    return sheets


BOOK = book_rows()


def write_book(path: Path, mutation=None) -> Path:
    """The base workbook, with one corruption applied (see ``xlsx_mutation``)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in BOOK.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    if mutation is not None:
        corrupt_book(book, mutation)
    book.save(path)
    if mutation is not None and mutation[0] == "flip":
        b = bytearray(path.read_bytes())
        for where, byte in mutation[3]:
            b[int(where * len(b))] = byte
        path.write_bytes(bytes(b))
    return path


xlsx_value = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**15, max_value=10**15), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20), st.sampled_from(SPECIAL),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["=1+1", "=SUM(A1:A3)", "=NOW()", "=#REF!", "#N/A", "#DIV/0!"]),
)


@st.composite
def xlsx_mutation(draw):
    kind = draw(st.sampled_from(["cells", "cells", "cells", "header", "drop_sheet", "rename_sheet", "drop_row", "drop_column", "flip"]))
    sheet = draw(st.sampled_from(("scenario",) + TABLES))
    picks = draw(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.floats(0, 1, exclude_max=True), xlsx_value),
                          min_size=1, max_size=5))
    flips = draw(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=4))
    new_name = draw(st.sampled_from(["Projects", "projects ", "sheet1", "项目"]))
    return kind, sheet, picks, flips, new_name


def corrupt_book(book, mutation) -> None:
    kind, sheet, picks, _, new_name = mutation
    ws = book[sheet]
    if kind == "drop_sheet":
        book.remove(ws)
    elif kind == "rename_sheet":
        ws.title = new_name
    elif kind == "drop_row":
        ws.delete_rows(1 + int(picks[0][0] * ws.max_row))
    elif kind == "drop_column":
        ws.delete_cols(1 + int(picks[0][1] * ws.max_column))
    elif kind in ("cells", "header"):
        for r, c, value in picks:
            if isinstance(value, str):  # characters that an .xlsx file cannot hold at all
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            row = 1 if kind == "header" else 2 + int(r * (ws.max_row - 1))
            ws.cell(row=row, column=1 + int(c * ws.max_column), value=value)


@settings(SETTINGS, max_examples=120)
@given(mutation=xlsx_mutation())
def test_corrupted_xlsx_gives_a_scenario_or_a_scenario_error(mutation):
    with tempfile.TemporaryDirectory() as folder:
        outcome(write_book(Path(folder) / "book.xlsx", mutation))
