"""Robustness: malformed params, failing rules, oversized and garbage files, stray
notifications, the exit code contract, and the TCP transport."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.conftest import (
    CLIENTS,
    CONFIG,
    GO_MOD,
    REPO_GO,
    Session,
    clients,
    initialize_params,
    make_client,
    server_command,
    write_workspace,
)
from tests.lsp.helpers import wait_for

ROOT = Path(__file__).resolve().parents[2]


@clients(CLIENTS[0])
async def test_requests_for_unknown_documents_answer_nothing(session: Session) -> None:
    unknown = session.uri("nope.go")
    session.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=unknown, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="package x")],
        )
    )
    hover = await session.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=unknown),
            position=types.Position(line=0, character=0),
        )
    )
    assert hover is None
    actions = await session.code_actions(
        unknown,
        types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
        ),
        [],
    )
    assert actions == []


@clients(CLIENTS[0])
async def test_garbage_buffers_do_not_crash_the_server(session: Session) -> None:
    garbage = [
        "",
        "\x00\x00\x00",
        "package x\nfunc f() {" + "{" * 3000,
        'package x\nvar s = "' + "😀" * 20000 + '"\n',
        'package x\nvar lone = "\ud800\udfff\ud800"\n',
        "\ufeffpackage x\r\nfunc f() {\r\n}\r\n",
        "}}}}{{{{ func ( ) ( ) ( ) package",
    ]
    for index, text in enumerate(garbage):
        uri = session.open(f"g{index}.go", text)
        assert isinstance(await session.diagnostics(uri), list)
        session.edit(
            uri,
            {
                "range": types.Range(
                    start=types.Position(line=0, character=3),
                    end=types.Position(line=5, character=0),
                ),
                "text": "😀\n",
            },
        )
        assert isinstance(await session.diagnostics(uri), list)
    uri = session.open("repo.go")  # still working
    assert [d.code for d in await session.diagnostics(uri)] == ["PG001"]


@clients(CLIENTS[0], CLIENTS[2])
@pytest.mark.parametrize("workspace", ["small"], indirect=True)
async def test_files_over_the_size_limit_get_one_info_diagnostic(session: Session) -> None:
    uri = session.open("repo.go")
    (only,) = await session.diagnostics(uri)
    assert only.severity == types.DiagnosticSeverity.Information
    assert only.source == "gobex"
    size = len(REPO_GO.encode())
    assert only.message == (
        f"gobex did not analyse this file: file is {size:,} bytes, over the 200-byte limit"
    )


@pytest.fixture
def workspace(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    config = CONFIG
    if getattr(request, "param", None) == "small":
        config = "max-file-size = 200\n" + CONFIG
    return write_workspace(
        tmp_path / "ws", {"go.mod": GO_MOD, ".gobex.toml": config, "repo.go": REPO_GO}
    )


BROKEN = ClientServerConfig(
    server_command=[sys.executable, "-m", "tests.lsp.broken_rule_server", "--stdio"],
    client_factory=make_client,
    server_env={**os.environ, "PYTHONPATH": str(ROOT)},
)


@pytest_lsp.fixture(config=BROKEN)
async def broken(lsp_client: LanguageClient, tmp_path: Path):
    root = write_workspace(
        tmp_path / "ws",
        {
            "go.mod": GO_MOD,
            ".gobex.toml": CONFIG.replace('"IDM001"]', '"IDM001", "TST999"]'),
            "repo.go": REPO_GO,
        },
    )
    lsp_client.root = root  # type: ignore[attr-defined]
    await lsp_client.initialize_session(initialize_params(CLIENTS[0], root))
    yield
    await lsp_client.shutdown_session()


async def test_a_failing_rule_is_logged_once_and_skipped(broken: LanguageClient) -> None:
    session = Session(broken, CLIENTS[0], broken.root)  # type: ignore[attr-defined]
    uri = session.open("repo.go")
    assert [d.code for d in await session.diagnostics(uri)] == ["PG001"]

    def failures() -> list[types.LogMessageParams]:
        return [m for m in broken.log_messages if "rule TST999 failed" in m.message]

    (logged,) = await wait_for(failures, what="the failure's window/logMessage")
    assert logged.type == types.MessageType.Warning
    assert "RuntimeError: boom at" in logged.message
    session.replace_all(uri, REPO_GO + "\n")
    assert [d.code for d in await session.diagnostics(uri)] == ["PG001"]
    assert len(failures()) == 1  # the same failure is not logged again


# -- the process contract -------------------------------------------------------------
def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


async def read_message(reader: asyncio.StreamReader) -> dict[str, Any]:
    length = 0
    while True:
        line = await reader.readline()
        if not line:
            raise EOFError("the server closed the stream")
        if line.startswith(b"Content-Length:"):
            length = int(line.split(b":")[1])
        elif line in (b"\r\n", b"\n") and length:
            return json.loads(await reader.readexactly(length))  # type: ignore[no-any-return]


async def response(reader: asyncio.StreamReader, request_id: int) -> dict[str, Any]:
    while True:
        message = await read_message(reader)
        if message.get("id") == request_id and "method" not in message:
            return message


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"processId": None, "rootUri": None, "capabilities": {}},
}


@pytest.mark.parametrize(
    ("shutdown", "code"), [(True, 0), (False, 1)], ids=["shutdown", "no-shutdown"]
)
async def test_exit_code_follows_the_lsp_contract(shutdown: bool, code: int) -> None:
    process = await asyncio.create_subprocess_exec(
        *server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(frame(INITIALIZE))
    answer = await asyncio.wait_for(response(process.stdout, 1), 60)
    assert answer["result"]["serverInfo"]["name"] == "gobex"
    process.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    if shutdown:
        process.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        assert (await asyncio.wait_for(response(process.stdout, 2), 60))["result"] is None
    process.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
    await process.stdin.drain()
    assert await asyncio.wait_for(process.wait(), 60) == code


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_tcp_transport_for_debugging() -> None:
    port = free_port()
    command = [c for c in server_command() if c != "--stdio"]
    process = await asyncio.create_subprocess_exec(
        *command, "--tcp", f"127.0.0.1:{port}", stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(600):
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.1)
        else:
            raise AssertionError("the server never listened")
        writer.write(frame(INITIALIZE))
        answer = await asyncio.wait_for(response(reader, 1), 60)
        assert answer["result"]["capabilities"]["positionEncoding"] == "utf-16"
        writer.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        await asyncio.wait_for(response(reader, 2), 60)
        writer.write(frame({"jsonrpc": "2.0", "method": "exit"}))
        await writer.drain()
        assert await asyncio.wait_for(process.wait(), 60) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_malformed_params_get_an_error_and_the_server_goes_on() -> None:
    process = await asyncio.create_subprocess_exec(
        *server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdin is not None and process.stdout is not None
    send = process.stdin.write
    send(frame(INITIALIZE))
    await asyncio.wait_for(response(process.stdout, 1), 60)
    send(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    send(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"bad": 1}}))
    send(
        frame(
            {
                "jsonrpc": "2.0",
                "id": 2,
                "method": "textDocument/hover",
                "params": {"textDocument": 5, "position": "nowhere"},
            }
        )
    )
    error = (await asyncio.wait_for(response(process.stdout, 2), 60))["error"]
    assert error["code"] == -32602  # InvalidParams
    assert "textDocument/hover" in error["message"]
    hover = {
        "textDocument": {"uri": "file:///nowhere/x.go"},
        "position": {"line": 0, "character": 0},
    }
    send(frame({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": hover}))
    assert (await asyncio.wait_for(response(process.stdout, 3), 60))["result"] is None
    send(frame({"jsonrpc": "2.0", "id": 4, "method": "shutdown"}))
    await asyncio.wait_for(response(process.stdout, 4), 60)
    send(frame({"jsonrpc": "2.0", "method": "exit"}))
    await process.stdin.drain()
    assert await asyncio.wait_for(process.wait(), 60) == 0
