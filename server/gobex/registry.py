"""Rule discovery (every module under ``gobex.rules``) and rule selection."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from functools import cache

from gobex.config import Config, ConfigError
from gobex.rule import AREAS, Group, Rule


class Registry:
    """All rules, by code and by name."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        ordered = sorted(rules, key=lambda r: (r.prefix, r.code))
        self.rules: tuple[Rule, ...] = tuple(ordered)
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
                    errors.append(ConfigError(where, key, f"unknown rule or prefix {selector!r}"))
                else:
                    result.append(found)
            return result

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


def discover(package: str = "gobex.rules") -> list[Rule]:
    """Import every module of `package` and collect the Rule objects they define."""
    root = importlib.import_module(package)
    rules: list[Rule] = []
    seen: set[int] = set()
    for info in pkgutil.walk_packages(root.__path__, prefix=package + "."):
        leaf = info.name.rsplit(".", 1)[-1]
        if leaf.startswith("_") or leaf in ("testdata", "models"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, Rule) and id(value) not in seen:
                seen.add(id(value))
                rules.append(value)
    return rules


@cache
def default_registry() -> Registry:
    """The registry of gobex's own rules (discovered once per process)."""
    return Registry(discover())
