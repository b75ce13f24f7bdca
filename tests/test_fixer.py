"""The fixer: non-overlapping choice, imports, convergence."""

from __future__ import annotations

from gobex.finding import Fix, TextEdit
from gobex.fixer import apply_edits, choose_fixes, plan_fixes
from gobex.models import builtin_models
from gobex.source import SourceFile

SOURCE = b'package p\n\nimport "fmt"\n\nfunc f() { fmt.Println() }\n'


def test_overlapping_fixes_keep_the_first() -> None:
    a = Fix("a", (TextEdit(0, 3, "x"),))
    b = Fix("b", (TextEdit(2, 5, "y"),))
    c = Fix("c", (TextEdit(5, 6, "z"),))
    assert [f.title for f in choose_fixes([b, a, c])] == ["a", "c"]


def test_import_is_added_once_for_several_fixes() -> None:
    source = SourceFile.parse("p.go", SOURCE)
    at = SOURCE.index(b"fmt.Println")
    one = Fix("one", (TextEdit(at, at, 'errors.New("a"); '),), imports=("errors",))
    other = Fix("other", (TextEdit(len(SOURCE) - 1, len(SOURCE) - 1, "\n"),), imports=("errors",))
    kept, edits = plan_fixes(source, [one, other], builtin_models())
    assert kept == [one, other]
    fixed = apply_edits(SOURCE, edits)
    assert fixed.count(b'"errors"') == 1
    assert not SourceFile.parse("p.go", fixed).root.has_error


def test_a_fix_whose_import_cannot_be_added_is_dropped() -> None:
    source = SourceFile.parse("p.go", SOURCE)
    spec = SOURCE.index(b'"fmt"')
    # This fix rewrites the import spec itself, so the import edit would collide.
    clash = Fix("clash", (TextEdit(spec, spec + 5, '"log"'),), imports=("errors",))
    plain = Fix("plain", (TextEdit(0, 0, "// x\n"),))
    kept, edits = plan_fixes(source, [clash, plain], builtin_models())
    assert kept == [plain]
    assert apply_edits(SOURCE, edits) == b"// x\n" + SOURCE
