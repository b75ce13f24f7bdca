"""End-to-end fixtures: the real ``gobex lsp`` process driven by pytest-lsp with
the recorded capabilities of real clients (VS Code, Neovim 0.7 and 0.11, Emacs)."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from tests.lsp.helpers import UTF8, UTF16, apply_text_edits, wait_for

REPO_GO = """\
package repo

import (
\t"context"
\t"database/sql"
)

type Repo struct {
\tdb *sql.DB
}

func (r *Repo) Names(ctx context.Context) ([]string, error) {
\trows, err := r.db.QueryContext(ctx, "SELECT name FROM users")
\tif err != nil {
\t\treturn nil, err
\t}
\tvar names []string
\tfor rows.Next() {
\t\tvar n string
\t\tif err := rows.Scan(&n); err != nil {
\t\t\treturn nil, err
\t\t}
\t\tnames = append(names, n)
\t}
\treturn names, rows.Err()
}
"""

# REPO_GO after the PG001 quick fix (and after fix-all).
REPO_GO_FIXED = REPO_GO.replace(
    "\t\treturn nil, err\n\t}\n\tvar names",
    "\t\treturn nil, err\n\t}\n\tdefer rows.Close()\n\tvar names",
)

CONFIG = """\
# The tests depend on PG001 and IDM001 only: other rules may be added at any time.
select = ["PG001", "IDM001"]

[lsp]
debounce-ms = 0
"""

GO_MOD = "module example.com/repo\n\ngo 1.22\n"


@dataclass(frozen=True)
class Client:
    """A recorded client: its capabilities and what they imply."""

    spec: str
    encoding: str
    pulls: bool  # pull diagnostics (textDocument/diagnostic)
    lazy: bool  # resolves code action edits (codeAction/resolve)
    configuration: bool  # answers workspace/configuration


CLIENTS = [
    Client("visual-studio-code@1.65.2", UTF16, pulls=False, lazy=True, configuration=True),
    Client("neovim@0.7.0", UTF16, pulls=False, lazy=True, configuration=False),
    Client("neovim@0.11.0", UTF8, pulls=True, lazy=True, configuration=True),
    Client("emacs@29.1", UTF8, pulls=False, lazy=False, configuration=True),
]
PUSH_CLIENTS = [c for c in CLIENTS if not c.pulls]


def server_command() -> list[str]:
    """The installed ``gobex`` console script (the command editors run)."""
    script = Path(sys.executable).with_name("gobex")
    if script.exists():
        return [str(script), "lsp", "--stdio"]
    found = shutil.which("gobex")
    if found:
        return [found, "lsp", "--stdio"]
    return [sys.executable, "-m", "gobex", "lsp", "--stdio"]


@dataclass
class Recorder:
    """What the client received beyond pytest-lsp's own bookkeeping."""

    published: dict[str, list[types.PublishDiagnosticsParams]] = field(default_factory=dict)
    registrations: list[types.Registration] = field(default_factory=list)
    applied: list[types.WorkspaceEdit] = field(default_factory=list)

    def last(self, uri: str) -> types.PublishDiagnosticsParams | None:
        found = self.published.get(uri)
        return found[-1] if found else None


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    features = {
        k: v
        for k, v in DEFAULT_CLIENT_FEATURES.items()
        if k != types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
    }
    register_lsp_features(client, features)
    recorder = Recorder()
    client.recorder = recorder  # type: ignore[attr-defined]

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        recorder.published.setdefault(params.uri, []).append(params)
        client.diagnostics[params.uri] = params.diagnostics

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        recorder.registrations.extend(params.registrations)

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        recorder.applied.append(params.edit)
        return types.ApplyWorkspaceEditResult(applied=True)

    return client


@dataclass
class Session:
    """One client connected to one server, with its workspace."""

    client: LanguageClient
    spec: Client
    root: Path
    versions: dict[str, int] = field(default_factory=dict)

    @property
    def recorder(self) -> Recorder:
        return self.client.recorder  # type: ignore[attr-defined,no-any-return]

    @property
    def encoding(self) -> str:
        return self.spec.encoding

    def uri(self, name: str) -> str:
        return from_fs_path(str(self.root / name)) or (self.root / name).as_uri()

    def open(self, name: str, text: str | None = None) -> str:
        uri = self.uri(name)
        if text is None:
            text = (self.root / name).read_text(encoding="utf-8")
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="go", version=1, text=text
                )
            )
        )
        return uri

    def edit(self, uri: str, *changes: dict[str, Any]) -> int:
        """Send one didChange with incremental `changes`; the new version."""
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=c["range"], text=c["text"])
                    for c in changes
                ],
            )
        )
        return self.versions[uri]

    def apply(self, uri: str, text: str, edits: list[types.TextEdit]) -> str:
        """Apply a server's edits to the buffer (as one didChange, last edit first,
        as editors send them); the new text."""
        ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
        self.edit(uri, *({"range": e.range, "text": e.new_text} for e in reversed(ordered)))
        return apply_text_edits(text, edits, self.encoding)

    def replace_all(self, uri: str, text: str) -> int:
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[uri]

    async def diagnostics(self, uri: str, version: int | None = None) -> list[types.Diagnostic]:
        """The diagnostics of `uri` at `version` (default: the latest sent): pulled
        from clients that pull, else the push for that version."""
        version = self.versions.get(uri) if version is None else version
        if self.spec.pulls:
            report = await self.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
            assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
            return list(report.items)

        def published() -> types.PublishDiagnosticsParams | None:
            last = self.recorder.last(uri)
            return last if last is not None and last.version == version else None

        found = await wait_for(published, what=f"diagnostics of {uri} v{version}")
        return list(found.diagnostics)

    async def code_actions(
        self,
        uri: str,
        range_: types.Range,
        diagnostics: list[types.Diagnostic],
        only: list[str] | None = None,
    ) -> list[types.CodeAction]:
        found = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=range_,
                context=types.CodeActionContext(diagnostics=diagnostics, only=only),
            )
        )
        return [a for a in found or [] if isinstance(a, types.CodeAction)]

    async def resolved(self, action: types.CodeAction) -> types.CodeAction:
        """The action with its edit, resolving it when the client resolves lazily."""
        if self.spec.lazy:
            assert action.edit is None, "lazy clients get the edit from codeAction/resolve"
            action = await self.client.code_action_resolve_async(action)
        assert action.edit is not None
        return action


def write_workspace(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A small module: go.mod, a config selecting PG001/IDM001, one file with a leak."""
    return write_workspace(
        tmp_path / "ws", {"go.mod": GO_MOD, ".gobex.toml": CONFIG, "repo.go": REPO_GO}
    )


def initialize_params(spec: Client, root: Path, options: Any = None) -> types.InitializeParams:
    uri = from_fs_path(str(root)) or root.as_uri()
    return types.InitializeParams(
        capabilities=client_capabilities(spec.spec),
        root_uri=uri,
        workspace_folders=[types.WorkspaceFolder(uri=uri, name=root.name)],
        initialization_options=options,
    )


CONFIG_FOR_SERVER = ClientServerConfig(server_command=server_command(), client_factory=make_client)


@pytest.fixture
def init_options(request: pytest.FixtureRequest) -> Any:
    """initializationOptions sent by the client (see `with_options`)."""
    return getattr(request, "param", None)


def with_options(options: Any) -> pytest.MarkDecorator:
    """Run a test with these initializationOptions."""
    return pytest.mark.parametrize("init_options", [options], indirect=True, ids=["options"])


@pytest_lsp.fixture(config=CONFIG_FOR_SERVER, params=CLIENTS, ids=[c.spec for c in CLIENTS])
async def lsp(
    lsp_client: LanguageClient,
    request: pytest.FixtureRequest,
    workspace: Path,
    init_options: Any,
):
    """The real server, initialised with one recorded client's capabilities on
    `workspace` (parametrise with ``indirect=True`` to choose the clients)."""
    spec: Client = request.param
    lsp_client.spec = spec  # type: ignore[attr-defined]
    lsp_client.initialize_result = await lsp_client.initialize_session(  # type: ignore[attr-defined]
        initialize_params(spec, workspace, init_options)
    )
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def session(lsp: LanguageClient, workspace: Path, init_options: Any) -> Session:
    # `init_options` is named here so that pytest sees it in the fixture closure
    # (pytest-lsp resolves the `lsp` fixture's own arguments dynamically).
    return Session(lsp, lsp.spec, workspace)  # type: ignore[attr-defined]


def clients(*specs: Client) -> pytest.MarkDecorator:
    """Run a test with these recorded clients only."""
    return pytest.mark.parametrize("lsp", specs, indirect=True, ids=[c.spec for c in specs])
