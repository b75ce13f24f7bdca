// The settings mapping against the real server, the way the extension talks to
// it: `gobex lsp` asks for the `gobex` section of workspace/configuration and
// gets what serverSettings() builds; a change is announced with
// didChangeConfiguration `{settings: null}` (no restart) and the server asks
// again. Every key must apply without an "invalid settings" warning. One server
// serves all the steps. Needs GOBEX_EXECUTABLE (the pytest wrapper sets it).

import * as assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
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
  type ProtocolConnection,
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

interface Answer {
  readonly diagnostics: Diagnostic[];
  readonly messages: ShowMessageParams[];
}

/** One `gobex lsp` with one open file; `configure` changes the answer to its
 * configuration requests and returns what it publishes next. */
class Session {
  private section: unknown = {};
  private asked: (() => void) | undefined;
  private readonly published: Array<{ at: number; diagnostics: Diagnostic[] }> = [];
  private readonly messages: Array<{ at: number; params: ShowMessageParams }> = [];
  private stderr = "";
  private constructor(
    private readonly dir: string,
    private readonly uri: string,
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly connection: ProtocolConnection,
  ) {}

  static async start(executable: string, section: unknown): Promise<[Session, Answer]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gobex-settings-"));
    fs.writeFileSync(path.join(dir, "go.mod"), "module example.com/store\n\ngo 1.22\n");
    const file = path.join(dir, "store.go");
    fs.writeFileSync(file, GO);
    const child = spawn(executable, ["lsp"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const session = new Session(dir, pathToFileURL(file).toString(), child, connection);
    session.section = section;
    child.stderr.on("data", (chunk: Buffer) => (session.stderr += chunk.toString()));
    connection.onRequest(ConfigurationRequest.type, (params) => {
      setTimeout(() => session.asked?.(), 0);
      return params.items.map((item) => (item.section === "gobex" ? session.section : null));
    });
    connection.onNotification(ShowMessageNotification.type, (params) => {
      session.messages.push({ at: Date.now(), params });
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      if (params.uri === session.uri) {
        session.published.push({ at: Date.now(), diagnostics: params.diagnostics });
      }
    });
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(dir).toString(),
      workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: "store" }],
      capabilities: { workspace: { configuration: true } },
    });
    const answered = session.nextAsk();
    await connection.sendNotification(InitializedNotification.type, {});
    const since = await session.wait(answered, "the first configuration request");
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: session.uri, languageId: "go", version: 1, text: GO },
    });
    return [session, await session.answerSince(since)];
  }

  /** Change the settings as the extension does: `{settings: null}`, then answer the pull. */
  async configure(section: unknown): Promise<Answer> {
    this.section = section;
    const answered = this.nextAsk();
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    return this.answerSince(await this.wait(answered, "a configuration request after the change"));
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } finally {
      this.connection.dispose();
      this.child.kill();
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private nextAsk(): Promise<number> {
    return new Promise((resolve) => (this.asked = () => resolve(Date.now())));
  }

  /** The first diagnostics published after `since`, with the messages shown before them. */
  private async answerSince(since: number): Promise<Answer> {
    const found = await this.wait(
      (async () => {
        for (;;) {
          const next = this.published.find((p) => p.at >= since);
          if (next !== undefined) {
            return next;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })(),
      "diagnostics for the file",
    );
    const messages = this.messages.filter((m) => m.at >= since && m.at <= found.at).map((m) => m.params);
    return { diagnostics: found.diagnostics, messages };
  }

  private wait<T>(promise: Promise<T>, what: string): Promise<T> {
    return Promise.race([
      promise,
      new Promise<never>((_, reject) =>
        // unref: a pending timeout must not keep the test process alive.
        setTimeout(() => reject(new Error(`no ${what} within 60 s; server stderr:\n${this.stderr}`)), 60_000).unref(),
      ),
    ]);
  }
}

const found = (a: Answer) => a.diagnostics.map((d) => [d.code, d.range.start.line, d.severity]);
const executable = process.env["GOBEX_EXECUTABLE"];

describe("settings as the real server reads them", { skip: executable ? false : "GOBEX_EXECUTABLE (a gobex executable) is not set" }, () => {
  let session: Session | undefined;
  let first: Answer | undefined;
  before(async () => {
    [session, first] = await Session.start(executable ?? "", serverSettings(reader({})));
  });
  after(() => session?.stop());

  it("reports both defects when nothing is set", () => {
    assert.deepEqual(found(first!), [
      ["PG001", PG001_LINE, 1],
      ["ERR001", ERR001_LINE, 2],
    ]);
    assert.deepEqual(first!.messages, []);
  });

  it("applies ignore and severity, and accepts lint.run, workspaceScan and enable", async () => {
    const answer = await session!.configure(
      serverSettings(reader({ ignore: ["PG001"], severity: { ERR001: "info" }, "lint.run": "onType", workspaceScan: false, enable: true })),
    );
    assert.deepEqual(found(answer), [["ERR001", ERR001_LINE, 3]]);
    assert.deepEqual(answer.messages, []);
  });

  it("applies select by rule name", async () => {
    const answer = await session!.configure(serverSettings(reader({ select: ["unclosed-rows"] })));
    assert.deepEqual(found(answer), [["PG001", PG001_LINE, 1]]);
  });

  it("reports nothing with enable false, and complains about no key of the full mapping", async () => {
    const answer = await session!.configure(serverSettings(reader(everything)));
    assert.deepEqual(answer.diagnostics, []);
    assert.deepEqual(answer.messages, []);
  });

  it("would warn about the client-only settings, which is why they are never sent", async () => {
    const answer = await session!.configure({ path: "/opt/gobex/bin/gobex", logLevel: "debug" });
    assert.equal(answer.messages.length, 1, JSON.stringify(answer.messages));
    assert.match(answer.messages[0]?.message ?? "", /invalid settings.*`path`.*`logLevel`|invalid settings.*`logLevel`.*`path`/);
  });

  it("goes back to the defaults when the settings are unset again", async () => {
    const answer = await session!.configure(serverSettings(reader({})));
    assert.deepEqual(found(answer), found(first!));
  });
});
