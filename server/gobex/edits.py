"""Building text edits that keep Go code well formed: statements, imports."""

from __future__ import annotations

from tree_sitter import Node

from gobex.facts.flow import statement_of
from gobex.facts.imports import Imports
from gobex.facts.syntax import expression_list, text
from gobex.finding import TextEdit
from gobex.source import SourceFile


def indentation(source: SourceFile, node: Node) -> str:
    """The leading whitespace of the line `node` starts on."""
    line = source.lines.line_bytes(node.start_point[0])
    stripped = line.lstrip(b" \t")
    return line[: len(line) - len(stripped)].decode("utf-8", "replace")


def line_ending(source: SourceFile) -> str:
    return "\r\n" if b"\r\n" in source.data[:4096] else "\n"


def insert_statement_after(source: SourceFile, statement: Node, code: str) -> TextEdit:
    """Insert `code` (one or more lines) as new statements after `statement`,
    at its indentation."""
    indent = indentation(source, statement)
    newline = line_ending(source)
    lines = code.split("\n")
    body = newline.join(indent + line if line else line for line in lines)
    at = end_of_line_after(source, statement.end_byte)
    return TextEdit(at, at, newline + body)


def end_of_line_after(source: SourceFile, offset: int) -> int:
    """`offset`, moved past a trailing line comment and spaces to the line's end
    (so that an insertion lands after ``x := f() // note``)."""
    line = source.lines.line_of(offset)
    end = source.lines.line_end(line)
    rest = source.data[offset:end].strip()
    if not rest or (rest.startswith(b"//")):
        return end
    return offset


def insert_statement_before(source: SourceFile, statement: Node, code: str) -> TextEdit:
    indent = indentation(source, statement)
    newline = line_ending(source)
    lines = code.split("\n")
    body = newline.join((indent + line if line and i else line) for i, line in enumerate(lines))
    return TextEdit(statement.start_byte, statement.start_byte, body + newline + indent)


def err_check_after(statement: Node, error_name: str = "err") -> Node | None:
    """The ``if err != nil { ... }`` statement right after `statement`, if any."""
    following = statement.next_named_sibling
    while following is not None and following.type == "comment":
        following = following.next_named_sibling
    if following is None or following.type != "if_statement":
        return None
    condition = following.child_by_field_name("condition")
    if condition is None or error_name not in text(condition):
        return None
    return following


def insert_after_err_check(
    source: SourceFile, node: Node, code: str, error_name: str | None = "err"
) -> TextEdit:
    """Insert `code` after the statement holding `node`, or after the error check
    that follows it (``x, err := f(); if err != nil { return err }``)."""
    statement = statement_of(node)
    if statement.type == "if_statement" and node_in_initializer(statement, node):
        # if x, err := f(); err != nil { ... }: the value only lives inside the if.
        consequence = statement.child_by_field_name("consequence")
        target = consequence if consequence is not None else statement
        return insert_statement_after(source, target, code)
    anchor = statement
    if error_name:
        check = err_check_after(statement, error_name)
        if check is not None:
            anchor = check
    return insert_statement_after(source, anchor, code)


def node_in_initializer(if_statement: Node, node: Node) -> bool:
    initializer = if_statement.child_by_field_name("initializer")
    return (
        initializer is not None and initializer.start_byte <= node.start_byte < initializer.end_byte
    )


def error_name_of(declaration: Node) -> str | None:
    """The name the error result is assigned to in ``x, err := f()``."""
    left = expression_list(declaration.child_by_field_name("left"))
    if left and left[-1].type == "identifier":
        name = text(left[-1])
        if name != "_" and ("err" in name.lower()):
            return name
    return None


def import_edit(source: SourceFile, imports: Imports, paths: list[str]) -> TextEdit | None:
    """One edit adding the import `paths` the file does not import yet."""
    missing = sorted({p for p in paths if not imports.imports_path(p)})
    if not missing:
        return None
    newline = line_ending(source)
    if imports.declarations:
        first = imports.declarations[0]
        spec_list = next((c for c in first.named_children if c.type == "import_spec_list"), None)
        if spec_list is not None:
            specs = [c for c in spec_list.named_children if c.type == "import_spec"]
            if specs:
                return _insert_into_group(source, specs, missing)
            close = spec_list.end_byte - 1
            lines = "".join(f'\t"{p}"{newline}' for p in missing)
            return TextEdit(close, close, lines)
        # A single `import "fmt"` becomes a block.
        single = next((c for c in first.named_children if c.type == "import_spec"), None)
        if single is not None:
            existing = text(single.child_by_field_name("path")).strip('"`')
            entries = sorted([(existing, text(single)), *((p, f'"{p}"') for p in missing)])
            body = "".join(f"\t{spec}{newline}" for _, spec in entries)
            return TextEdit(first.start_byte, first.end_byte, f"import ({newline}{body})")
    package = next((c for c in source.root.named_children if c.type == "package_clause"), None)
    block = (
        f'import "{missing[0]}"'
        if len(missing) == 1
        else "import (" + newline + "".join(f'\t"{p}"{newline}' for p in missing) + ")"
    )
    at = package.end_byte if package is not None else 0
    return TextEdit(at, at, newline + newline + block)


def _insert_into_group(source: SourceFile, specs: list[Node], missing: list[str]) -> TextEdit:
    """Insert into the first group of import specs (standard library first, as
    goimports groups them), keeping it sorted."""
    newline = line_ending(source)
    group = [specs[0]]
    for spec in specs[1:]:
        if spec.start_point[0] - group[-1].end_point[0] > 1:
            break
        group.append(spec)
    first_missing = missing[0]
    anchor: Node | None = None
    for spec in group:
        path = text(spec.child_by_field_name("path")).strip('"`')
        if path < first_missing:
            anchor = spec
    indent = indentation(source, group[0])
    lines = "".join(f'{newline}{indent}"{p}"' for p in missing)
    if anchor is None:
        body = "".join(f'"{p}"{newline}{indent}' for p in missing)
        return TextEdit(group[0].start_byte, group[0].start_byte, body)
    return TextEdit(anchor.end_byte, anchor.end_byte, lines)
