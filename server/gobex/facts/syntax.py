"""Small, shared helpers over tree-sitter Go nodes."""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar

from tree_sitter import Node

FUNCTION_TYPES = frozenset({"function_declaration", "method_declaration", "func_literal"})
CASE_TYPES = frozenset({"expression_case", "default_case", "type_case", "communication_case"})
LOOP_TYPES = frozenset({"for_statement"})


def text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "surrogateescape")


def unparen(node: Node) -> Node:
    """`node` without surrounding parentheses."""
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        inner: Node | None = node.named_child(0)
        if inner is None:
            break
        node = inner
    return node


class Ancestry:
    """The parents of one tree's nodes, found from the root down and remembered.

    tree-sitter's ``Node.parent`` searches down from the root on every call, so a
    walk up from a node d levels deep costs d searches of d steps: 3,000 nested
    blocks make every walk take seconds. One descent here costs one such search
    and answers for every ancestor on the way.
    """

    __slots__ = ("_parents", "_path", "deferred", "root")

    def __init__(self, root: Node) -> None:
        self.root = root
        self._parents: dict[Node, Node | None] = {root: None}
        self._path: list[Node] = [root]  # the last descent, from the root
        self.deferred: dict[Node, bool] = {}  # func literal -> runs from a defer (flow)

    def parent(self, node: Node) -> tuple[bool, Node | None]:
        """(True, the parent) for a node of this tree; (False, None) for any other."""
        if node in self._parents:
            return True, self._parents[node]
        # Walks go up from nodes near the last one: descend from the deepest node of
        # the last path whose span holds this one (spans nest along a path).
        path = self._path
        low, high = 0, len(path) - 1
        while low < high:
            middle = (low + high + 1) // 2
            holder = path[middle]
            if holder.start_byte <= node.start_byte and node.end_byte <= holder.end_byte:
                low = middle
            else:
                high = middle - 1
        found = self._descend(path, low, node)
        if found is None and low > 0:
            found = self._descend(path, 0, node)
        if found is None:
            return False, None
        return True, found

    def _descend(self, path: list[Node], index: int, node: Node) -> Node | None:
        current = path[index]
        walked: list[Node] = []
        while True:
            child = current.child_with_descendant(node)
            if child is None or child == current:
                return None
            self._parents[child] = current
            walked.append(child)
            if child == node:
                self._path = path[: index + 1] + walked
                return current
            current = child


_ANCESTRY: ContextVar[Ancestry | None] = ContextVar("gobex_ancestry", default=None)


def track_parents(root: Node | Ancestry) -> Ancestry:
    """Make `parent` (and every helper here) fast for the nodes of `root`'s tree in
    the current context; Facts does this for the file it is about."""
    ancestry = root if isinstance(root, Ancestry) else Ancestry(root)
    _ANCESTRY.set(ancestry)
    return ancestry


def ancestry_of(node: Node) -> Ancestry | None:
    """The tracked `Ancestry` of `node`'s tree, if it is the one being linted."""
    ancestry = _ANCESTRY.get()
    if ancestry is not None and ancestry.parent(node)[0]:
        return ancestry
    return None


def parent(node: Node) -> Node | None:
    """``node.parent``, without tree-sitter's search from the root for nodes of the
    tree being linted (see `Ancestry`). Prefer it to ``Node.parent`` in walks."""
    ancestry = _ANCESTRY.get()
    if ancestry is not None:
        known, found = ancestry.parent(node)
        if known:
            return found
    return node.parent


def outer_holder(node: Node) -> tuple[Node, Node | None]:
    """The outermost of the parentheses around `node` (`node` itself when there are
    none) and the node that holds it: what a value flows into."""
    above = parent(node)
    while above is not None and above.type == "parenthesized_expression":
        node, above = above, parent(above)
    return node, above


def enclosing_function(node: Node) -> Node | None:
    """The innermost function declaration, method or func literal holding `node`."""
    current = parent(node)
    while current is not None:
        if current.type in FUNCTION_TYPES:
            return current
        current = parent(current)
    return None


def top_level_declaration(node: Node) -> Node | None:
    """The child of the source file holding `node` (a func, type, var... declaration)."""
    current: Node | None = node
    while current is not None:
        above = parent(current)
        if above is None:
            return None
        if above.type == "source_file":
            return current
        current = above
    return None


def function_name(function: Node) -> str:
    """The declared name of a function or method; "" for func literals."""
    name = function.child_by_field_name("name")
    return text(name)


def receiver_type_name(method: Node) -> str | None:
    """The base type name of a method's receiver (``Repo`` for ``(r *Repo)``)."""
    receiver = method.child_by_field_name("receiver")
    if receiver is None:
        return None
    for param in receiver.named_children:
        if param.type != "parameter_declaration":
            continue
        type_node = param.child_by_field_name("type")
        while type_node is not None and type_node.type in ("pointer_type", "generic_type"):
            inner = (
                type_node.named_child(0)
                if type_node.type == "pointer_type"
                else type_node.child_by_field_name("type")
            )
            type_node = inner
        if type_node is not None:
            return text(type_node)
    return None


def call_function_parts(call: Node) -> tuple[Node | None, str]:
    """For ``x.y.M(...)`` returns (the ``x.y`` node, "M"); for ``f(...)`` (None, "f")."""
    function = call.child_by_field_name("function")
    if function is None:
        return None, ""
    function = unparen(function)
    if function.type == "selector_expression":
        return function.child_by_field_name("operand"), text(function.child_by_field_name("field"))
    if function.type == "identifier":
        return None, text(function)
    if function.type in ("generic_type", "index_expression"):
        inner = function.child_by_field_name("type") or function.child_by_field_name("operand")
        if inner is not None and inner.type == "identifier":
            return None, text(inner)
        if inner is not None and inner.type == "selector_expression":
            return inner.child_by_field_name("operand"), text(inner.child_by_field_name("field"))
    return None, ""


def arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [a for a in args.named_children if a.type != "comment"]


def expression_list(node: Node | None) -> list[Node]:
    """The expressions of an ``expression_list`` (or the node itself)."""
    if node is None:
        return []
    if node.type == "expression_list":
        return [c for c in node.named_children if c.type != "comment"]
    return [node]


def walk(node: Node) -> Iterator[Node]:
    """All named descendants of `node` (pre-order), `node` included."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children))


def walk_same_function(node: Node) -> Iterator[Node]:
    """Named descendants of `node`, not entering nested func literals."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(c for c in reversed(current.named_children) if c.type != "func_literal")


def statement_of(node: Node) -> Node:
    """The statement (child of a statement_list) that holds `node`."""
    current = node
    above = parent(current)
    while above is not None and above.type != "statement_list":
        if above.type in ("source_file", "block"):
            break
        current = above
        above = parent(current)
    return current


def is_inside(node: Node, ancestor: Node) -> bool:
    return (
        ancestor.start_byte <= node.start_byte
        and node.end_byte <= ancestor.end_byte
        and (node == ancestor or _has_ancestor(node, ancestor))
    )


def _has_ancestor(node: Node, ancestor: Node) -> bool:
    # Down from the ancestor: as cheap as one `Node.parent`, however deep the node.
    current = ancestor
    while True:
        child = current.child_with_descendant(node)
        if child is None or child == current:
            break
        if child == node:
            return True
        current = child
    above = parent(node)
    while above is not None:
        if above == ancestor:
            return True
        above = parent(above)
    return False


def has_token(node: Node, token: str) -> bool:
    """True when `node` has an anonymous child token `token` (e.g. ``:=``)."""
    return any(not c.is_named and c.type == token for c in node.children)
