"""The facts layer: what a type checker would tell, derived from syntax and API models."""

from gobex.facts.facts import ESCAPING, Callee, ContextRef, Facts, Use, UseKind
from gobex.facts.package import PackageIndex
from gobex.facts.scope import Binding, BindingKind

__all__ = [
    "ESCAPING",
    "Binding",
    "BindingKind",
    "Callee",
    "ContextRef",
    "Facts",
    "PackageIndex",
    "Use",
    "UseKind",
]
