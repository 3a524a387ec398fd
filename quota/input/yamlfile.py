"""YAML: the one YAML reader, for scenario files, workbook cells, ``--set`` values and ``--grid`` files.

YAML is read with the safe loader only (no tag can run code); a key given twice, and anchors that refer to
themselves or expand without bound, are errors; ``1e9`` is a number. ``load_yaml`` reads one yaml file with every
check of ``quota.input.files`` (a regular UTF-8 file of at most ``MAX_YAML_BYTES``, a mapping at the top);
``load_yaml_text`` reads YAML text from anywhere else; ``safe_yaml`` is the parser under both.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import Issue, ScenarioError
from . import files
from .files import check_file, read_bytes


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
    if len(text) > files.MAX_YAML_BYTES:
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


def load_yaml_text(text: str, source: str, key: str = "", fix: str | None = None) -> object:
    """YAML text from anywhere but a scenario file (a ``--set`` value, a ``--grid`` file, a workbook cell), read
    as scenario files are: safe tags only, no key twice, bounded anchors, ``1e9`` a number. A problem is a
    ``ScenarioError`` whose issue names ``source`` (e.g. ``--set linkage.penalty=x``) and ``key``; ``fix`` is the
    catalogue key of the fix to suggest."""
    try:
        return safe_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = "_line" if mark is not None and "\n" in text.strip() else ""
        raise ScenarioError([Issue.of("input.yaml-syntax.text" + where, source, key, key, fix=fix or "input.yaml-syntax.text.hint",
                                      line=mark.line + 1 if mark else "", problem=getattr(e, "problem", None) or e)]) from None


def read_yaml_file(path: str | Path) -> dict:
    """A yaml file that is not a scenario (a ``--grid`` file), read with every check of scenario files: a regular
    file of at most ``MAX_YAML_BYTES``, UTF-8, safe YAML, no key twice, a mapping at the top. Else ``ScenarioError``."""
    issues: list[Issue] = []
    data = load_yaml(Path(path), issues)
    if issues or data is None:
        raise ScenarioError(issues)
    return data


def load_yaml(path: Path, issues: list[Issue], deferred: list[Issue] | None = None) -> dict | None:
    """A yaml file's top mapping, or None with an issue. A key given twice goes to ``deferred`` (reading goes on,
    so that ``validate`` lists every other problem too); without ``deferred`` it is an issue like any other."""
    if not check_file(path, None, files.MAX_YAML_BYTES, issues, "yaml file"):
        return None
    try:
        text = read_bytes(path, files.MAX_YAML_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = e.object.count(b"\n", 0, e.start) + 1
        issues.append(Issue.of("input.encoding.yaml", path.name, "", "", offset=e.start, line=line))
        return None
    except OSError as e:
        issues.append(Issue.of("input.yaml-unreadable", path.name, "", "", reason=e.strerror or e))
        return None
    try:
        data, duplicates = _parse_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        issues.append(Issue.of("input.yaml-syntax.file", path.name, where, "", problem=getattr(e, "problem", e)))
        return None
    for key, line in duplicates:
        (issues if deferred is None else deferred).append(
            Issue.of("input.duplicate-key.yaml", path.name, f"line {line}", str(key), key=repr(key), line=line))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        issues.append(Issue.of("input.yaml-type.top", path.name, "", ""))
        return None
    return data
