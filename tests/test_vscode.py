"""The VS Code extension (client-vscode/): its unit tests, its .vsix, and an end
to end run in a real workbench.

The end-to-end tests install the freshly built .vsix into code-server 4.100.3
(VS Code 1.100.3), open tests/vscode/workspace (a Go service with known defects)
in headless Chromium through playwright-core, and check what a user sees:
squiggles, Problems entries, the hover, a quick fix applied from the light-bulb
menu, Fix All, the rule page, a setting reaching the running server, the
"server not found" notification when gobex is missing and the warning when it is
too old. Screenshots go to artifacts/vscode-e2e/.

`bash scripts/test.sh` installs the tools (Chromium from Debian, then
tests/vscode/install.sh: npm packages, code-server)
and sets GOBEX_VSCODE_E2E=required, which turns a missing tool into a failure;
run alone, pytest skips these tests and names what is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLIENT = ROOT / "client-vscode"
E2E = ROOT / "tests" / "vscode"
WORKSPACE = E2E / "workspace"
ARTIFACTS = ROOT / "artifacts" / "vscode-e2e"
CODE_SERVER_VERSION = "4.100.3"
TOOLS = Path(os.environ.get("GOBEX_TEST_TOOLS", Path.home() / ".cache" / "gobex-tests"))
CODE_SERVER = TOOLS / f"code-server-{CODE_SERVER_VERSION}" / "node_modules" / ".bin" / "code-server"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("GOBEX_VSCODE_E2E") == "required"
BIN = Path(sys.executable).parent
GOBEX = BIN / "gobex"

# The defects planted in tests/vscode/workspace (line and column 1-based, as
# VS Code shows them). test_workspace_defects checks them against `gobex check`.
ITEMS = "internal/store/items.go"
CLIENT_GO = "internal/pricing/client.go"
DEFECTS = [
    {"file": CLIENT_GO, "code": "API001", "line": 22, "column": 15, "severity": "error"},
    {"file": ITEMS, "code": "PG001", "line": 24, "column": 15, "severity": "error"},
    {"file": ITEMS, "code": "ERR001", "line": 26, "column": 38, "severity": "warning"},
]
FIX_TITLE = "gobex (PG001): Add `defer rows.Close()`"


def require(present: bool, what: str) -> None:
    """Skip (or, under scripts/test.sh, fail) when a tool the test needs is missing."""
    if present:
        return
    message = f"{what} is missing (bash scripts/test.sh installs it)"
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


def node_modules_ready(directory: Path) -> bool:
    return (directory / "node_modules" / ".package-lock.json").is_file()


def run(
    command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_extension_unit_tests() -> None:
    """`npm test`: server resolution, settings mapping (also against this gobex), versions."""
    require(shutil.which("npm") is not None, "npm (Node 20)")
    require(node_modules_ready(CLIENT), "client-vscode/node_modules (npm ci)")
    env = {**os.environ, "GOBEX_EXECUTABLE": str(GOBEX)}
    result = run(["npm", "test", "--silent"], CLIENT, env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    summary = dict(
        line[2:].split(" ", 1)
        for line in output.splitlines()
        if line.startswith("# ") and " " in line[2:]
    )
    assert int(summary["pass"]) >= 40, output
    assert summary["fail"] == "0", output
    # With GOBEX_EXECUTABLE set, the tests against the real server must run, not skip.
    assert summary["skipped"] == "0", output


@pytest.fixture(scope="module")
def vsix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The extension packaged from the working tree (`npm run package`)."""
    require(shutil.which("npm") is not None, "npm (Node 20)")
    require(node_modules_ready(CLIENT), "client-vscode/node_modules (npm ci)")
    out = tmp_path_factory.mktemp("vsix") / "gobex.vsix"
    result = run(["npm", "run", "package", "--silent", "--", "--out", str(out)], CLIENT)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_vsix_holds_the_bundle_and_nothing_else(vsix: Path) -> None:
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("extension/package.json"))
    files = {n for n in names if n.startswith("extension/")}
    assert "extension/dist/extension.js" in files
    assert "extension/LICENSE.txt" in files  # the repository's LICENSE (no --skip-license)
    assert manifest["main"] == "./dist/extension.js"
    assert not any("node_modules" in n or n.endswith(".ts") or "/test/" in n for n in files), files
    assert manifest["engines"]["vscode"] == "^1.91.0"
    assert {"onLanguage:go", "workspaceContains:**/go.mod"} <= set(manifest["activationEvents"])


def test_workspace_defects() -> None:
    """The e2e workspace holds exactly the defects the e2e expects (per the CLI)."""
    result = run([str(GOBEX), "check", "--format", "jsonl", "."], WORKSPACE)
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(
        (f["path"], f["code"], f["line"], f["column"], f["severity"]) for f in found
    ) == sorted((d["file"], d["code"], d["line"], d["column"], d["severity"]) for d in DEFECTS)


# -- code-server ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class CodeServer:
    """One code-server process (and everything it starts) with private directories."""

    def __init__(self, base: Path, vsix: Path, path_dirs: list[Path]) -> None:
        self.base = base
        self.user = base / "user"
        self.extensions = base / "extensions"
        self.config = base / "config.yaml"
        self.log = base / "code-server.log"
        self.port = free_port()
        (self.user / "User").mkdir(parents=True)
        self.config.write_text("auth: none\ncert: false\n")
        # Workbench chrome only; no gobex setting is touched.
        settings = {
            "workbench.startupEditor": "none",
            "workbench.tips.enabled": False,
            "telemetry.telemetryLevel": "off",
            "extensions.ignoreRecommendations": True,
            "update.mode": "none",
        }
        (self.user / "User" / "settings.json").write_text(json.dumps(settings))
        # VSCODE_CLI=1: the extension host keeps this PATH instead of a login
        # shell's, as when a user starts VS Code from a shell with the venv active.
        self.env = {
            **os.environ,
            "PATH": os.pathsep.join(str(p) for p in path_dirs),
            "VSCODE_CLI": "1",
            # code-server keeps logs under XDG_DATA_HOME: keep them with the rest.
            "XDG_DATA_HOME": str(base / "data"),
        }
        installed = run(
            [str(CODE_SERVER), *self.dirs(), "--install-extension", str(vsix)], base, self.env
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr
        self.process: subprocess.Popen[bytes] | None = None

    def dirs(self) -> list[str]:
        return [
            "--config",
            str(self.config),
            "--user-data-dir",
            str(self.user),
            "--extensions-dir",
            str(self.extensions),
        ]

    def start(self, folder: Path) -> str:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    str(CODE_SERVER),
                    *self.dirs(),
                    "--bind-addr",
                    f"127.0.0.1:{self.port}",
                    "--auth",
                    "none",
                    "--disable-telemetry",
                    "--disable-update-check",
                    "--disable-workspace-trust",
                    str(folder),
                ],
                cwd=self.base,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"code-server exited: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return f"http://127.0.0.1:{self.port}/?folder={folder}"
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"code-server did not answer /healthz: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # its own session: only what it started
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)

    def extension_log(self) -> str:
        logs = sorted(self.user.glob("logs/*/exthost*/gobex.gobex/gobex.log"))
        return logs[-1].read_text() if logs else "(no gobex log)"


@pytest.fixture
def e2e_tools() -> None:
    require(node_modules_ready(E2E), "tests/vscode/node_modules (npm ci: playwright-core)")
    # tests/vscode/install.sh writes .installed after a complete install.
    installed = CODE_SERVER.parents[2] / ".installed"
    require(
        CODE_SERVER.is_file() and installed.is_file(),
        f"code-server {CODE_SERVER_VERSION} at {CODE_SERVER}",
    )
    require(Path(CHROMIUM).is_file(), f"Chromium at {CHROMIUM}")
    require(GOBEX.is_file(), f"gobex next to {sys.executable}")


@pytest.fixture
def code_server(
    e2e_tools: None, vsix: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[CodeServer]:
    node = shutil.which("node")
    require(node is not None, "node")
    # PATH: node for code-server, then per the test's parameter: gobex's venv
    # ("gobex", the default), nothing else ("none"), or a gobex that says it is
    # 0.0.9 and otherwise runs the real one ("old").
    which = getattr(request, "param", "gobex")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "node").symlink_to(str(node))
    system = [Path(p) for p in os.environ["PATH"].split(os.pathsep) if p]
    if which == "old":
        fake = bin_dir / "gobex"
        fake.write_text(
            '#!/bin/sh\n[ "$1" = --version ] && { echo "gobex 0.0.9"; exit 0; }\n'
            f'exec "{GOBEX}" "$@"\n'
        )
        fake.chmod(0o755)
    path_dirs = {"gobex": [bin_dir, BIN, *system], "none": [bin_dir], "old": [bin_dir, *system]}[
        which
    ]
    server = CodeServer(tmp_path / "code-server", vsix, path_dirs)
    try:
        yield server
    finally:
        server.stop()


def drive(server: CodeServer, folder: Path, spec: dict[str, Any]) -> dict[str, Any]:
    """Run tests/vscode/e2e.mjs against `server`; its report (timings in ms)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob(f"{spec['scenario']}-*"):
        stale.unlink()  # screenshots of an earlier run would mislead
    url = server.start(folder)
    report_file = server.base / "report.json"
    env = {
        **os.environ,
        "GOBEX_E2E_URL": url,
        "GOBEX_E2E_SPEC": json.dumps(spec),
        "GOBEX_E2E_ARTIFACTS": str(ARTIFACTS),
        "GOBEX_E2E_REPORT": str(report_file),
        "CHROMIUM": CHROMIUM,
    }
    result = run(["node", str(E2E / "e2e.mjs")], E2E, env, timeout=600)
    report: dict[str, Any] = (
        json.loads(report_file.read_text()) if report_file.is_file() else {"error": "no report"}
    )
    (ARTIFACTS / f"{spec['scenario']}-report.json").write_text(json.dumps(report, indent=2))
    assert result.returncode == 0, (
        f"{report.get('error')}\n--- seen\n{json.dumps(report.get('seen'), indent=1)}\n"
        f"--- e2e.mjs\n{result.stderr}\n"
        f"--- gobex extension log\n{server.extension_log()}"
    )
    return report


@pytest.mark.editor
def test_review_in_code_server(code_server: CodeServer, tmp_path: Path) -> None:
    """gobex on PATH, no gobex setting: squiggles, Problems, hover, quick fix, rule page."""
    workspace = tmp_path / "inventory"
    shutil.copytree(WORKSPACE, workspace)
    original = (workspace / ITEMS).read_text()
    spec = {
        "scenario": "review",
        "file": ITEMS,
        "squiggles": 2,
        "problems": DEFECTS,
        "hover": {"line": 24, "column": 20, "code": "PG001"},
        "fix": {
            "line": 24,
            "column": 20,
            "title": FIX_TITLE,
            "editedLine": 28,
            "expectedText": "defer rows.Close()",
        },
        # ERR001 (above the inserted line) and API001 (in a file never opened) stay.
        "problemsAfterFix": [DEFECTS[0], DEFECTS[2]],
        "goneAfterFix": [{"file": ITEMS, "code": "PG001"}],
        "explain": {"code": "PG001", "title": "PG001 unclosed-rows"},
        "fixAll": {
            "file": CLIENT_GO,
            "editedLine": 26,
            "expectedText": "defer resp.Body.Close()",
        },
        # Left after the fixes: ERR001 (its fix is unsafe). Ignoring it in the user
        # settings must empty the Problems panel.
        "settingsChange": {
            "before": json.loads((code_server.user / "User" / "settings.json").read_text()),
            "add": {"gobex.ignore": ["ERR001"]},
        },
    }
    started = time.monotonic()
    report = drive(code_server, workspace, spec)
    elapsed = time.monotonic() - started

    assert report["status"] == "gobex: ready"
    assert sorted((s["line"], s["kind"]) for s in report["squiggles"]) == [
        (24, "error"),
        (26, "warning"),
    ]
    shown = {
        (p["file"], p["code"], p["line"], p["column"], p["severity"], p["source"])
        for p in report["problems"]
    }
    expected = {
        (d["file"], d["code"], d["line"], d["column"], d["severity"], "gobex") for d in DEFECTS
    }
    assert shown == expected
    messages = {p["code"]: p["message"] for p in report["problems"]}
    assert messages["PG001"] == "rows from Query are never closed"

    hover = report["hover"]
    for part in ("PG001 unclosed-rows", "Why is this bad", "Use instead", "defer rows.Close()"):
        assert part in hover, hover

    assert FIX_TITLE in report["quickFixes"], report["quickFixes"]
    assert "gobex (PG001): Suppress PG001 on this line" in report["quickFixes"]

    # The fix went through the editor (rendered line) and was saved: the file on
    # disk is the original with exactly the defer inserted after the error check.
    assert report["editedLine"] == "defer rows.Close()"
    lines = original.splitlines(keepends=True)
    assert lines[26] == "\t}\n"
    expected_text = "".join([*lines[:27], "\tdefer rows.Close()\n", *lines[27:]])
    assert (workspace / ITEMS).read_text() == expected_text
    after = {(p["file"], p["code"], p["line"]) for p in report["problemsAfterFix"]}
    assert after == {(CLIENT_GO, "API001", 22), (ITEMS, "ERR001", 26)}

    # gobex: Fix All wrote what `gobex check --fix` writes.
    assert report["fixAllLine"] == "defer resp.Body.Close()"
    cli_fixed = tmp_path / "cli-fixed"
    shutil.copytree(WORKSPACE, cli_fixed)
    run([str(GOBEX), "check", "--fix", CLIENT_GO], cli_fixed)
    assert (workspace / CLIENT_GO).read_text() == (cli_fixed / CLIENT_GO).read_text()
    assert (workspace / CLIENT_GO).read_text() != (WORKSPACE / CLIENT_GO).read_text()

    assert report["explainTab"].startswith("PG001 unclosed-rows")
    # The quick pick lists the rules from `gobex rules --all --format json`, by code.
    assert report["ruleList"][0].startswith("API001, response-body-not-closed · error · fix")
    assert all(
        re.match(r"[A-Z]{2,4}\d{3}, [a-z0-9-]+ · (error|warning|info)", row)
        for row in report["ruleList"]
    )

    # gobex.ignore was pushed to the running server: no restart, no second start.
    assert report["problemsAfterSettings"] == []
    assert report["statusAfterSettings"] == "gobex: ready"
    log = code_server.extension_log()
    assert log.count("server ready: initialized") == 1, log
    assert "restarting" not in log, log

    for screenshot in report["screenshots"]:
        assert Path(screenshot).read_bytes().startswith(b"\x89PNG"), screenshot
    timings = {**report["timings"], "pytest_total_s": round(elapsed, 1)}
    (ARTIFACTS / "review-timings.json").write_text(json.dumps(timings, indent=2))
    print(f"e2e review: {json.dumps(timings)}")


@pytest.mark.editor
@pytest.mark.parametrize("code_server", ["none"], indirect=True, ids=["no-gobex-on-path"])
def test_server_not_found_in_code_server(code_server: CodeServer, tmp_path: Path) -> None:
    """No gobex anywhere: one actionable notification, and its button opens the setting."""
    workspace = tmp_path / "inventory"
    shutil.copytree(WORKSPACE, workspace)
    report = drive(code_server, workspace, {"scenario": "notFound"})
    assert report["status"] == "gobex: server not found"
    assert report["notification"].startswith("gobex server not found: install it with pip")
    assert report["buttons"] == ["Install with pip", "Set gobex.path", "Show Logs"]
    assert report["notifications"] == 1
    assert report["settingShown"] == "Gobex: Path"
    log = code_server.extension_log()
    assert "server search: PATH: gobex: not found on PATH" in log, log


@pytest.mark.editor
@pytest.mark.parametrize("code_server", ["old"], indirect=True, ids=["gobex-0.0.9-on-path"])
def test_old_server_warning_in_code_server(code_server: CodeServer, tmp_path: Path) -> None:
    """A server older than the extension expects: a warning, and it still runs."""
    workspace = tmp_path / "inventory"
    shutil.copytree(WORKSPACE, workspace)
    report = drive(code_server, workspace, {"scenario": "oldServer", "file": ITEMS})
    assert report["status"] == "gobex: ready"
    assert report["notification"].startswith(
        f"gobex 0.0.9 ({code_server.base.parent / 'bin' / 'gobex'}) is older than this extension"
        " expects (0.1.0 or newer)"
    ), report["notification"]
    assert report["buttons"] == ["Update with pip", "Show Logs"]
    assert sorted((s["line"], s["kind"]) for s in report["squiggles"]) == [
        (24, "error"),
        (26, "warning"),
    ]
