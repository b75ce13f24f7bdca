"""docs/rules/ and the README's rule list are generated from the rules
(`python -m gobex.docs`); the committed copies must match the registry."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gobex.docs import (
    README_END,
    README_START,
    generated_files,
    replace_readme_rules,
    rule_doc_page,
    rule_page,
    rule_table,
    write_docs,
)
from gobex.finding import Severity
from gobex.registry import default_registry
from gobex.rule import Group, Rule

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = (
    "regenerate with `.venv/bin/python -m gobex.docs` (from the repository root) "
    "and commit docs/rules/ and README.md"
)

_DOC = """Values are never released.

## What it does
Reports values.
## Why is this bad
Leaks.
## Example
```go
x := open()
```
## Use instead
```go
x := open()
defer x.Close()
```
"""


def _rule(code: str = "PG901", name: str = "fake-rule", **changes: object) -> Rule:
    fields: dict[str, object] = {
        "code": code,
        "name": name,
        "severity": Severity.WARNING,
        "query": "",
        "doc": _DOC,
    }
    fields.update(changes)
    return Rule(**fields)  # type: ignore[arg-type]


def test_committed_docs_match_the_rules(tmp_path: Path) -> None:
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    if (ROOT / "docs" / "rules").is_dir():
        shutil.copytree(ROOT / "docs" / "rules", tmp_path / "docs" / "rules")
    result = subprocess.run(
        [sys.executable, "-m", "gobex.docs", "--root", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "", f"out of date:\n{result.stdout}{REGENERATE}"
    # Belt and braces: the regenerated tree equals the committed one, file for file.
    committed = {p.relative_to(ROOT) for p in (ROOT / "docs" / "rules").glob("*.md")}
    regenerated = {p.relative_to(tmp_path) for p in (tmp_path / "docs" / "rules").glob("*.md")}
    assert committed == regenerated, REGENERATE
    for relative in [*sorted(regenerated), Path("README.md")]:
        assert (tmp_path / relative).read_bytes() == (ROOT / relative).read_bytes(), (
            f"{relative} is out of date: {REGENERATE}"
        )


def test_every_rule_has_a_page_and_a_readme_row() -> None:
    rules = default_registry().rules
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme[readme.index(README_START) : readme.index(README_END)]
    for rule in rules:
        page = ROOT / "docs" / "rules" / f"{rule.code}.md"
        assert page.is_file(), f"no page for {rule.code}: {REGENERATE}"
        assert rule_page(rule) in page.read_text(encoding="utf-8")
        assert f"[{rule.code}](docs/rules/{rule.code}.md)" in listed, REGENERATE


def test_page_contains_the_docstring_sections_and_suppression() -> None:
    page = rule_doc_page(_rule())
    assert page.index("# PG901 fake-rule") < page.index("## What it does")
    assert page.index("## What it does") < page.index("## Use instead")
    assert "`//nolint:PG901" in page
    assert "`//nolint:fake-rule`" in page
    assert "defer x.Close()" in page


def test_table_escapes_pipes_and_marks_preview() -> None:
    rule = _rule(doc=_DOC.replace("Values are never", "a | b is never"), group=Group.PREVIEW)
    table = rule_table([rule])
    row = table.splitlines()[2]
    assert row.startswith("| [PG901](PG901.md) | `fake-rule` | postgres | warning |  |")
    assert "a \\| b is never released." in row
    assert row.endswith("*(preview)* |")
    assert row.count(" | ") == 5  # six cells: the escaped pipe did not open a seventh


def test_readme_block_is_replaced_between_markers_only() -> None:
    readme = f"intro\n\n{README_START}\nold list\n{README_END}\n\noutro\n"
    updated = replace_readme_rules(readme, [_rule()])
    assert updated.startswith(f"intro\n\n{README_START}\n| Code |")
    assert "old list" not in updated
    assert updated.endswith(f"{README_END}\n\noutro\n")
    assert "[PG901](docs/rules/PG901.md)" in updated
    assert replace_readme_rules(updated, [_rule()]) == updated  # idempotent


def test_readme_without_markers_is_an_error() -> None:
    with pytest.raises(ValueError, match="markers"):
        replace_readme_rules("# no list here\n", [_rule()])


def test_write_docs_removes_pages_of_removed_rules(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(f"{README_START}\n{README_END}\n", encoding="utf-8")
    pages = tmp_path / "docs" / "rules"
    pages.mkdir(parents=True)
    (pages / "PG999.md").write_text("a rule that no longer exists\n", encoding="utf-8")
    (pages / "guide.md").write_text("hand-written, kept\n", encoding="utf-8")
    changed = write_docs(tmp_path, [_rule()])
    assert not (pages / "PG999.md").exists()
    assert (pages / "guide.md").exists()
    assert sorted(changed) == sorted(
        ["docs/rules/PG999.md", "docs/rules/PG901.md", "docs/rules/README.md", "README.md"]
    )
    assert {str(path) for path in generated_files([_rule()])} == {
        "docs/rules/PG901.md",
        "docs/rules/README.md",
    }
    assert write_docs(tmp_path, [_rule()]) == []  # a second run changes nothing
