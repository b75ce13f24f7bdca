"""CON016 taking over dropped errgroup ``Wait()`` errors from ERR003 (model tag
``error-rule``): one finding per dropped Wait."""

from __future__ import annotations

from pathlib import Path

import pytest

from gobex.config import Config
from gobex.engine import Engine
from gobex.facts import PackageIndex
from gobex.source import SourceFile
from tests.fixtures import RULES_DIR, Fixture


@pytest.mark.parametrize("name", ["CON016.go", "CON016_alias.go"])
def test_dropped_waits_are_reported_by_con016_alone(name: str) -> None:
    path = RULES_DIR / "concurrency" / "testdata" / name
    fixture = Fixture(path, "CON016")
    engine = Engine(Config(select=("CON016", "ERR003"), preview=True))
    source = SourceFile.parse(str(path), path.read_bytes(), None)
    result = engine.lint(source, PackageIndex.of([source], engine.models), Path(path))
    lines: dict[int, list[str]] = {}
    for finding in result.findings:
        if "Wait()" in finding.message or finding.code == "ERR003":
            lines.setdefault(source.lines.line_of(finding.start) + 1, []).append(finding.code)
    dropped = [line for line, wants in fixture.expectations().items() if "Wait" in wants[0]]
    assert dropped
    for line in dropped:
        assert lines.get(line) == ["CON016"], (line, lines.get(line))
    if name == "CON016_alias.go":
        # ERR003 still reports the dropped error the fixture keeps as a lookalike.
        assert "ERR003" in {code for codes in lines.values() for code in codes}
