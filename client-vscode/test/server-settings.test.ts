// The settings mapping against the real server: `gobex lsp` asks for the `gobex`
// section of workspace/configuration, gets what serverSettings() builds, and
// must apply every key without a "invalid settings" warning. Needs
// GOBEX_EXECUTABLE (the pytest wrapper sets it to the repo's venv).

import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ShowMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ShowMessageParams,
} from "vscode-languageserver-protocol/node";
import { serverSettings } from "../src/settings";
import { everything, reader } from "./helpers";

const GO = `package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

func lowStock(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	rows, err := pool.Query(ctx, "SELECT count FROM items")
	if err != nil {
		return 0, fmt.Errorf("low stock: %v", err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}
`;
// Line numbers (0-based, as in LSP) of the two defects above.
const PG001_LINE = 10;
const ERR001_LINE = 12;

interface Session {
  readonly diagnostics: Diagnostic[];
  readonly messages: ShowMessageParams[];
}

/** Start `gobex lsp`, answer its configuration request with `section`, open
 * the file, and collect the diagnostics and the messages shown to the user. */
async function session(executable: string, section: unknown): Promise<Session> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gobex-settings-"));
  fs.writeFileSync(path.join(dir, "go.mod"), "module example.com/store\n\ngo 1.22\n");
  const file = path.join(dir, "store.go");
  fs.writeFileSync(file, GO);
  const uri = pathToFileURL(file).toString();
  const child = spawn(executable, ["lsp"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const messages: ShowMessageParams[] = [];
  let answered!: () => void;
  const configured = new Promise<void>((resolve) => (answered = resolve));
  connection.onRequest(ConfigurationRequest.type, (params) => {
    setTimeout(answered, 300);
    return params.items.map((item) => (item.section === "gobex" ? section : null));
  });
  connection.onNotification(ShowMessageNotification.type, (params) => {
    messages.push(params);
  });
  const published = new Promise<Diagnostic[]>((resolve) => {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      if (params.uri === uri) {
        resolve(params.diagnostics);
      }
    });
  });
  connection.listen();
  try {
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(dir).toString(),
      workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: "store" }],
      capabilities: { workspace: { configuration: true } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    await withTimeout(configured, "the server never asked for the gobex section", stderr);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: "go", version: 1, text: GO },
    });
    const diagnostics = await withTimeout(published, "no diagnostics for the file", stderr);
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    return { diagnostics, messages };
  } finally {
    connection.dispose();
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function withTimeout<T>(promise: Promise<T>, what: string, stderr: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} within 30 s; stderr:\n${stderr}`)), 30_000)),
  ]);
}

const found = (s: Session) => s.diagnostics.map((d) => [d.code, d.range.start.line, d.severity]);
const executable = process.env["GOBEX_EXECUTABLE"];

describe("settings as the real server reads them", { skip: executable ? false : "GOBEX_EXECUTABLE (a gobex executable) is not set" }, () => {
  const gobex = executable ?? "";

  it("reports both defects when nothing is set", async () => {
    const result = await session(gobex, serverSettings(reader({})));
    assert.deepEqual(found(result), [
      ["PG001", PG001_LINE, 1],
      ["ERR001", ERR001_LINE, 2],
    ]);
    assert.deepEqual(result.messages, []);
  });

  it("applies ignore and severity, and accepts lint.run, workspaceScan and enable", async () => {
    const section = serverSettings(
      reader({ ignore: ["PG001"], severity: { ERR001: "info" }, "lint.run": "onType", workspaceScan: false, enable: true }),
    );
    const result = await session(gobex, section);
    assert.deepEqual(found(result), [["ERR001", ERR001_LINE, 3]]);
    assert.deepEqual(result.messages, []);
  });

  it("applies select by rule name", async () => {
    const result = await session(gobex, serverSettings(reader({ select: ["unclosed-rows"] })));
    assert.deepEqual(found(result), [["PG001", PG001_LINE, 1]]);
  });

  it("reports nothing with enable false, and complains about no key of the full mapping", async () => {
    const result = await session(gobex, serverSettings(reader(everything)));
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.messages, []);
  });

  it("would warn about the client-only settings, which is why they are never sent", async () => {
    const result = await session(gobex, { path: "/opt/gobex/bin/gobex", logLevel: "debug" });
    assert.equal(result.messages.length, 1, JSON.stringify(result.messages));
    assert.match(result.messages[0]?.message ?? "", /invalid settings.*`path`.*`logLevel`|invalid settings.*`logLevel`.*`path`/);
  });
});
