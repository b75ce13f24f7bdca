"""Rule discovery (every module under ``gobex.rules``) and rule selection."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from gobex.config import Config, ConfigError
from gobex.rule import AREAS, Group, Rule

log = logging.getLogger("gobex.registry")


@dataclass(frozen=True)
class LoadError:
    """A rule module that could not be imported; its rules are missing from the run."""

    module: str
    error: str
    traceback: str

    def __str__(self) -> str:
        return f"cannot load rule module {self.module}: {self.error}"


class Registry:
    """All rules, by code and by name (and the rule modules that failed to load)."""

    def __init__(self, rules: Iterable[Rule], load_errors: Iterable[LoadError] = ()) -> None:
        ordered = sorted(rules, key=lambda r: (r.prefix, r.code))
        self.rules: tuple[Rule, ...] = tuple(ordered)
        self.load_errors: tuple[LoadError, ...] = tuple(load_errors)
        self.by_code: dict[str, Rule] = {}
        self.by_name: dict[str, Rule] = {}
        for rule in ordered:
            if rule.code in self.by_code:
                raise ValueError(f"duplicate rule code {rule.code}")
            if rule.name in self.by_name:
                raise ValueError(f"duplicate rule name {rule.name}")
            self.by_code[rule.code] = rule
            self.by_name[rule.name] = rule

    def get(self, key: str) -> Rule | None:
        """A rule by code (any case) or name."""
        return self.by_code.get(key.upper()) or self.by_name.get(key.lower())

    def resolve(self, selector: str) -> tuple[frozenset[Rule], bool] | None:
        """The rules a selector names, and whether it names them exactly (a code or
        a name, as opposed to a prefix or ALL). None for an unknown selector."""
        key = selector.strip()
        if not key:
            return None
        if key.upper() == "ALL":
            return frozenset(self.rules), False
        rule = self.get(key)
        if rule is not None:
            return frozenset({rule}), True
        upper = key.upper()
        prefixed = frozenset(r for r in self.rules if r.code.startswith(upper))
        if prefixed and (upper.rstrip("0123456789") in AREAS):
            return prefixed, False
        return None

    def select(
        self, config: Config, where: str = "configuration"
    ) -> tuple[list[Rule], list[ConfigError]]:
        """The rules `config` enables, and errors for selectors that name nothing."""
        errors: list[ConfigError] = []

        def expand(key: str, selectors: Iterable[str]) -> list[tuple[frozenset[Rule], bool]]:
            result = []
            for selector in selectors:
                found = self.resolve(selector)
                if found is None:
                    message = f"unknown rule or prefix {selector!r}"
                    errors.append(ConfigError(where, key, message, "ignored"))
                else:
                    result.append(found)
            return result

        for selector in config.severity:
            if self.resolve(selector) is None:
                message = f"unknown rule or prefix {selector!r}"
                errors.append(ConfigError(where, f"severity.{selector}", message, "ignored"))
        for glob, selectors in config.per_file_ignores.items():
            expand(f"per-file-ignores.{glob}", selectors)

        if config.select is None:
            selected = {r for r in self.rules if r.group is Group.STABLE or config.preview}
            exact: set[Rule] = set()
        else:
            selected, exact = set(), set()
            for rules, is_exact in expand("select", config.select):
                if is_exact:
                    exact |= rules
                    selected |= rules
                else:
                    selected |= {r for r in rules if r.group is Group.STABLE or config.preview}
        for rules, is_exact in expand("extend-select", config.extend_select):
            if is_exact:
                exact |= rules
                selected |= rules
            else:
                selected |= {r for r in rules if r.group is Group.STABLE or config.preview}
        for rules, is_exact in expand("ignore", config.ignore):
            # An exact select beats a broader ignore (select PG001, ignore PG).
            selected -= rules if is_exact else (rules - exact)
        return [r for r in self.rules if r in selected], errors

    def matches(self, rule: Rule, selectors: Iterable[str]) -> bool:
        """True when any selector names `rule` (unknown selectors name nothing)."""
        for selector in selectors:
            found = self.resolve(selector)
            if found is not None and rule in found[0]:
                return True
        return False


def discover(package: str = "gobex.rules") -> tuple[list[Rule], list[LoadError]]:
    """Import every module of `package` (recursively, skipping names starting with
    ``_``) and collect the Rule objects they define. A module that fails to import
    is recorded as a LoadError and skipped: one broken rule never disables the rest."""
    root = importlib.import_module(package)
    rules: list[Rule] = []
    errors: list[LoadError] = []
    seen: set[int] = set()

    def visit(path: Iterable[str], prefix: str) -> None:
        for info in pkgutil.iter_modules(path, prefix):
            leaf = info.name.rsplit(".", 1)[-1]
            if leaf.startswith("_") or leaf in ("testdata", "models"):
                continue
            try:
                module = importlib.import_module(info.name)
            except Exception as exc:
                error = LoadError(info.name, f"{type(exc).__name__}: {exc}", traceback.format_exc())
                log.error("%s", error)
                errors.append(error)
                continue
            for value in vars(module).values():
                if isinstance(value, Rule) and id(value) not in seen:
                    seen.add(id(value))
                    clash = next(
                        (r for r in rules if r.code == value.code or r.name == value.name), None
                    )
                    if clash is not None:
                        message = (
                            f"{value.code} {value.name} clashes with {clash.code} {clash.name}"
                            " (codes and names must be unique)"
                        )
                        errors.append(LoadError(info.name, message, ""))
                        log.error("rule module %s: %s", info.name, message)
                        continue
                    rules.append(value)
            if info.ispkg:
                visit(module.__path__, info.name + ".")

    visit(root.__path__, package + ".")
    return rules, errors


@cache
def default_registry() -> Registry:
    """The registry of gobex's own rules (discovered once per process)."""
    rules, errors = discover()
    return Registry(rules, errors)
