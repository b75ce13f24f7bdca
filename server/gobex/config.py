"""Configuration: ``.gobex.toml`` / ``gobex.toml`` (nearest ancestor), validated.

Keys: ``select``, ``extend-select``, ``ignore`` (rule codes, names, area
prefixes such as ``KFK``, or ``ALL``), ``preview``, ``severity`` (a table of
selector -> error|warning|info), ``exclude`` (globs), ``per-file-ignores``
(a table of glob -> selectors), ``go-version``, ``max-file-size`` (bytes),
and the ``[lsp]`` table read by the language server. An unknown key or a bad
value is reported once (naming the file and key) and the default is used for
that key; the rest of the file applies.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from gobex.finding import Severity
from gobex.goversion import GoVersion

CONFIG_NAMES = (".gobex.toml", "gobex.toml")
DEFAULT_EXCLUDE = ("vendor/**", "**/vendor/**", "**/testdata/**", "testdata/**")
LSP_KEYS = frozenset({"enable", "lint-run", "debounce-ms", "workspace-scan", "docs-url"})


@dataclass(frozen=True)
class ConfigError:
    """One problem with a configuration source, and what gobex does about it."""

    source: str
    key: str
    message: str
    effect: str = "using the default"

    def __str__(self) -> str:
        return f"{self.source}: `{self.key}`: {self.message} ({self.effect})"


@dataclass(frozen=True)
class Config:
    """Effective settings for a run (defaults when no file sets them)."""

    select: tuple[str, ...] | None = None  # None: every stable rule
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    preview: bool = False
    severity: Mapping[str, Severity] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    go_version: GoVersion | None = None
    max_file_size: int = 2 * 1024 * 1024  # bytes; larger files are reported, not analysed
    lsp: Mapping[str, Any] = field(default_factory=dict)
    root: Path | None = None  # directory of the config file; globs are relative to it
    path: Path | None = None

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **changes)

    def relative(self, path: Path) -> str:
        """`path` relative to the config root (posix), for glob matching."""
        base = self.root or Path.cwd()
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except (ValueError, OSError):
            return path.as_posix()

    def is_excluded(self, path: Path, *, defaults: bool = True) -> bool:
        """True when `path` matches an ``exclude`` glob (and, with `defaults`, the
        built-in vendor/testdata exclusions)."""
        rel = self.relative(path)
        patterns = (*DEFAULT_EXCLUDE, *self.exclude) if defaults else self.exclude
        return any(glob_match(rel, pattern) for pattern in patterns)

    def ignores_for(self, path: Path) -> tuple[str, ...]:
        rel = self.relative(path)
        found: list[str] = []
        for pattern, selectors in self.per_file_ignores.items():
            if glob_match(rel, pattern):
                found.extend(selectors)
        return tuple(found)


def glob_match(path: str, pattern: str) -> bool:
    """Match a posix path relative to the config root, like .gitignore: ``*`` and
    ``?`` stay within one path segment, ``**`` spans directories, ``[...]`` is a
    character class; a pattern without ``/`` matches a file or directory name at
    any depth; a trailing ``/`` names a directory and everything in it."""
    pattern = pattern.strip().removeprefix("./").lstrip("/")
    directory = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    if not pattern:
        return False
    parts = PurePosixPath(path).parts
    if "/" not in pattern:
        names = parts[:-1] if directory else parts
        return any(_glob_regex(pattern).fullmatch(name) for name in names)
    if directory:
        pattern += "/**"
    if _glob_regex(pattern).fullmatch(path):
        return True
    # `dir/**` also names the directory itself.
    return pattern.endswith("/**") and _glob_regex(pattern[:-3]).fullmatch(path) is not None


@cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (close := pattern.find("]", i + 2)) != -1:
            members = pattern[i + 1 : close]
            negated = members.startswith(("!", "^"))
            members = re.escape(members[1:] if negated else members).replace("\\-", "-")
            out.append(f"[{'^/' if negated else ''}{members}]")
            i = close + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out), re.DOTALL)


def find_config(start: Path) -> Path | None:
    """The nearest ``.gobex.toml``/``gobex.toml`` in `start` or its ancestors."""
    try:
        directory = start.resolve()
    except OSError:
        return None
    if not directory.is_dir():
        directory = directory.parent
    for candidate_dir in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = candidate_dir / name
            if candidate.is_file():
                return candidate
    return None


def load_config(path: Path) -> tuple[Config, list[ConfigError]]:
    """Read and validate a config file. Unreadable or invalid TOML: defaults and one error."""
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return Config(root=path.parent, path=path), [
            ConfigError(where, "(file)", f"cannot read: {exc.strerror}", "using the defaults")
        ]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return Config(root=path.parent, path=path), [
            ConfigError(where, "(file)", f"invalid TOML: {exc}", "using the defaults")
        ]
    config, errors = parse_config(data, where)
    return replace(config, root=path.parent, path=path), errors


def parse_config(data: Mapping[str, Any], where: str) -> tuple[Config, list[ConfigError]]:
    """Validate a config table (from a file, initializationOptions or settings)."""
    errors: list[ConfigError] = []
    values: dict[str, Any] = {}

    def bad(key: str, message: str, effect: str = "using the default") -> None:
        errors.append(ConfigError(where, key, message, effect))

    for key, value in data.items():
        normal = key.replace("_", "-")
        if normal in ("select", "extend-select", "ignore", "exclude"):
            items = _string_list(value)
            if items is None:
                bad(key, "expected a list of strings")
                continue
            values[normal.replace("-", "_")] = tuple(items)
        elif normal == "preview":
            if not isinstance(value, bool):
                bad(key, "expected true or false")
                continue
            values["preview"] = value
        elif normal == "severity":
            if not isinstance(value, dict):
                bad(key, "expected a table of rule -> error|warning|info")
                continue
            severities: dict[str, Severity] = {}
            for selector, level in value.items():
                try:
                    severities[str(selector)] = Severity(str(level).lower())
                except ValueError:
                    bad(
                        f"{key}.{selector}",
                        f"expected error, warning or info, got {level!r}",
                        "the rule keeps its own severity",
                    )
            values["severity"] = severities
        elif normal == "per-file-ignores":
            if not isinstance(value, dict):
                bad(key, "expected a table of glob -> list of rules")
                continue
            table: dict[str, tuple[str, ...]] = {}
            for glob, selectors in value.items():
                items = _string_list(selectors)
                if items is None:
                    bad(f"{key}.{glob}", "expected a list of rules", "ignored")
                    continue
                table[str(glob)] = tuple(items)
            values["per_file_ignores"] = table
        elif normal == "go-version":
            if not isinstance(value, str):
                # TOML reads 1.20 as the float 1.2: only a string says which Go is meant.
                bad(key, f'expected a string such as "1.22", got {value!r}')
                continue
            try:
                values["go_version"] = GoVersion.parse(value)
            except ValueError as exc:
                bad(key, str(exc))
        elif normal == "max-file-size":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                bad(key, "expected a positive number of bytes")
                continue
            values["max_file_size"] = value
        elif normal == "lsp":
            if not isinstance(value, dict):
                bad(key, "expected a table")
                continue
            unknown = sorted(set(value) - LSP_KEYS)
            for name in unknown:
                known = ", ".join(sorted(LSP_KEYS))
                bad(f"lsp.{name}", f"unknown key (known: {known})", "ignored")
            values["lsp"] = {k: v for k, v in value.items() if k in LSP_KEYS}
        else:
            bad(key, "unknown key", "ignored")
    return Config(**values), errors


def _string_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value]
    return None


def merge(base: Config, overrides: Iterable[tuple[str, Any]]) -> Config:
    """`base` with the given fields replaced (used for CLI flags)."""
    return replace(base, **dict(overrides))
