"""Rule sets: named bundles of rule keys shipped with the package, each value with its source (RULES.md).

One yaml file per set in ``quota/input/rulesets/``: ``name``, optional ``extends`` (another set, whose keys it
changes), ``title`` and ``description`` in zh and en, and ``keys``: for each dotted rule key its ``value``, ``source``,
``confirmed`` (yes | no | reported) and a ``zh`` and ``en`` note, and optionally ``source_zh``, the source as a Chinese
reader knows it (the document's title and number, 《...》〔2020〕91号, and its article); a set without it (a
scenario's own) shows its ``source`` in a zh report, marked as given in the original only. Areas in a set are hectares.

``with_rule_set`` merges the set a scenario names (``rules: NAME``) under the scenario's own keys, key by key, with
the merge ``extends`` uses (``quota.input.read.merge``); an old alias the scenario gives (``linkage.restrict_below``)
overrides the set's new key (``restriction.below``) as the new key itself would. ``read_rule_set`` / ``rule_set_names``
serve ``quota rules``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Issue, ScenarioError
from .read import merge
from .yamlfile import read_yaml_file
from .rule_options import ALIASES, AREA_KEYS, RULE_KEYS

RULESET_DIR = Path(__file__).resolve().parent / "rulesets"
CONFIRMED = ("yes", "no", "reported")
ENTRY_FIELDS = ("value", "source", "confirmed", "zh", "en")
MU_PER_HA = 15.0


@dataclass(frozen=True)
class RuleEntry:
    key: str  # dotted: "restriction.below"
    value: object  # as in the file; areas in hectares
    source: str
    confirmed: str  # yes | no | reported
    zh: str
    en: str
    origin: str  # the set whose file gives this value (a set inherits the others from the set it extends)
    source_zh: str = ""  # the source in Chinese (optional in a set file)

    def source_in(self, lang: str) -> str:
        """The source for a reader of ``lang``: in zh ``source_zh``, else ``source`` marked as not translated."""
        from ..messages import message

        if lang != "zh":
            return self.source
        return self.source_zh or message("rules.source_en_only", lang, source=self.source)


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: dict
    description: dict
    entries: tuple[RuleEntry, ...]
    extends: str | None = None

    def values(self) -> dict:
        return {e.key: e.value for e in self.entries}


def rule_set_names(folder: Path | None = None) -> list[str]:
    """The names of the shipped rule sets, sorted."""
    return sorted(p.stem for p in (folder or RULESET_DIR).glob("*.yaml"))


def read_rule_set(name: str, where: str = "scenario.yaml", folder: Path | None = None) -> RuleSet:
    """The rule set ``name`` with every key (those of the sets it extends included), or ``ScenarioError``: an unknown
    set (named at ``where``, the file that asked for it, with the list of known sets), or a set file with a key the
    rule-set schema does not know, a missing field, or a confirmation other than yes, no or reported."""
    folder = folder or RULESET_DIR
    chain, issues, current = [], [], name
    while current is not None:
        known = rule_set_names(folder)
        if current not in known:
            asker = where if not chain else f"rulesets/{chain[-1][0]}.yaml"
            at = "rules" if not chain else "extends"
            issues.append(Issue.of("scenario.unknown-rule-set", asker, at, at, name=repr(current), known=", ".join(known),
                                   first=known[0] if known else "contract-2023"))
            break
        if current in (n for n, _ in chain):
            issues.append(Issue.of("scenario.rule-set-cycle", f"rulesets/{current}.yaml", "extends", "extends",
                                   loop=" → ".join([n for n, _ in chain] + [current])))
            break
        data = read_yaml_file(folder / f"{current}.yaml")
        chain.append((current, data))
        current = data.get("extends")
    entries: dict[str, RuleEntry] = {}
    for set_name, data in reversed(chain):
        for key, entry in _entries(set_name, data, issues):
            entries[key] = entry
    if issues:
        raise ScenarioError(issues)
    top = chain[0][1]
    order = {k: i for i, k in enumerate(RULE_KEYS)}
    return RuleSet(name, _lang_map(top.get("title")), _lang_map(top.get("description")),
                   tuple(sorted(entries.values(), key=lambda e: order[e.key])), top.get("extends"))


def _lang_map(value) -> dict:
    return value if isinstance(value, dict) else {"zh": str(value or ""), "en": str(value or "")}


def _entries(set_name: str, data: dict, issues: list[Issue]):
    """(key, RuleEntry) for each key of one set file, with an issue for each key or field that is wrong."""
    label = f"rulesets/{set_name}.yaml"
    keys = data.get("keys") or {}
    if not isinstance(keys, dict):
        issues.append(Issue.of("scenario.yaml-type.rule_keys", label, "keys", "keys"))
        return
    for key, entry in keys.items():
        if key not in RULE_KEYS:
            issues.append(Issue.of("scenario.unknown-rule-key" + (".alias" if key in ALIASES else ""), label, str(key), str(key),
                                   fix="scenario.unknown-rule-key.hint", alias=ALIASES.get(key, ""), known=", ".join(RULE_KEYS)))
            continue
        if not isinstance(entry, dict) or any(f not in entry for f in ENTRY_FIELDS):
            issues.append(Issue.of("scenario.rule-entry.fields", label, key, key, fields=", ".join(ENTRY_FIELDS)))
            continue
        confirmed = {True: "yes", False: "no"}.get(entry["confirmed"], entry["confirmed"])  # yaml reads a bare yes as true
        if confirmed not in CONFIRMED:
            issues.append(Issue.of("scenario.rule-entry.confirmed", label, key, f"{key}.confirmed", value=repr(entry["confirmed"]),
                                   known=", ".join(CONFIRMED)))
            continue
        source_zh = entry.get("source_zh")
        if source_zh is not None and not isinstance(source_zh, str):
            issues.append(Issue.of("scenario.rule-entry.source_zh", label, key, f"{key}.source_zh", value=repr(source_zh)))
            continue
        yield key, RuleEntry(key, entry["value"], str(entry["source"]), confirmed, str(entry["zh"]), str(entry["en"]), set_name,
                             (source_zh or "").strip())


def with_rule_set(config: dict, file: str, issues: list[Issue]) -> dict:
    """``config`` (the scenario's merged yaml) over the rule set it names, key by key; ``config`` itself when it names
    none, or names one that cannot be read (the problem goes to ``issues``, naming ``file``). Areas of the set are
    converted to the scenario's unit, so that validation reads them as it reads the scenario's own."""
    name = config.get("rules")
    if name is None:
        return config
    if not isinstance(name, str):
        issues.append(Issue.of("scenario.yaml-type.rules", file, "rules", "rules", value=repr(name)))
        return config
    try:
        rule_set = read_rule_set(name, file)
    except ScenarioError as e:
        issues += e.issues
        return config
    factor = MU_PER_HA if config.get("unit") == "mu" else 1.0
    given_aliases = {new for old, new in ALIASES.items() if _has(config, old)}
    layer: dict = {}
    for e in rule_set.entries:
        if e.key in given_aliases:  # the scenario's own old-named key overrides the set's new one
            continue
        section, leaf = e.key.split(".")
        layer.setdefault(section, {})[leaf] = _in_unit(e.key, e.value, factor)
    return merge(layer, config)


def _has(config: dict, key: str) -> bool:
    node = config
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _in_unit(key: str, value, factor: float):
    """A set's value (hectares) in the scenario's unit."""
    if key not in AREA_KEYS or value is None:
        return value
    if isinstance(value, dict):
        return {y: v * factor if isinstance(v, (int, float)) and not isinstance(v, bool) else v for y, v in value.items()}
    return value * factor if isinstance(value, (int, float)) and not isinstance(value, bool) else value
