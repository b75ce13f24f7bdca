"""The configuration snippets of the editor guides (docs/editors/), read from the guides.

A snippet is the fenced code block right after a marker line::

    <!-- snippet: NAME tested-by: tests/editors/test_neovim.py -->
    <!-- snippet: NAME untested: why -->

The editor tests load the snippets they exercise from here, so a guide cannot
drift from what is tested; tests/test_editor_docs.py checks every marker's claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDES = ROOT / "docs" / "editors"

_MARKER = re.compile(
    r"^<!-- snippet: (?P<name>[a-z0-9.-]+) "
    r"(?:tested-by: (?P<tests>[^>]+?)|untested: (?P<why>[^>]+?)) -->\n"
    r"```(?P<lang>[a-z]+)\n(?P<body>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class Snippet:
    guide: Path
    name: str
    lang: str
    body: str
    tested_by: tuple[str, ...]  # test files (repository-relative) that load it
    untested_because: str | None


def snippets(guide: Path) -> list[Snippet]:
    """Every marked snippet of one guide, in order."""
    text = guide.read_text(encoding="utf-8")
    found = []
    for match in _MARKER.finditer(text):
        tests = match["tests"]
        found.append(
            Snippet(
                guide=guide,
                name=match["name"],
                lang=match["lang"],
                body=match["body"],
                tested_by=tuple(t.strip() for t in tests.split(",")) if tests else (),
                untested_because=match["why"],
            )
        )
    return found


def snippet(guide: str, name: str) -> str:
    """The text of snippet `name` in docs/editors/`guide`."""
    for found in snippets(GUIDES / guide):
        if found.name == name:
            return found.body
    raise LookupError(f"docs/editors/{guide} has no snippet marked {name!r}")
