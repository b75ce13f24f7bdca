"""The editor guides (docs/editors/) and the README's settings table, checked offline.

The Neovim and Emacs (Eglot) snippets run in real editors in tests/editors/; here:
every snippet's "tested" or "not tested" claim is true, the snippets that no
editor here can run parse (TOML, JSON, Lua and Emacs Lisp when those editors are
installed), start `gobex lsp` for Go, and pass only settings gobex accepts, the
way each editor sends them; the README's settings table lists exactly the keys
the server reads, with their real defaults; the guides' links resolve.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from gobex.config import LSP_KEYS, Config, parse_config
from gobex.docs import DOCS_URL
from gobex.lsp.settings import (
    DEFAULT_DEBOUNCE_MS,
    ENGINE_KEYS,
    SERVER_KEYS,
    ServerSettings,
    parse_server_settings,
    split_editor_settings,
)
from tests.editors.guides import GUIDES, ROOT, Snippet, snippet, snippets

GUIDE_NAMES = ["neovim.md", "emacs.md", "helix.md", "zed.md", "sublime.md"]
README = ROOT / "README.md"


def all_snippets() -> list[Snippet]:
    return [found for name in GUIDE_NAMES for found in snippets(GUIDES / name)]


def assert_accepted(settings: Any, where: str) -> None:
    """gobex takes `settings` (initializationOptions or the `gobex` section) as they
    are: no unknown key, no bad value."""
    engine, server, errors = split_editor_settings(settings, where)
    assert errors == [], f"{where}: {[str(e) for e in errors]}"
    _, config_errors = parse_config(engine, where)
    assert config_errors == [], f"{where}: {[str(e) for e in config_errors]}"
    _, server_errors = parse_server_settings(server, where)
    assert server_errors == [], f"{where}: {[str(e) for e in server_errors]}"


def test_accepted_settings_check_can_fail() -> None:
    with pytest.raises(AssertionError, match="lint-run"):
        assert_accepted({"lint": {"run": "onTyp"}}, "sample")
    with pytest.raises(AssertionError, match="unknown key"):
        assert_accepted({"gobex": {"debounce": 5}}, "sample")
    with pytest.raises(AssertionError, match="severity"):
        assert_accepted({"severity": []}, "sample")  # what an empty Lua table becomes


# -- the guides and their claims --------------------------------------------------------
def test_every_guide_has_snippets_and_the_index_links_them() -> None:
    index = (GUIDES / "README.md").read_text(encoding="utf-8")
    for name in GUIDE_NAMES:
        assert snippets(GUIDES / name), f"docs/editors/{name} has no marked snippet"
        assert f"({name}" in index, f"docs/editors/README.md does not link {name}"
    names = [found.name for found in all_snippets()]
    assert len(names) == len(set(names)), "snippet names must be unique"


@pytest.mark.parametrize("found", all_snippets(), ids=lambda s: s.name)
def test_each_snippet_says_truly_whether_it_is_tested(found: Snippet) -> None:
    text = found.guide.read_text(encoding="utf-8")
    after = text[text.index(found.body) + len(found.body) :]
    following = re.split(r"^#{1,3} ", after, maxsplit=1, flags=re.MULTILINE)[0]
    if found.tested_by:
        assert "**Tested**" in following, f"{found.name}: no visible 'Tested' statement"
        for test in found.tested_by:
            source = (ROOT / test).read_text(encoding="utf-8")
            # The test loads this very snippet from the guide.
            assert f'"{found.name}"' in source, f"{test} does not load {found.name}"
            assert f'snippet("{found.guide.name}"' in source, (
                f"{test} does not read snippets from {found.guide.name}"
            )
    else:
        assert found.untested_because, found.name
        assert "**Not tested" in following, f"{found.name}: no visible 'Not tested' statement"


def test_every_snippet_starts_gobex_lsp_from_path() -> None:
    for found in all_snippets():
        if found.name.endswith("change-settings"):
            continue  # changes settings of a running client; starts nothing
        if found.name == "zed-settings":
            continue  # the extension runs it: test_zed_settings_and_extension
        body = found.body
        assert re.search(r"""["']gobex["'][,\s]+["']lsp["']""", body) or (
            'command = "gobex"' in body and 'args = ["lsp"]' in body
        ), f"{found.name} does not run `gobex lsp`"


def test_snippet_lookup_fails_loudly() -> None:
    with pytest.raises(LookupError, match="no-such-snippet"):
        snippet("neovim.md", "no-such-snippet")


def github_anchor(heading: str) -> str:
    """The fragment GitHub gives a Markdown heading."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    return {github_anchor(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE)}


def test_github_anchor() -> None:
    assert github_anchor("Editor set-up") == "editor-set-up"
    assert github_anchor("Neovim 0.7 to 0.10: `vim.lsp.start_client`") == (
        "neovim-07-to-010-vimlspstart_client"
    )


@pytest.mark.parametrize("page", ["README.md", *GUIDE_NAMES])
def test_links_of_the_guides_resolve(page: str) -> None:
    path = GUIDES / page
    text = path.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links
    for link in links:
        if link.startswith(("http://", "https://")):
            continue
        target, _, fragment = link.partition("#")
        resolved = (path.parent / target).resolve() if target else path
        assert resolved.exists(), f"{page}: broken link {link}"
        if fragment:
            assert fragment in anchors(resolved), f"{page}: no heading for {link}"


def test_readme_links_every_guide() -> None:
    section = editor_section()
    assert "(docs/editors/README.md)" in section
    for name in GUIDE_NAMES:
        assert f"(docs/editors/{name})" in section, name
    assert "### VS Code" in README.read_text(encoding="utf-8")


# -- the snippets no editor here runs ----------------------------------------------------
def test_helix_languages_toml() -> None:
    data = tomllib.loads(snippet("helix.md", "helix-languages"))
    server = data["language-server"]["gobex"]
    assert (server["command"], server["args"]) == ("gobex", ["lsp"])
    [go] = [language for language in data["language"] if language["name"] == "go"]
    assert go["language-servers"] == ["gopls", "gobex"]  # replaces Helix's list: keep gopls
    config = server["config"]
    # Helix sends `config` whole as initializationOptions (gobex unwraps a lone
    # `gobex` table) and answers workspace/configuration for `gobex` with config.gobex.
    assert set(config) == {"gobex"}
    assert_accepted(config, "helix initializationOptions")
    assert_accepted(config["gobex"], "helix workspace/configuration")


def test_zed_settings_and_extension() -> None:
    settings = json.loads(snippet("zed.md", "zed-settings"))
    servers = settings["languages"]["Go"]["language_servers"]
    assert "gobex" in servers and "..." in servers  # gobex and Zed's other Go servers
    lsp = settings["lsp"]["gobex"]
    assert set(lsp) <= {"settings", "initialization_options", "binary"}
    # The extension answers workspace/configuration with {"gobex": settings}.
    assert_accepted(lsp["settings"], "zed workspace/configuration")
    assert_accepted({"gobex": lsp["settings"]}, "zed didChangeConfiguration")

    extension = GUIDES / "zed"
    manifest = tomllib.loads((extension / "extension.toml").read_text(encoding="utf-8"))
    assert manifest["id"] == "gobex" and manifest["schema_version"] == 1
    assert manifest["language_servers"]["gobex"]["languages"] == ["Go"]
    cargo = tomllib.loads((extension / "Cargo.toml").read_text(encoding="utf-8"))
    assert cargo["lib"]["crate-type"] == ["cdylib"]
    assert "zed_extension_api" in cargo["dependencies"]
    source = (extension / cargo["lib"]["path"]).read_text(encoding="utf-8")
    assert 'worktree.which("gobex")' in source
    assert 'vec!["lsp".into()]' in source
    assert 'json!({ "gobex": settings })' in source
    assert "zed::register_extension!(GobexExtension);" in source


def test_sublime_lsp_settings() -> None:
    data = json.loads(snippet("sublime.md", "sublime-lsp"))
    client = data["clients"]["gobex"]
    assert client["command"] == ["gobex", "lsp"]
    assert client["selector"] == "source.go"
    assert client["enabled"] is True
    # LSP answers workspace/configuration for `gobex` with settings.gobex, and sends
    # settings whole with workspace/didChangeConfiguration.
    assert set(client["settings"]) == {"gobex"}
    assert_accepted(client["settings"]["gobex"], "sublime workspace/configuration")


def test_lsp_mode_settings() -> None:
    body = snippet("emacs.md", "emacs-lsp-mode")
    registered = re.findall(r'\("gobex\.([\w.]+)" ("[^"]*"|t|nil|\d+)\)', body)
    assert registered, "no lsp-register-custom-settings entry"
    settings: dict[str, Any] = {}
    for dotted, value in registered:
        *parents, leaf = dotted.split(".")
        table = settings
        for parent in parents:
            table = table.setdefault(parent, {})
        table[leaf] = json.loads(value) if value.startswith('"') else value
    assert_accepted(settings, "lsp-mode workspace/configuration")
    assert ":add-on? t" in body  # next to gopls
    assert '(lsp-configuration-section "gobex")' in body


NVIM = shutil.which("nvim")
EMACS = shutil.which("emacs")


@pytest.mark.skipif(NVIM is None, reason="nvim is not installed (scripts/test.sh installs it)")
@pytest.mark.parametrize("name", ["neovim-0.11", "neovim-0.7", "neovim-lspconfig"])
def test_neovim_snippets_are_lua(name: str, tmp_path: Path) -> None:
    source = tmp_path / f"{name}.lua"
    source.write_text(snippet("neovim.md", name), encoding="utf-8")
    check = f"lua local f, e = loadfile({json.dumps(str(source))}); if not f then error(e) end"
    completed = subprocess.run(
        [str(NVIM), "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", check, "-c", "qa!"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 0 and "Error" not in completed.stderr, completed.stderr


@pytest.mark.skipif(EMACS is None, reason="emacs is not installed (scripts/test.sh installs it)")
@pytest.mark.parametrize("name", ["emacs-eglot", "emacs-lsp-mode"])
def test_emacs_snippets_read_as_lisp(name: str, tmp_path: Path) -> None:
    source = tmp_path / f"{name}.el"
    source.write_text(snippet("emacs.md", name), encoding="utf-8")
    program = (
        "(with-temp-buffer (insert-file-contents (car command-line-args-left))"
        " (emacs-lisp-mode) (check-parens) (goto-char (point-min))"
        " (let ((n 0)) (condition-case nil (while t (read (current-buffer)) (setq n (1+ n)))"
        " (end-of-file (princ n)))))"
    )
    completed = subprocess.run(
        [str(EMACS), "--batch", "-Q", "--eval", program, str(source)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert int(completed.stdout) >= 2  # balanced (check-parens), every form read


# -- the README's settings table ---------------------------------------------------------
def editor_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Editor set-up\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def settings_rows() -> dict[str, list[str]]:
    section = editor_section()
    table = section[section.index("| Editor setting |") :]
    rows: dict[str, list[str]] = {}
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        rows[cells[0].strip("`")] = cells
    return rows


def camel(kebab: str) -> str:
    head, *rest = kebab.split("-")
    return head + "".join(part.title() for part in rest)


def test_readme_lists_every_setting_the_server_reads() -> None:
    expected = {camel(key) for key in ENGINE_KEYS | SERVER_KEYS if key != "lint-run"}
    assert set(settings_rows()) == expected | {"lint.run"}
    assert SERVER_KEYS == LSP_KEYS  # what the [lsp] table accepts


def test_readme_names_each_setting_in_the_config_file() -> None:
    for key, cells in settings_rows().items():
        file_key = cells[1].replace("`", "")
        if key == "lint.run":
            assert file_key == "[lsp] lint-run"
            continue
        kebab = re.sub(r"(?<=[a-z])([A-Z])", r"-\1", key).lower()
        if kebab in SERVER_KEYS:
            assert file_key == f"[lsp] {kebab}", key
        elif kebab in ("severity", "per-file-ignores"):
            assert file_key == f"[{kebab}]", key  # tables
        else:
            assert file_key == kebab, key
        # The file spelling is one the config file accepts.
        if kebab in SERVER_KEYS:
            _, errors = parse_config({"lsp": {kebab: None}}, "README")
            assert not any("unknown key" in e.message for e in errors), key
        else:
            assert kebab in ENGINE_KEYS, key


def test_readme_gives_the_real_defaults() -> None:
    rows = settings_rows()
    server = ServerSettings()
    config = Config()

    def default(key: str) -> str:
        return rows[key][2]

    assert default("enable") == f"`{str(server.enable).lower()}`"
    assert default("lint.run") == f"`{server.lint_run.value}`"
    assert default("debounceMs") == f"`{server.debounce_ms}`" == f"`{DEFAULT_DEBOUNCE_MS}`"
    assert default("workspaceScan") == f"`{str(server.workspace_scan).lower()}`"
    assert default("docsUrl") == f"`{server.docs_url}`" == f"`{DOCS_URL}`"
    assert default("preview") == f"`{str(config.preview).lower()}`"
    assert default("maxFileSize").startswith(f"`{config.max_file_size}`")
    assert config.select is None and default("select") == "every stable rule"
    assert config.extend_select == config.ignore == config.exclude == ()
    assert default("extendSelect") == default("ignore") == default("exclude") == "`[]`"
    assert dict(config.per_file_ignores) == {} and default("perFileIgnores") == "`{}`"
    assert dict(config.severity) == {} and default("severity") == "each rule's own"
    assert config.go_version is None and "go.mod" in default("goVersion")
