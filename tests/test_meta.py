"""Meta-tests: every rule is documented, tested by fixtures and listed correctly.

What counts as a case:
- a positive is a line carrying `// want` in a fixture the harness runs
  (tests/fixtures.py: `rules/<area>/testdata/<CODE>[_suffix].go`), so that every
  counted positive is verified by tests/test_rules.py;
- a negative is a top-level function, method or `var` declaration of such a fixture
  with no `// want` in it *that the rule actually looks at*: its tree-sitter query
  matches inside the declaration (for IDM001, implemented by the engine without a
  query: the declaration holds a `//nolint` directive). Helpers, types and code the
  rule never examines are not lookalikes, so they do not count.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from tree_sitter import Node, Query, QueryCursor

from gobex.cli.main import main
from gobex.registry import default_registry, discover
from gobex.rule import AREAS, SECTIONS, Group, Rule
from gobex.source import SourceFile, go_language
from gobex.suppression import parse_directives
from tests.fixtures import RULES_DIR, Fixture, all_fixtures

DISCOVERED, LOAD_ERRORS = discover()
RULES = sorted(DISCOVERED, key=lambda r: r.code)
IDS = [r.code for r in RULES]
FIXTURES = all_fixtures()
MIN_POSITIVES = 3
MIN_NEGATIVES = 3
ENGINE_IMPLEMENTED = "IDM001"  # unused-nolint: no query, judged from the directives
_CODE = re.compile(r"^(?P<prefix>[A-Z]{2,3})\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_GO_BLOCK = re.compile(r"^```go\n.*?\S.*?\n```\s*$", re.MULTILINE | re.DOTALL)
_WANT = re.compile(r"//\s*want\s+[\"`]")
_DECLARATIONS = ("function_declaration", "method_declaration", "var_declaration")


def fixtures_of(rule: Rule) -> list[Fixture]:
    return [f for f in FIXTURES if f.code == rule.code]


def test_every_rule_module_imports() -> None:
    assert LOAD_ERRORS == [], "\n".join(e.traceback for e in LOAD_ERRORS)


def test_codes_and_names_are_unique() -> None:
    # discover() keeps the first of two clashing rules and reports the second.
    clashes = [f"{e.module}: {e.error}" for e in LOAD_ERRORS if "clashes with" in e.error]
    assert clashes == []
    codes = Counter(r.code for r in DISCOVERED)
    names = Counter(r.name for r in DISCOVERED)
    assert [c for c, n in codes.items() if n > 1] == []
    assert [c for c, n in names.items() if n > 1] == []
    assert len(default_registry().rules) == len(DISCOVERED)


TOY_RULE = """from gobex.finding import Severity
from gobex.rule import Rule

RULE = Rule(code="{code}", name="{name}", severity=Severity.INFO, query="", doc="Toy.\\n")
"""


def test_discovery_walks_subpackages_and_isolates_broken_modules(tmp_path, monkeypatch) -> None:
    package = tmp_path / "toy_rules_pkg"
    files = {
        "__init__.py": "",
        "alpha.py": TOY_RULE.format(code="TST901", name="toy-alpha"),
        "beta.py": TOY_RULE.format(code="TST901", name="toy-beta"),  # code clash
        "gamma.py": TOY_RULE.format(code="TST903", name="toy-alpha"),  # name clash
        "broken.py": "import toy_rules_pkg.does_not_exist\n",
        "_shared.py": TOY_RULE.format(code="TST904", name="toy-private"),
        "reexport.py": "from .alpha import RULE\n",
        "area/__init__.py": "",
        "area/deep.py": TOY_RULE.format(code="OBS901", name="toy-deep"),
        "testdata/__init__.py": TOY_RULE.format(code="TST905", name="toy-testdata"),
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    rules, errors = discover("toy_rules_pkg")
    assert sorted(r.code for r in rules) == ["OBS901", "TST901"]
    assert sorted(e.module for e in errors) == [
        "toy_rules_pkg.beta",
        "toy_rules_pkg.broken",
        "toy_rules_pkg.gamma",
    ]
    broken = next(e for e in errors if e.module.endswith("broken"))
    assert broken.error.startswith("ModuleNotFoundError")
    assert "Traceback" in broken.traceback


def _modules_defining(rule: Rule) -> list[str]:
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if name.startswith("gobex.rules.") and any(v is rule for v in vars(module).values())
    )


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_code_and_name_are_well_formed(rule: Rule) -> None:
    match = _CODE.match(rule.code)
    assert match is not None, f"{rule.code}: an area prefix and three digits"
    assert match.group("prefix") in AREAS, f"{rule.code}: unknown area prefix"
    assert _NAME.match(rule.name), f"{rule.name}: kebab-case"
    assert not rule.name.startswith(("no-", "avoid-")), f"{rule.name}: names the pattern flagged"
    areas = {name.split(".")[2] for name in _modules_defining(rule)}
    assert AREAS[match.group("prefix")] in areas, f"{rule.code} lives in rules/{sorted(areas)}"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_docstring_has_the_four_sections_with_go_examples(rule: Rule) -> None:
    summary = rule.doc.strip().splitlines()[0] if rule.doc.strip() else ""
    assert summary and not summary.startswith("#"), f"{rule.code}: no summary line"
    sections = rule.sections()
    titles = [t for t in sections if t in SECTIONS]
    assert titles == list(SECTIONS), f"{rule.code}: sections {list(sections)}"
    for title in SECTIONS:
        assert sections[title].strip(), f"{rule.code}: `## {title}` is empty"
    for title in ("Example", "Use instead"):
        assert _GO_BLOCK.search(sections[title]), f"{rule.code}: `## {title}` has no ```go block"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_has_a_fixture(rule: Rule) -> None:
    expected = RULES_DIR / rule.area / "testdata" / f"{rule.code}.go"
    assert fixtures_of(rule), f"{rule.code}: no fixture (expected {expected})"


def test_every_fixture_belongs_to_a_rule() -> None:
    codes = {r.code for r in DISCOVERED}
    orphans = [str(f.path.relative_to(RULES_DIR)) for f in FIXTURES if f.code not in codes]
    assert orphans == []
    misplaced = [
        str(f.path.relative_to(RULES_DIR))
        for f in FIXTURES
        if f.code in codes and f.path.parent.parent.name != _by_code()[f.code].area
    ]
    assert misplaced == []


@cache
def _by_code() -> dict[str, Rule]:
    return {r.code: r for r in DISCOVERED}


def _want_lines(text: str) -> set[int]:
    return {n for n, line in enumerate(text.splitlines(), start=1) if _WANT.search(line)}


def positive_cases(rule: Rule) -> list[str]:
    cases = []
    for fixture in fixtures_of(rule):
        text = fixture.path.read_text(encoding="utf-8")
        cases += [f"{fixture.path.name}:{n}" for n in sorted(_want_lines(text))]
    return cases


@cache
def _query(text: str) -> Query:
    return Query(go_language(), text)


def _first_line(declaration: Node) -> int:
    """0-based first line of `declaration` with the comments right above it."""
    first = declaration.start_point[0]
    previous = declaration.prev_named_sibling
    while (
        previous is not None and previous.type == "comment" and previous.end_point[0] == first - 1
    ):
        first = previous.start_point[0]
        previous = previous.prev_named_sibling
    return first


def _looked_at(rule: Rule, source: SourceFile, declaration: Node) -> bool:
    """Whether the rule examines anything in `declaration` (or the comments above it)."""
    if not rule.query.strip():
        assert rule.code == ENGINE_IMPLEMENTED, f"{rule.code} has no query"
        first, last = _first_line(declaration), declaration.end_point[0]
        return any(first <= d.comment.start_point[0] <= last for d in parse_directives(source))
    matches = QueryCursor(_query(rule.query)).matches(declaration)
    return any(
        declaration.start_byte <= node.start_byte and node.end_byte <= declaration.end_byte
        for _, captures in matches
        for nodes in captures.values()
        for node in nodes
    )


def negative_cases(rule: Rule) -> list[str]:
    cases = []
    for fixture in fixtures_of(rule):
        data = fixture.path.read_bytes()
        source = SourceFile.parse(str(fixture.path), data)
        wants = _want_lines(data.decode("utf-8"))
        for declaration in source.root.named_children:
            if declaration.type not in _DECLARATIONS:
                continue
            first, last = _first_line(declaration) + 1, declaration.end_point[0] + 1
            if any(first <= line <= last for line in wants):
                continue
            if _looked_at(rule, source, declaration):
                cases.append(f"{fixture.path.name}:{first}")
    return cases


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_fixtures_have_enough_positive_and_negative_cases(rule: Rule) -> None:
    positives = positive_cases(rule)
    negatives = negative_cases(rule)
    assert len(positives) >= MIN_POSITIVES, f"{rule.code}: positives {positives}"
    assert len(negatives) >= MIN_NEGATIVES, (
        f"{rule.code}: only {len(negatives)} quiet lookalikes {negatives}; a negative is a "
        "top-level declaration without `// want` that the rule's query matches inside"
    )


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_fixable_rules_have_a_golden_and_goldens_belong_to_fixable_rules(rule: Rule) -> None:
    goldens = [
        (fixture, golden)
        for fixture in fixtures_of(rule)
        for golden in (fixture.golden, fixture.unsafe_golden)
        if golden.exists()
    ]
    if not rule.fixable:
        assert goldens == [], f"{rule.code} is not fixable but has goldens"
        return
    assert goldens, f"{rule.code} is fixable but has no <fixture>.go.golden"
    # A golden may equal its fixture (no safe fix there), but some golden must show a fix.
    changed = [g for f, g in goldens if g.read_bytes() != f.path.read_bytes()]
    assert changed, f"{rule.code}: every golden equals its fixture; no fix is exercised"


def test_every_golden_has_its_fixture() -> None:
    strays = [
        str(golden.relative_to(RULES_DIR))
        for golden in RULES_DIR.glob("*/testdata/*.golden")
        if not Path(str(golden).removesuffix(".unsafe.golden").removesuffix(".golden")).exists()
    ]
    assert strays == []


def test_rules_json_matches_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rules", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    records = json.loads(captured.out)
    registry = default_registry()
    assert [r["code"] for r in records] == [r.code for r in registry.rules]
    for record, rule in zip(records, registry.rules, strict=True):
        assert record["name"] == rule.name
        assert record["area"] == rule.area
        assert record["severity"] == rule.severity.value
        assert record["group"] == rule.group.value
        assert record["fixable"] is rule.fixable
        assert record["packages"] == list(rule.packages)
        assert record["summary"] == rule.summary
        assert rule.code in str(record["url"])


def test_rules_text_lists_the_stable_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    listed = [line.split()[:2] for line in capsys.readouterr().out.splitlines()]
    stable = [[r.code, r.name] for r in default_registry().rules if r.group is Group.STABLE]
    assert listed == stable
