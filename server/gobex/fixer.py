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


def fix_edits(source: SourceFile, fixes: Sequence[Fix], models: ModelSet) -> list[TextEdit]:
    """The edits of `fixes` plus one edit adding the imports they need."""
    edits = [edit for fix in fixes for edit in fix.edits]
    needed = [path for fix in fixes for path in fix.imports]
    if needed:
        extra = import_edit(source, Imports(source.root, models), needed)
        if extra is not None and not any(_overlaps(extra, e) for e in edits):
            edits.append(extra)
    return edits


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
        edits = fix_edits(current, fixes, models)
        new_data = apply_edits(current.data, edits)
        if new_data == current.data:
            break
        rounds += 1
        applied += len(fixes)
        current = current.with_text(new_data)
    return FixOutcome(current.data, applied, rounds)
