"""Findings and fixes: what a rule reports. Ranges are byte offsets into the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters: `error` loses data, leaks or races; `warning`
    hurts robustness or performance; `info` is idiom."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Applicability(StrEnum):
    """`safe` fixes keep behaviour and are applied by ``--fix`` and fix-all;
    `unsafe` ones change behaviour and need ``--unsafe-fixes`` or a deliberate click."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class TextEdit:
    """Replace bytes ``[start, end)`` with `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fix:
    """One way to fix a finding: non-overlapping edits plus imports the fixed code needs.

    `imports` are Go import paths; the fixer adds the ones the file lacks to its
    import block when the fix is applied.
    """

    title: str
    edits: tuple[TextEdit, ...]
    applicability: Applicability = Applicability.SAFE
    imports: tuple[str, ...] = ()

    @property
    def is_safe(self) -> bool:
        return self.applicability is Applicability.SAFE


@dataclass(frozen=True)
class Related:
    """A second location that explains a finding (e.g. where a resource was opened)."""

    start: int
    end: int
    message: str
    path: str | None = None  # None: the finding's own file


@dataclass(frozen=True)
class Finding:
    """One reported problem in one file."""

    code: str
    name: str
    start: int
    end: int
    message: str
    severity: Severity
    fixes: tuple[Fix, ...] = ()
    related: tuple[Related, ...] = field(default=(), compare=False)

    @property
    def fixable(self) -> bool:
        return bool(self.fixes)

    def preferred_fix(self, unsafe: bool = False) -> Fix | None:
        """The first safe fix, or with `unsafe` the first fix of any kind."""
        for fix in self.fixes:
            if fix.is_safe:
                return fix
        if unsafe and self.fixes:
            return self.fixes[0]
        return None
