"""Adding a keyed field to a composite literal (rules/_shared/composite_literal.py):
the expected texts are what gofmt prints for the edited literal."""

from __future__ import annotations

import pytest
from tree_sitter import Node

from gobex.facts.syntax import walk
from gobex.fixer import apply_edits
from gobex.rules._shared.composite_literal import add_keyed_field, keyed_field_names
from gobex.source import SourceFile

FIELD = ("ReadHeaderTimeout", "10 * time.Second")


def _literal_value(source: SourceFile) -> Node:
    return next(n for n in walk(source.root) if n.type == "literal_value")


def _add(body: str) -> str | None:
    code = f"package p\n\nvar s = &http.Server{body}\n"
    source = SourceFile.parse("p.go", code.encode())
    edits = add_keyed_field(source, _literal_value(source), *FIELD)
    if edits is None:
        return None
    fixed = apply_edits(source.data, edits).decode()
    return fixed.removeprefix("package p\n\nvar s = &http.Server").removesuffix("\n")


CASES = {
    "empty": ("{}", "{ReadHeaderTimeout: 10 * time.Second}"),
    "one line": (
        '{Addr: ":80", Handler: h}',
        '{Addr: ":80", Handler: h, ReadHeaderTimeout: 10 * time.Second}',
    ),
    "empty block": ("{\n}", "{\n\tReadHeaderTimeout: 10 * time.Second,\n}"),
    "realigned section": (
        '{\n\tAddr:    ":80",\n\tHandler: h,\n}',
        '{\n\tAddr:              ":80",\n\tHandler:           h,\n'
        "\tReadHeaderTimeout: 10 * time.Second,\n}",
    ),
    "blank line ends the section": (
        '{\n\tAddr: ":80",\n\n\tHandler: h,\n}',
        '{\n\tAddr: ":80",\n\n\tHandler:           h,\n\tReadHeaderTimeout: 10 * time.Second,\n}',
    ),
    "comment line ends the section": (
        '{\n\tAddr: ":80",\n\t// the handler\n\tHandler: h,\n}',
        '{\n\tAddr: ":80",\n\t// the handler\n\tHandler:           h,\n'
        "\tReadHeaderTimeout: 10 * time.Second,\n}",
    ),
    "multi-line element ends the section": (
        "{\n\tAddr: a,\n\tHandler: http.HandlerFunc(func(w http.ResponseWriter, r *R) {\n\t}),\n}",
        "{\n\tAddr: a,\n\tHandler: http.HandlerFunc(func(w http.ResponseWriter, r *R) {\n\t}),\n"
        "\tReadHeaderTimeout: 10 * time.Second,\n}",
    ),
    "trailing comments move with their values": (
        '{\n\tAddr:    ":80", // addr\n\tHandler: mux,   // routes\n}',
        '{\n\tAddr:              ":80", // addr\n\tHandler:           mux,   // routes\n'
        "\tReadHeaderTimeout: 10 * time.Second,\n}",
    ),
    "a longer key keeps its column": (
        "{\n\tDisableGeneralOptionsHandler: true,\n}",
        "{\n\tDisableGeneralOptionsHandler: true,\n"
        "\tReadHeaderTimeout:            10 * time.Second,\n}",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_add_keyed_field_matches_gofmt(case: str) -> None:
    body, expected = CASES[case]
    assert _add(body) == expected


@pytest.mark.parametrize(
    "body",
    ['{":80", h}', "{\n\tAddr: a,\n\tHandler: h}", "{\n\tAddr: a, Handler: h,\n}"],
    ids=["unkeyed", "brace after the last element", "two elements on a line"],
)
def test_layouts_it_does_not_handle(body: str) -> None:
    assert _add(body) is None


def test_keyed_field_names() -> None:
    source = SourceFile.parse("p.go", b'package p\n\nvar s = T{A: 1, B: "x"}\n')
    assert keyed_field_names(_literal_value(source)) == {"A", "B"}
    unkeyed = SourceFile.parse("p.go", b"package p\n\nvar s = T{1, 2}\n")
    assert keyed_field_names(_literal_value(unkeyed)) is None
