"""The docs are kept true by running them.

- ``docs/cli.md`` is the ``--help`` of every command (``python -m quota.commands.docs_cli`` writes it).
- ``docs/model.md``'s constraint table and objective are the constraint families' docstrings
  (``python -m quota.commands.docs_model`` writes them).
- ``docs/scenario-format.md`` (and ``docs/zh/scenario-format.md``) document every yaml key and
  every column the code accepts, and nothing else: the keys come from ``quota.input.config``
  (``CONFIG_KEYS``, ``SUB_KEYS``), ``quota.input.cells`` (``COLUMNS``), ``quota.input.tables.TABLES`` (``tables.*``) and
  ``extends``; the documented names are the backticked names in the first column of the pages'
  key and column tables.
- The code blocks of every page under ``docs/`` run, in order, one temporary folder per page
  (holding a link to the repository's ``scenarios/``, so relative scenario paths work):
  - every ```` ```python ```` block is executed, in one namespace per page;
  - in every ```` ```sh ```` block, each line that starts with ``quota`` (or ``python -m quota``)
    runs through click's ``CliRunner``; other lines (``make``, ``git``, ``cd``, benchmarks) are
    not run. A trailing ``# exits 1`` comment makes exit code 1 the expected one, else it is 0;
  - a block right after an ``<!-- not run: reason -->`` comment is skipped;
  - ``quota run`` gets ``--counterfactuals off`` unless the line sets ``--counterfactuals`` (the
    docs say so in ``docs/index.md``). The same run (the same arguments but ``--out`` and
    ``--force``) asked for again, on the same page or a later one, is copied from the first, so
    each distinct run is solved once per session; a run expected to fail runs once.
"""
from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from quota.commands import docs_cli, docs_model
from quota.commands.cli import cli

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
REGENERATE = f"docs/cli.md is out of date: regenerate it with `{docs_cli.REGENERATE}` from the repository root."


# ------------------------------------------------------------------ cli.md ----

def test_cli_md_is_current():
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert current == docs_cli.render(), REGENERATE


def test_cli_md_is_the_help_of_every_command():
    """Each command's ``--help``, as a user sees it (at the generator's width), is in cli.md verbatim."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    runner = CliRunner()
    names = []
    for path, _, _ in docs_cli.commands():
        result = runner.invoke(cli, [*path, "--help"], prog_name="quota",
                               terminal_width=docs_cli.WIDTH, max_content_width=docs_cli.WIDTH)
        assert result.exit_code == 0, result.output
        heading = f"## `{' '.join(('quota',) + path)}`"
        assert f"{heading}\n\n```text\n{result.output.rstrip()}\n```" in text, f"{heading}: {REGENERATE}"
        names.append(heading)
    assert re.findall(r"^## `quota[^`]*`$", text, flags=re.M) == names, REGENERATE



def test_cli_md_check_fails_until_written(tmp_path):
    page = tmp_path / "cli.md"
    page.write_text("# Command-line reference\n", encoding="utf-8")
    assert docs_cli.main([str(page), "--check"]) == 1
    assert docs_cli.main([str(page)]) == 0
    assert page.read_text(encoding="utf-8") == docs_cli.render()
    assert docs_cli.main([str(page), "--check"]) == 0


# ---------------------------------------------------------------- model.md ----

def test_model_md_is_current():
    current = (DOCS / "model.md").read_text(encoding="utf-8")
    assert current == docs_model.render(current), \
        f"docs/model.md is out of date: regenerate it with `{docs_model.REGENERATE}` from the repository root."


def test_model_md_table_has_every_row_of_every_family_in_build_order():
    docs = docs_model.family_docs()
    modules = sorted(p.stem for p in (ROOT / "quota" / "model" / "families").glob("*.py") if p.stem != "__init__")
    assert sorted(d.module for d in docs) == modules
    assert [d.module for d in docs][:3] == ["approval", "supply", "city_quota"]  # build_model's first calls
    text = (DOCS / "model.md").read_text(encoding="utf-8")
    rows = [f"| {f} | {r} | {d.implements} | `{d.module}.py` |" for d in docs for f, r in d.rows]
    assert len(rows) >= 13
    table = text[text.index("| family | rows | implements | module |"):]
    assert table.splitlines()[2:2 + len(rows)] == rows


def test_model_md_check_fails_on_a_hand_edited_row_or_a_lost_marker(tmp_path, capsys):
    page = tmp_path / "model.md"
    text = (DOCS / "model.md").read_text(encoding="utf-8")
    page.write_text(text, encoding="utf-8")
    assert docs_model.main([str(page), "--check"]) == 0
    page.write_text(text.replace("| stock | `Σ_{p∈c} s ≤", "| stock | `Σ_{p∈c} s <"), encoding="utf-8")
    assert docs_model.main([str(page), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert docs_model.main([str(page)]) == 0
    assert page.read_text(encoding="utf-8") == text
    page.write_text(text.replace("<!-- end generated: objective -->", ""), encoding="utf-8")
    assert docs_model.main([str(page), "--check"]) == 1
    assert "no '<!-- begin generated: objective" in capsys.readouterr().err


@pytest.mark.parametrize("doc, missing", [
    ("A family.\n\nMathematical formulation\n    x ≤ 1\n\nTable rows (docs/model.md)\n    x | `x ≤ 1`\n", "name the seed clause"),
    ("A family.\n\nRule (not a clause of the seed): x (MODEL.md, x).\n\nTable rows (docs/model.md)\n    x | `x ≤ 1`\n", "no 'Mathematical"),
    ("A family.\n\nRule (not a clause of the seed): x (MODEL.md, x).\n\nMathematical formulation\n    x ≤ 1\n", "add a 'Table rows"),
    ("A family.\n\nSeed clause: (``labels.SEED['stock']``)\n\nMathematical formulation\n    x ≤ 1\n\n"
     "Table rows (docs/model.md)\n    x `x ≤ 1`\n", "is not 'family | rows'"),
    ("A family.\n\nRule (not a clause of the seed): x, with no key.\n\nMathematical formulation\n    x ≤ 1\n\n"
     "Table rows (docs/model.md)\n    x | `x ≤ 1`\n", "name the seed clause"),
], ids=["no seed or rule", "no formula", "no table rows", "a row without its bar", "a rule without its key"])
def test_a_family_docstring_without_its_parts_is_refused(doc, missing):
    with pytest.raises(ValueError, match=re.escape(missing)):
        docs_model.parse("new_family", doc)

# ------------------------------------------------------- scenario-format.md ----

def code_keys() -> tuple[set[str], set[str]]:
    """(every yaml key the code accepts, as a dotted path to a value; the mapping keys above them)."""
    from quota.input.tables import TABLES
    from quota.input.config import CONFIG_KEYS, SUB_KEYS

    leaves: set[str] = {"extends"}  # read.py follows it before validation

    def expand(prefix: str) -> None:
        if prefix in SUB_KEYS:
            for k in SUB_KEYS[prefix]:
                expand(f"{prefix}.{k}")
        else:
            leaves.add(prefix)

    for top in CONFIG_KEYS:
        if top == "tables":
            leaves |= {f"tables.{t}" for t in TABLES}
        else:
            expand(top)
    return leaves, set(SUB_KEYS) | {"tables"}


def documented(page: Path) -> dict[str, set[str]]:
    """Backticked names in the first column of the key and column tables, by file ("scenario.yaml",
    "counties", ...). ``a.b.c`` / ``.d`` means ``a.b.c`` and ``a.b.d``."""
    from quota.input.cells import COLUMNS

    files = {"scenario.yaml": "scenario.yaml", **{f"{t}.csv": t for t in COLUMNS}}
    out: dict[str, set[str]] = {}
    context, header, current = None, True, None
    for line in page.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^(#+)\s+(.*)", line)
        if heading:
            named = [v for k, v in files.items() if k in heading.group(2)]
            if named:
                context = named[0]
            elif len(heading.group(1)) <= 2:
                context = None
            continue
        if not line.startswith("|"):
            header = True
            continue
        first = line.strip("|").split("|")[0].strip()
        if header:  # the header row decides whether this is a key/column table
            header = False
            current = out.setdefault(context, set()) if context and first in ("key", "column", "键", "列") else None
            continue
        if current is None or set(first) <= set("-: "):
            continue
        full = None
        for name in re.findall(r"`([^`]+)`", first):
            if name.startswith(".") and full:
                name = full.rsplit(".", 1)[0] + name
            full = name
            current.add(name)
    return out


FORMAT_PAGES = [DOCS / "scenario-format.md", DOCS / "zh" / "scenario-format.md"]


@pytest.mark.parametrize("page", FORMAT_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_every_key_and_column_is_documented_and_exists(page):
    from quota.input.cells import COLUMNS

    docs = documented(page)
    leaves, mappings = code_keys()
    keys = docs.get("scenario.yaml", set())
    assert not leaves - keys, f"{page.name}: yaml keys the code accepts but the page does not document: {sorted(leaves - keys)}"
    assert not keys - leaves - mappings, f"{page.name}: documented yaml keys the code does not accept: {sorted(keys - leaves - mappings)}"
    for table, spec in COLUMNS.items():
        cols = docs.get(table)
        assert cols is not None, f"{page.name}: no column table under a heading naming {table}.csv"
        assert not set(spec) - cols, f"{page.name}: {table}.csv columns not documented: {sorted(set(spec) - cols)}"
        assert not cols - set(spec), f"{page.name}: {table}.csv columns documented but not in the code: {sorted(cols - set(spec))}"


# ------------------------------------------------------------- code blocks ----

FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.S | re.M)
NOT_RUN = re.compile(r"<!--\s*not run:.*?-->\s*$", re.S)


def code_blocks(page: Path) -> list[tuple[str, str, int]]:
    """(language, code, line) of every fenced block not marked ``<!-- not run: ... -->``."""
    text = page.read_text(encoding="utf-8")
    out = []
    for m in FENCE.finditer(text):
        before = text[:m.start()].rstrip()
        if NOT_RUN.search(before[-300:]):
            continue
        out.append((m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1))
    return out


RUNNABLE = [p for p in PAGES if any(lang in ("python", "sh") for lang, _, _ in code_blocks(p))]
_RUNS: dict[tuple, Path | None] = {}  # a distinct `quota run` → its first run folder (None: failed as expected)


def _split(line: str) -> tuple[list[str], int]:
    """The words of a command line and the exit code its comment (`` # exits 1``) expects."""
    command, comment = re.match(r"^(.*?)(?:\s+#\s*(.*))?$", line.strip()).groups()
    return shlex.split(command), 1 if (comment or "").startswith("exits 1") else 0


def _quota(args: list[str], expect: int, where: str, store: Path) -> None:
    runner = CliRunner()
    key = None
    if args[:1] == ["run"]:
        if not any(a.startswith("--counterfactuals") for a in args):
            args = args + ["--counterfactuals", "off"]
        out = args[args.index("--out") + 1] if "--out" in args else None
        rest = [a for i, a in enumerate(args) if a not in ("--out", "--force") and not (i and args[i - 1] == "--out")]
        key = tuple(rest) + (expect,)  # relative paths mean the same on every page: each has the same layout
        if key in _RUNS and expect != 0:  # the same failing run, already seen to fail as expected
            return
        if key in _RUNS and out is not None and (not Path(out).exists() or "--force" in args):
            shutil.rmtree(out, ignore_errors=True)
            shutil.copytree(_RUNS[key], out)
            return
    result = runner.invoke(cli, args, prog_name="quota")
    assert result.exit_code == expect, f"{where}: `quota {' '.join(args)}` exited {result.exit_code}, not {expect}:\n{result.output}"
    if key is not None and expect != 0:
        _RUNS[key] = None
    elif key is not None and "--out" in args:
        saved = store / f"run{len(_RUNS)}"
        shutil.copytree(args[args.index("--out") + 1], saved)
        _RUNS[key] = saved


@pytest.mark.parametrize("page", RUNNABLE, ids=lambda p: str(p.relative_to(DOCS)))
def test_code_blocks_run(page, tmp_path, tmp_path_factory, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    store = tmp_path_factory.getbasetemp() / "doc-runs"
    store.mkdir(exist_ok=True)
    namespace: dict = {"__name__": "__doc__"}
    ran = []
    for lang, code, line in code_blocks(page):
        where = f"{page.relative_to(ROOT)}:{line}"
        if lang == "python":
            exec(compile(code, where, "exec"), namespace)  # noqa: S102 - the docs' own examples
            ran.append(where)
        elif lang == "sh":
            for text in code.splitlines():
                words, expect = _split(text)
                if words[:1] == ["quota"]:
                    _quota(words[1:], expect, where, store)
                elif words[:3] == ["python", "-m", "quota"]:
                    _quota(words[3:], expect, where, store)
                else:
                    continue
                ran.append(f"{where}: {text.strip()}")
    assert ran, f"{page.relative_to(ROOT)} has code blocks but none ran; mark them <!-- not run: why -->"
    print("\n".join(ran))


def test_not_run_blocks_give_a_reason():
    for page in PAGES:
        for m in re.finditer(r"<!--\s*not run(.*?)-->", page.read_text(encoding="utf-8"), re.S):
            assert m.group(1).strip(" :\n"), f"{page.relative_to(ROOT)}: a `not run` marker must say why"



def test_relative_links_resolve():
    """Every relative link of the docs and the README points at a file or folder that exists."""
    broken = []
    for page in PAGES + [ROOT / "README.md"]:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"^[a-z]+:|^#", target):
                continue
            if not (page.parent / target.split("#")[0]).exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, "links to nothing:\n" + "\n".join(broken)
