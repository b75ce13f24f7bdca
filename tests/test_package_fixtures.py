"""Package fixtures: rules whose findings depend on other files of the package.

`rules/<area>/testdata/<CODE>_<suffix>/` is one Go package: every `.go` file in
it is linted with the others as its package (as `gobex check DIR` does), and
each file's `// want "regexp"` lines must be exactly the findings of <CODE>.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gobex.config import Config
from gobex.engine import Engine
from gobex.facts import PackageIndex
from gobex.finding import Finding
from gobex.source import SourceFile
from tests.fixtures import RULES_DIR, Fixture

_CODE = re.compile(r"^([A-Z]{2,3}\d{3})_")

PACKAGES = sorted(
    path
    for path in RULES_DIR.glob("*/testdata/*")
    if path.is_dir() and _CODE.match(path.name) and any(path.glob("*.go"))
)


def _lint_package(code: str, directory: Path) -> dict[Path, tuple[SourceFile, list[Finding]]]:
    engine = Engine(Config(select=(code,), preview=True))
    assert not engine.config_errors, engine.config_errors
    files = sorted(directory.glob("*.go"))
    sources = [SourceFile.parse(str(f), f.read_bytes()) for f in files]
    package = PackageIndex.of(sources, engine.models)
    results: dict[Path, tuple[SourceFile, list[Finding]]] = {}
    for file, source in zip(files, sources, strict=True):
        result = engine.lint(source, package, file)
        assert not result.failures, "\n".join(f.traceback for f in result.failures)
        results[file] = (source, [f for f in result.findings if f.code == code])
    return results


@pytest.mark.parametrize("directory", PACKAGES, ids=[p.name for p in PACKAGES])
def test_package_reports_exactly_the_wanted_lines(directory: Path) -> None:
    match = _CODE.match(directory.name)
    assert match is not None
    code = match.group(1)
    problems: list[str] = []
    wanted_total = 0
    for file, (source, findings) in _lint_package(code, directory).items():
        wants = Fixture(file, code).expectations()
        wanted_total += len(wants)
        got: dict[int, list[str]] = {}
        for finding in findings:
            got.setdefault(source.lines.line_of(finding.start) + 1, []).append(finding.message)
        for line in sorted(set(wants) | set(got)):
            messages = list(got.get(line, []))
            for pattern in wants.get(line, []):
                hit = next((m for m in messages if re.search(pattern, m)), None)
                if hit is None:
                    problems.append(f"{file.name}:{line}: want {pattern!r}, got {got.get(line)}")
                else:
                    messages.remove(hit)
            problems.extend(f"{file.name}:{line}: unexpected {m!r}" for m in messages)
    assert wanted_total, f"{directory.name} has no `// want` line: it cannot fail"
    assert not problems, "\n".join(problems)


def test_kfk001_points_at_the_config_line_in_another_file() -> None:
    directory = RULES_DIR / "kafka" / "testdata" / "KFK001_package"
    results = _lint_package("KFK001", directory)
    _, findings = results[directory / "producer.go"]
    successes = [f for f in findings if f.message.startswith("Successes()")]
    assert len(successes) == 1
    related = successes[0].related
    assert len(related) == 1
    config = directory / "config.go"
    assert related[0].path == str(config)
    data = config.read_bytes()
    assert data[related[0].start : related[0].end].decode() == (
        "cfg.Producer.Return.Successes = true"
    )
