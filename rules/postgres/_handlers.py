"""What a function is for, as far as the PG rules need to know: an HTTP handler,
a function serving a request (it is given a context), a constructor."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from gobex.facts import Facts
from gobex.facts.syntax import function_name, walk
from gobex.gotypes import GoType

# Functions that set a service up once: a pool opened there lives for the process.
_SET_UP_WORDS = (
    "new|open|connect|setup|init|initialize|run|main|start|dial|must|provide|bootstrap"
    "|migrate|seed|create|build|make|load|configure|test|bench|example"
)
_CONSTRUCTOR = re.compile(rf"^({_SET_UP_WORDS})", re.IGNORECASE)

# Packages whose presence says the package serves requests.
SERVER_PACKAGES = ("net/http", "google.golang.org/grpc")


def parameter_types(facts: Facts, function: Node) -> Iterator[GoType]:
    """The types of `function`'s parameters that syntax tells."""
    parameters = function.child_by_field_name("parameters")
    if parameters is None:
        return
    for parameter in parameters.named_children:
        if parameter.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        resolved = facts.resolve_type(parameter.child_by_field_name("type"))
        if resolved is not None:
            yield resolved


def is_http_handler(facts: Facts, function: Node) -> bool:
    """A function or method given an ``*http.Request``."""
    return any(
        t.is_type("net/http", "Request") and t.pointer for t in parameter_types(facts, function)
    )


def takes_context(facts: Facts, function: Node) -> bool:
    """A function given a ``context.Context``."""
    return any(t.is_type("context", "Context") for t in parameter_types(facts, function))


def is_constructor(function: Node) -> bool:
    """``main``, ``init``, ``New*``, ``Open*``, ``Connect*``, ``setup*``, ``run``,
    ``migrate*``...: code that runs once to set a service up (or a test)."""
    name = function_name(function)
    return bool(name) and _CONSTRUCTOR.match(name) is not None


def serves_requests_package(facts: Facts) -> bool:
    """The package imports net/http or gRPC."""
    paths = facts.package.import_paths
    return any(p in paths for p in SERVER_PACKAGES)


def go_statements(node: Node) -> Iterator[Node]:
    """``go`` statements inside `node` (nested func literals included)."""
    for current in walk(node):
        if current.type == "go_statement":
            yield current


def is_generator(data: bytes) -> bool:
    """A program run by hand (``//go:build ignore``, ``// +build ignore``): a
    one-shot generator, not a service."""
    head = data[:4096]
    return b"//go:build ignore" in head or b"// +build ignore" in head
