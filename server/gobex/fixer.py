"""Applying fixes: non-overlapping edits plus the imports they need, until nothing changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from gobex.edits import import_edit
from gobex.facts.imports import Imports
from gobex.finding import Finding, Fix, TextEdit
from gobex.models import ModelSet
from gobex.source import SourceFile

MAX_ROUNDS = 10


def apply_edits(data: bytes, edits: Sequence[TextEdit]) -> bytes:
    """Apply non-overlapping byte-range edits."""
    out = bytearray()
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < position:
            raise ValueError(f"overlapping edits at byte {edit.start}")
        out += data[position : edit.start]
        out += edit.text.encode("utf-8", "surrogateescape")
        position = edit.end
    out += data[position:]
    return bytes(out)


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    return (a.start < b.end and b.start < a.end) or (a.start == b.start)


def choose_fixes(fixes: Iterable[Fix]) -> list[Fix]:
    """A set of fixes whose edits do not overlap (earlier fixes win)."""
    chosen: list[Fix] = []
    taken: list[TextEdit] = []
    for fix in sorted(fixes, key=lambda f: min((e.start for e in f.edits), default=0)):
        if any(_overlaps(edit, other) for edit in fix.edits for other in taken):
            continue
        chosen.append(fix)
        taken.extend(fix.edits)
    return chosen


def plan_fixes(
    source: SourceFile, fixes: Sequence[Fix], models: ModelSet
) -> tuple[list[Fix], list[TextEdit]]:
    """The fixes that can be applied together and their edits, plus one edit adding
    the imports they need. A fix needing an import is dropped when the import edit
    would collide with another edit (applying it without the import breaks the build)."""
    kept = list(fixes)
    while True:
        edits = [edit for fix in kept for edit in fix.edits]
        needed = [path for fix in kept for path in fix.imports]
        if not needed:
            return kept, edits
        extra = import_edit(source, Imports(source.root, models), needed)
        if extra is None:
            return kept, edits
        if not any(_overlaps(extra, e) for e in edits):
            return kept, [*edits, extra]
        kept = [f for f in kept if not f.imports]


def fix_edits(source: SourceFile, fixes: Sequence[Fix], models: ModelSet) -> list[TextEdit]:
    """The edits of the applicable `fixes` plus the import edit they need (see plan_fixes)."""
    return plan_fixes(source, fixes, models)[1]


@dataclass(frozen=True)
class FixOutcome:
    data: bytes
    applied: int  # number of findings fixed
    rounds: int


def fix_until_stable(
    source: SourceFile,
    lint: Callable[[SourceFile], Sequence[Finding]],
    models: ModelSet,
    unsafe: bool = False,
) -> FixOutcome:
    """Lint, apply every applicable fix, re-lint; repeat until no fix applies."""
    applied = 0
    rounds = 0
    current = source
    while rounds < MAX_ROUNDS:
        findings = lint(current)
        candidates = [f.preferred_fix(unsafe) for f in findings]
        fixes = choose_fixes(f for f in candidates if f is not None)
        if not fixes:
            break
        fixes, edits = plan_fixes(current, fixes, models)
        new_data = apply_edits(current.data, edits)
        if not fixes or new_data == current.data:
            break
        rounds += 1
        applied += len(fixes)
        current = current.with_text(new_data)
    return FixOutcome(current.data, applied, rounds)
