"""Calls that return a sentinel error itself, never wrapped.

Comparing such a result with ``==`` is correct: ``io.Reader.Read`` must return
``io.EOF`` itself (the io contract), ``ctx.Err()`` returns ``context.Canceled``
itself, ``Server.ListenAndServe`` returns ``http.ErrServerClosed`` itself.
Models say so with a method or function tag ``unwrapped:<model id>.<Var>``.
A tag ``unwrapped-today:<model id>.<Var>`` marks behaviour that holds today but
that the library does not promise (``(*sql.Row).Scan`` and ``sql.ErrNoRows``).

Read-style methods of packages no model describes (``bufio``, ``bytes``,
``encoding/json``, gRPC streams' ``Recv``) follow the io contract, so their
names are enough for ``io.EOF`` (errorlint's allow list has the same entries).
The compared value is the one last assigned before the comparison.
"""

from __future__ import annotations

from enum import IntEnum

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.flow import dominates
from gobex.facts.syntax import call_function_parts, expression_list, unparen

IO_EOF = "io.EOF"
# Sentinels of the io contract: readers return them themselves, never wrapped.
IO_CONTRACT = frozenset({IO_EOF, "io.ErrUnexpectedEOF"})

# Methods and functions that return io.EOF itself at the end of input.
READ_NAMES = frozenset(
    {
        "Read",
        "ReadAt",
        "ReadByte",
        "ReadBytes",
        "ReadDir",
        "Readdir",
        "Readdirnames",
        "ReadFull",
        "ReadAtLeast",
        "ReadLine",
        "ReadRune",
        "ReadSlice",
        "ReadString",
        "Peek",
        "Discard",
        "Next",
        "NextPart",
        "NextRawPart",
        "Decode",
        "Token",
        "RawToken",
        "Err",
        "Recv",
        "RecvMsg",
    }
)


class Unwrapped(IntEnum):
    """How the compared error relates to the sentinel."""

    UNKNOWN = 0  # may be wrapped: report
    TODAY = 1  # returned unwrapped today, not promised: a lower-priority finding
    CONTRACT = 2  # returned unwrapped by contract: quiet


def unwrapped(
    facts: Facts, error: Node, sentinel_key: str | None, at: Node
) -> tuple[Unwrapped, Node | None]:
    """Whether `error`, compared at `at`, comes straight from a call that returns
    the sentinel unwrapped, and that call.

    The value compared is the one last assigned before `at` ("right after the
    call"). For the io sentinels the io contract decides unless that value
    visibly comes from a call that is not a read: a reader's error state in a
    field, or an error handed in as a parameter, holds a bare ``io.EOF``.
    """
    if sentinel_key is None:
        return Unwrapped.UNKNOWN, None
    origin = latest_value(facts, error, at)
    call = origin if origin is not None and origin.type == "call_expression" else None
    if call is None:
        if sentinel_key in IO_CONTRACT:
            return Unwrapped.CONTRACT, None
        return Unwrapped.UNKNOWN, None
    return _call_verdict(facts, call, sentinel_key), call


def _call_verdict(facts: Facts, call: Node, key: str) -> Unwrapped:
    callee = facts.callee(call)
    if callee is not None and callee.spec is not None:
        if f"unwrapped:{key}" in callee.spec.tags:
            return Unwrapped.CONTRACT
        if f"unwrapped-today:{key}" in callee.spec.tags:
            return Unwrapped.TODAY
    if key in IO_CONTRACT:
        _, name = call_function_parts(call)
        if name in READ_NAMES or name.lower().startswith("read"):
            return Unwrapped.CONTRACT
    return Unwrapped.UNKNOWN


def latest_value(facts: Facts, error: Node, at: Node) -> Node | None:
    """The expression `error` holds at `at`: `error` itself when it is a call,
    else the value of the last assignment to the variable it names that runs
    on every path to `at` (its declaration or a later assignment; assignments
    in branches that may not run are passed over), unparenthesised."""
    error = unparen(error)
    if error.type == "call_expression":
        return error
    binding = facts.binding(error) if error.type == "identifier" else None
    if binding is None:
        return None
    candidates: list[tuple[Node, Node | None]] = [(binding.ident, binding.value)]
    candidates.extend((t, assigned_value(t)) for t in binding.assignments)
    reaching = [c for c in candidates if c[0].start_byte < at.start_byte and dominates(c[0], at)]
    if not reaching:
        return None
    _, value = max(reaching, key=lambda c: c[0].start_byte)
    return unparen(value) if value is not None else None


def assigned_value(target: Node) -> Node | None:
    """The expression assigned to `target` in ``a, target = f()`` / ``:=``."""
    holder = target.parent
    statement = holder.parent if holder is not None else None
    if statement is None or statement.type not in ("assignment_statement", "short_var_declaration"):
        return None
    if statement.child_by_field_name("left") != holder:
        return None
    lefts = expression_list(holder)
    rights = expression_list(statement.child_by_field_name("right"))
    if len(rights) == 1:
        return rights[0]
    if len(rights) == len(lefts) and target in lefts:
        return rights[lefts.index(target)]
    return None
