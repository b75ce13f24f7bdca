"""The rule fixture convention (go/analysis analysistest style).

`rules/<area>/testdata/<CODE>[_suffix].go`: every line that must be reported
carries `// want "regexp"` (several quoted regexps for several findings); lines
without it must stay quiet. `<fixture>.go.golden` is the fixture after every
safe fix; `<fixture>.go.unsafe.golden` after every fix. A header line
`// gobex:select CODE,CODE` runs more rules with the fixture's own (for rules
that judge other rules, such as IDM001). A header line `// gobex:go 1.N` lints
the fixture as if its go.mod said `go 1.N` (a `//go:build go1.N` line cannot
lower a file below Go 1.21).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gobex.goversion import GoVersion

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
_WANT = re.compile(r"//\s*want\s+(.*)$")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"|`([^`]*)`')
_SELECT = re.compile(r"^// gobex:select (.+)$", re.MULTILINE)
_GO = re.compile(r"^// gobex:go (\S+)$", re.MULTILINE)
_CODE = re.compile(r"^([A-Z]{2,3}\d{3})")


@dataclass(frozen=True)
class Fixture:
    path: Path
    code: str

    @property
    def id(self) -> str:
        return f"{self.code}:{self.path.name}"

    @property
    def golden(self) -> Path:
        return self.path.with_name(self.path.name + ".golden")

    @property
    def unsafe_golden(self) -> Path:
        return self.path.with_name(self.path.name + ".unsafe.golden")

    def expectations(self) -> dict[int, list[str]]:
        """1-based line -> regexps that must match a finding's message on it."""
        wants: dict[int, list[str]] = {}
        text = self.path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            match = _WANT.search(line)
            if match is None:
                continue
            patterns = [
                (
                    m.group(1).encode().decode("unicode_escape")
                    if m.group(1) is not None
                    else m.group(2)
                )
                for m in _QUOTED.finditer(match.group(1))
            ]
            if patterns:
                wants[number] = patterns
        return wants

    def module_go_version(self) -> GoVersion | None:
        """The go.mod version the fixture asks for with `// gobex:go 1.N`."""
        match = _GO.search(self.path.read_text(encoding="utf-8"))
        return GoVersion.parse(match.group(1)) if match else None

    def extra_rules(self) -> list[str]:
        text = self.path.read_text(encoding="utf-8")
        match = _SELECT.search(text)
        return [c.strip() for c in match.group(1).split(",")] if match else []


def all_fixtures() -> list[Fixture]:
    fixtures = []
    for path in sorted(RULES_DIR.glob("*/testdata/*.go")):
        match = _CODE.match(path.name)
        if match:
            fixtures.append(Fixture(path, match.group(1)))
    return fixtures
