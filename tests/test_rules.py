"""Every rule over every fixture: exactly the `// want` lines, matching messages,
golden fixes that converge and keep the file parseable."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from gobex.config import Config
from gobex.engine import Engine
from gobex.facts import PackageIndex
from gobex.finding import Finding
from gobex.fixer import fix_until_stable
from gobex.models import builtin_models
from gobex.source import SourceFile
from tests.fixtures import Fixture, all_fixtures

FIXTURES = all_fixtures()


def _engine(fixture: Fixture) -> Engine:
    config = Config(select=(fixture.code, *fixture.extra_rules()), preview=True)
    engine = Engine(config)
    assert not engine.config_errors, engine.config_errors
    return engine


def _lint(engine: Engine, source: SourceFile) -> list[Finding]:
    result = engine.lint(source, PackageIndex.of([source], engine.models), Path(source.path))
    assert not result.failures, "\n".join(f.traceback for f in result.failures)
    assert result.skipped is None, result.skipped
    return list(result.findings)


def _has_syntax_error(source: SourceFile) -> bool:
    return source.root.has_error


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.id for f in FIXTURES])
def test_fixture_reports_exactly_the_wanted_lines(fixture: Fixture) -> None:
    engine = _engine(fixture)
    source = SourceFile.parse(
        str(fixture.path), fixture.path.read_bytes(), fixture.module_go_version()
    )
    findings = [f for f in _lint(engine, source) if f.code == fixture.code]
    wants = fixture.expectations()
    got: dict[int, list[Finding]] = {}
    for finding in findings:
        got.setdefault(source.lines.line_of(finding.start) + 1, []).append(finding)
    problems = []
    for line, patterns in sorted(wants.items()):
        messages = [f.message for f in got.get(line, [])]
        unmatched = list(messages)
        for pattern in patterns:
            hit = next((m for m in unmatched if re.search(pattern, m)), None)
            if hit is None:
                problems.append(f"line {line}: want {pattern!r}, got {messages}")
            else:
                unmatched.remove(hit)
        for extra in unmatched:
            problems.append(f"line {line}: unexpected extra finding {extra!r}")
    for line, items in sorted(got.items()):
        if line not in wants:
            problems.extend(f"line {line}: unexpected {f.code} {f.message!r}" for f in items)
    assert not problems, "\n".join(problems)


def _fix(engine: Engine, source: SourceFile, unsafe: bool) -> bytes:
    def lint(current: SourceFile) -> Sequence[Finding]:
        return _lint(engine, current)

    return fix_until_stable(source, lint, engine.models, unsafe=unsafe).data


FIXABLE = [f for f in FIXTURES if f.golden.exists() or f.unsafe_golden.exists()]


@pytest.mark.parametrize("fixture", FIXABLE, ids=[f.id for f in FIXABLE])
def test_fixes_match_golden_and_converge(fixture: Fixture) -> None:
    engine = _engine(fixture)
    original = SourceFile.parse(
        str(fixture.path), fixture.path.read_bytes(), fixture.module_go_version()
    )
    for golden, unsafe in ((fixture.golden, False), (fixture.unsafe_golden, True)):
        if not golden.exists():
            continue
        fixed = _fix(engine, original, unsafe)
        assert fixed.decode() == golden.read_text(encoding="utf-8"), f"{golden.name} differs"
        fixed_source = original.with_text(fixed)
        if not _has_syntax_error(original):
            assert not _has_syntax_error(fixed_source), f"fixes in {golden.name} broke the syntax"
        leftover = [
            f
            for f in _lint(engine, fixed_source)
            if f.code == fixture.code and f.preferred_fix(unsafe) is not None
        ]
        assert not leftover, f"fixable findings remain after fixing: {leftover}"


def test_every_fixable_finding_belongs_to_a_fixable_rule() -> None:
    registry_engine = Engine(Config(select=("ALL",), preview=True))
    models = builtin_models()
    for fixture in FIXTURES:
        source = SourceFile.parse(
            str(fixture.path), fixture.path.read_bytes(), fixture.module_go_version()
        )
        result = registry_engine.lint(source, PackageIndex.of([source], models))
        for finding in result.findings:
            if finding.fixes:
                rule = registry_engine.registry.by_code[finding.code]
                assert rule.fixable, f"{finding.code} offers a fix but is not marked fixable"
                assert all(f.title for f in finding.fixes), f"{finding.code}: fix without a title"
