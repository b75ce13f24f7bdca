"""Settings: ``.gobex.toml`` (nearest ancestor of each file) merged with the editor's.

The editor's settings come from ``initializationOptions`` and then from
``workspace/configuration`` (section ``gobex``); later sources win, key by key.
Editor keys are camelCase (``debounceMs``) or the config file's kebab-case
(``debounce-ms``); ``lint.run`` may be nested or flat (``lintRun``). The server's
own keys live in the file's ``[lsp]`` table. Precedence, lowest first:
defaults, the config file, initializationOptions, workspace/configuration.
An invalid value is reported once and its default used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from gobex.config import Config, ConfigError, find_config, load_config, parse_config
from gobex.docs import DOCS_URL
from gobex.engine import Engine
from gobex.goversion import GoVersion, version_from_go_mod
from gobex.models import ModelSet
from gobex.registry import Registry

EDITOR = "editor settings"
DEFAULT_DEBOUNCE_MS = 50
ENGINE_KEYS = frozenset(
    {
        "select",
        "extend-select",
        "ignore",
        "preview",
        "severity",
        "exclude",
        "per-file-ignores",
        "go-version",
        "max-file-size",
    }
)
SERVER_KEYS = frozenset({"enable", "lint-run", "debounce-ms", "workspace-scan", "docs-url"})
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


class LintRun(StrEnum):
    """When open documents are linted: on every change, or when saved."""

    ON_TYPE = "onType"
    ON_SAVE = "onSave"


@dataclass(frozen=True)
class ServerSettings:
    """What the server itself does, beyond which rules run."""

    enable: bool = True
    lint_run: LintRun = LintRun.ON_TYPE
    debounce_ms: int = DEFAULT_DEBOUNCE_MS
    workspace_scan: bool = True
    docs_url: str = DOCS_URL


@dataclass(frozen=True)
class Effective:
    """The engine and settings that apply to one file."""

    engine: Engine
    server: ServerSettings
    config_path: Path | None


def kebab(key: str) -> str:
    """``debounceMs`` / ``debounce_ms`` -> ``debounce-ms``."""
    return _CAMEL.sub(r"-\1", key).replace("_", "-").lower()


def split_editor_settings(
    raw: Any, where: str = EDITOR
) -> tuple[dict[str, Any], dict[str, Any], list[ConfigError]]:
    """Editor settings -> (engine keys, server keys), both kebab-case, plus errors
    for unknown keys. A ``gobex`` wrapper table is unwrapped."""
    if raw is None:
        return {}, {}, []
    if not isinstance(raw, Mapping):
        return {}, {}, [ConfigError(where, "(settings)", "expected an object")]
    if set(raw) == {"gobex"} and isinstance(raw["gobex"], Mapping):
        raw = raw["gobex"]
    engine: dict[str, Any] = {}
    server: dict[str, Any] = {}
    errors: list[ConfigError] = []
    for key, value in raw.items():
        name = kebab(str(key))
        if name == "lint" and isinstance(value, Mapping):
            for sub, sub_value in value.items():
                if kebab(str(sub)) == "run":
                    server["lint-run"] = sub_value
                else:
                    errors.append(ConfigError(where, f"lint.{sub}", "unknown key"))
        elif name in ENGINE_KEYS:
            engine[name] = value
        elif name in SERVER_KEYS:
            server[name] = value
        else:
            errors.append(ConfigError(where, str(key), "unknown key"))
    return engine, server, errors


def parse_server_settings(
    raw: Mapping[str, Any], where: str
) -> tuple[dict[str, Any], list[ConfigError]]:
    """Validated server settings (ServerSettings field -> value) from kebab-case keys."""
    values: dict[str, Any] = {}
    errors: list[ConfigError] = []
    for key, value in raw.items():
        if key in ("enable", "workspace-scan"):
            if isinstance(value, bool):
                values[key.replace("-", "_")] = value
            else:
                errors.append(ConfigError(where, key, "expected true or false"))
        elif key == "lint-run":
            try:
                values["lint_run"] = LintRun(str(value))
            except ValueError:
                errors.append(ConfigError(where, key, "expected onType or onSave"))
        elif key == "debounce-ms":
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10_000:
                values["debounce_ms"] = value
            else:
                errors.append(ConfigError(where, key, "expected milliseconds from 0 to 10000"))
        elif key == "docs-url":
            if isinstance(value, str) and value.startswith(("http://", "https://", "file:")):
                values["docs_url"] = value
            else:
                errors.append(ConfigError(where, key, "expected a URL (may hold {code}, {name})"))
        else:
            errors.append(ConfigError(where, key, "unknown key"))
    return values, errors


@dataclass
class _Editor:
    engine: dict[str, Any] = field(default_factory=dict)
    server: dict[str, Any] = field(default_factory=dict)
    errors: list[ConfigError] = field(default_factory=list)


class SettingsStore:
    """Config files by directory, the editor's settings, and one Engine per
    distinct combination. Used from the event loop only."""

    def __init__(self, models: ModelSet, registry: Registry) -> None:
        self._models = models
        self._registry = registry
        self._initialization = _Editor()
        self._workspace = _Editor()
        self._files: dict[Path, tuple[Config, list[ConfigError]]] = {}
        self._found: dict[Path, Path | None] = {}
        self._effective: dict[Path | None, Effective] = {}
        self._go_mod: dict[Path, GoVersion | None] = {}
        self._reported: set[str] = set()
        self._pending: set[str] = set()
        self.generation = 0

    # -- sources ------------------------------------------------------------------
    def set_initialization_options(self, raw: Any) -> None:
        layer = _editor(raw, "initializationOptions")
        if layer != self._initialization:
            self._initialization = layer
            self._changed()

    def set_workspace_configuration(self, raw: Any) -> None:
        layer = _editor(raw, "workspace/configuration (gobex)")
        if layer != self._workspace:
            self._workspace = layer
            self._changed()

    def files_changed(self) -> None:
        """A config file or go.mod was created, changed or deleted."""
        self._files.clear()
        self._found.clear()
        self._go_mod.clear()
        self._changed()

    def _changed(self) -> None:
        self._effective.clear()
        self._reported.clear()
        self.generation += 1

    # -- answers ------------------------------------------------------------------
    def for_path(self, path: Path | None) -> Effective:
        """The engine and server settings for a file (None: an unsaved buffer)."""
        directory = path.parent if path is not None else None
        found = self._effective.get(directory)
        if found is not None:
            return found
        config_path = self._config_path(directory) if directory is not None else None
        config, errors = self._file_config(config_path)
        editor_engine = {**self._initialization.engine, **self._workspace.engine}
        editor_config, editor_errors = parse_config(editor_engine, EDITOR)
        chosen = {f.name for f in fields(Config)} & {k.replace("-", "_") for k in editor_engine}
        config = replace(config, **{name: getattr(editor_config, name) for name in chosen})
        file_server, file_errors = parse_server_settings(config.lsp, str(config_path or ""))
        values = dict(file_server)
        for layer in (self._initialization, self._workspace):
            layer_values, layer_errors = parse_server_settings(layer.server, EDITOR)
            values.update(layer_values)
            errors = [*errors, *layer_errors]
        engine = Engine(config, registry=self._registry, models=self._models)
        all_errors = [
            *errors,
            *file_errors,
            *editor_errors,
            *self._initialization.errors,
            *self._workspace.errors,
            *engine.config_errors,
        ]
        self._remember(all_errors)
        effective = Effective(engine, ServerSettings(**values), config_path)
        self._effective[directory] = effective
        return effective

    def module_version(self, path: Path | None) -> GoVersion | None:
        """The Go version for a file: configured, else from the nearest go.mod."""
        configured = self.for_path(path).engine.config.go_version
        if configured is not None or path is None:
            return configured
        directory = path.parent
        if directory not in self._go_mod:
            self._go_mod[directory] = version_from_go_mod(directory)
        return self._go_mod[directory]

    def take_errors(self) -> list[str]:
        """Problems not reported yet (each is reported once until sources change)."""
        pending = sorted(self._pending)
        self._pending.clear()
        return pending

    # -- internals ----------------------------------------------------------------
    def _remember(self, errors: list[ConfigError]) -> None:
        for error in errors:
            text = str(error)
            if text not in self._reported:
                self._reported.add(text)
                self._pending.add(text)

    def _config_path(self, directory: Path) -> Path | None:
        if directory not in self._found:
            self._found[directory] = find_config(directory)
        return self._found[directory]

    def _file_config(self, path: Path | None) -> tuple[Config, list[ConfigError]]:
        if path is None:
            return Config(), []
        if path not in self._files:
            self._files[path] = load_config(path)
        return self._files[path]


def _editor(raw: Any, where: str) -> _Editor:
    engine, server, errors = split_editor_settings(raw, where)
    return _Editor(engine, server, errors)
