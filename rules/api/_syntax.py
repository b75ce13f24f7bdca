"""Small syntax helpers the API rules share: terminating blocks, whole lines."""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts.syntax import text, unparen
from gobex.source import SourceFile

# Calls after which control does not continue (tests, log, os).
_EXIT_CALLS = frozenset({"panic", "os.Exit", "runtime.Goexit"})
_EXIT_METHODS = frozenset({"Fatal", "Fatalf", "Fatalln", "FailNow", "Skip", "Skipf", "SkipNow"})


def ends_in_exit(block: Node) -> bool:
    """True when the last statement of `block` leaves it: return, break,
    continue, goto, panic, os.Exit, log.Fatal, t.Fatal..."""
    statements = [c for c in block.named_children if c.type == "statement_list"]
    items = [c for c in statements[0].named_children if c.type != "comment"] if statements else []
    if not items:
        return False
    last = items[-1]
    if last.type in ("return_statement", "break_statement", "continue_statement", "goto_statement"):
        return True
    if last.type != "expression_statement":
        return False
    call = last.named_child(0)
    if call is None or call.type != "call_expression":
        return False
    function = call.child_by_field_name("function")
    if function is None:
        return False
    function = unparen(function)
    if text(function) in _EXIT_CALLS:
        return True
    if function.type == "selector_expression":
        return text(function.child_by_field_name("field")) in _EXIT_METHODS
    return False


def whole_line(source: SourceFile, statement: Node) -> tuple[int, int, str] | None:
    """(start, end, content) of the line `statement` alone occupies: `start` at the
    line's beginning, `end` at the next line's, `content` the line without its
    indentation and line ending (a trailing comment stays). None when other code
    shares the line."""
    first = source.lines.line_of(statement.start_byte)
    last = source.lines.line_of(statement.end_byte)
    if first != last:
        return None
    start = source.lines.line_start(first)
    line_end = source.lines.line_end(first)
    before = source.data[start : statement.start_byte]
    after = source.data[statement.end_byte : line_end].strip()
    if before.strip(b" \t") or (after and not after.startswith(b"//")):
        return None
    end = source.lines.line_start(first + 1)
    if end <= line_end:
        return None  # the last line of the file has no line ending to remove
    content = source.data[statement.start_byte : line_end].rstrip()
    return start, end, content.decode("utf-8", "surrogateescape")
