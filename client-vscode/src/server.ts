// The language client's life: find the server, start it, restart it, tell it
// about settings, and say what went wrong in one actionable notification.

import * as os from "node:os";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type ConfigurationParams,
  type ConfigurationRequest,
  type HandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { findOnPath, probeServer } from "./probe";
import { selectedInterpreter } from "./python";
import {
  commandLine,
  expandVariables,
  notFoundSummary,
  resolveServer,
  type Attempt,
  type FoundServer,
  type Resolution,
} from "./resolve";
import { serverArguments, serverSettings, type SettingsReader } from "./settings";
import type { StatusItem } from "./status";
import { isOlder, MIN_SERVER_VERSION } from "./version";

export const DOCUMENT_SELECTOR = [
  { scheme: "file", language: "go" },
  { scheme: "untitled", language: "go" },
];

/** `gobex.<key>` as VS Code has it, and whether any scope sets it. */
export function settingsReader(scope?: vscode.Uri): SettingsReader {
  const config = vscode.workspace.getConfiguration("gobex", scope);
  return (key) => {
    const inspected = config.inspect(key);
    const set =
      inspected !== undefined &&
      [inspected.globalValue, inspected.workspaceValue, inspected.workspaceFolderValue].some((v) => v !== undefined);
    return { value: config.get(key), set };
  };
}

function firstFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.[0];
}

export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private found: FoundServer | undefined;
  private queue: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly status: StatusItem,
  ) {}

  /** The server in use (undefined until found). */
  get server(): FoundServer | undefined {
    return this.found;
  }

  get running(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  /** Settings the server reads changed: it asks for them again (no restart). */
  async pushSettings(): Promise<void> {
    const client = this.running;
    this.showEnabled();
    if (client !== undefined) {
      // `settings: null`: the server pulls the `gobex` section, which the
      // configuration middleware below answers.
      await client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }
  }

  /** Run one of the server's commands (gobex.fixAll, gobex.explain, gobex.lintWorkspace). */
  async executeCommand<T>(command: string, args: unknown[]): Promise<T | undefined> {
    const client = this.running;
    if (client === undefined) {
      void vscode.window.showWarningMessage("gobex: the server is not running.", "Show Logs").then((choice) => {
        if (choice === "Show Logs") {
          this.log.show();
        }
      });
      return undefined;
    }
    return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
  }

  dispose(): void {
    void this.stop();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async resolve(): Promise<Resolution> {
    const config = vscode.workspace.getConfiguration("gobex");
    const folder = firstFolder();
    const context = { workspaceFolder: folder?.uri.fsPath, home: os.homedir(), env: process.env };
    return resolveServer({
      path: config.get<string>("path") ?? "",
      interpreter: config.get<string>("interpreter") ?? "",
      pythonFromExtension: () => selectedInterpreter(folder?.uri),
      findOnPath: (name) => findOnPath(name),
      expand: (value) => expandVariables(value, context),
      probe: (server) => probeServer(server, { cwd: folder?.uri.fsPath }),
      platform: process.platform,
    });
  }

  private async doStart(): Promise<void> {
    this.status.set("starting", "looking for the gobex server");
    const searched = Date.now();
    const resolution = await this.resolve();
    this.log.info(`server search took ${Date.now() - searched} ms`);
    for (const attempt of resolution.attempts) {
      this.log.info(`server search: ${attempt.source}: ${attempt.tried}: ${attempt.reason}`);
    }
    const server = resolution.server;
    if (server === undefined) {
      this.found = undefined;
      const summary = notFoundSummary(resolution.attempts);
      this.log.error(summary);
      this.status.set("notFound", `${summary}.\n\nInstall it with \`pip install gobex\`, or set \`gobex.path\`.`);
      void this.offerInstall();
      return;
    }
    this.found = server;
    this.log.info(`server: ${commandLine(server)} (gobex ${server.version.text}, from ${server.source})`);
    this.warnAboutSkipped(resolution.attempts, server);
    if (isOlder(server.version)) {
      void this.warnOld(server);
    }
    await this.launch(server);
  }

  private async launch(server: FoundServer): Promise<void> {
    const config = vscode.workspace.getConfiguration("gobex");
    const folder = firstFolder();
    const args = [...server.prefix, ...serverArguments(config.get("logLevel"), config.get("args"))];
    const serverOptions: ServerOptions = {
      command: server.command,
      args,
      options: { cwd: folder?.uri.fsPath, env: process.env },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.log,
      traceOutputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      middleware: {
        workspace: {
          configuration: (params: ConfigurationParams, token, next) => this.answerConfiguration(params, token, next),
        },
      },
      initializationFailedHandler: (error) => {
        this.log.error(`the server failed to initialize: ${String(error)}`);
        return false;
      },
    };
    const client = new LanguageClient("gobex", "gobex", serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((event) => {
      if (this.client !== client) {
        return;
      }
      if (event.newState === State.Running) {
        this.showEnabled();
      } else if (event.newState === State.Starting) {
        this.status.set("starting", this.describe(server));
      } else if (event.newState === State.Stopped && !this.stopping) {
        this.status.set("stopped", `${this.describe(server)}\n\nThe server stopped; run **gobex: Restart Server**.`);
      }
    });
    this.status.set("starting", this.describe(server));
    const launched = Date.now();
    try {
      await client.start();
      this.log.info(`server ready: initialized in ${Date.now() - launched} ms`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`could not start ${commandLine(server, args.slice(server.prefix.length))}: ${message}`);
      this.status.set("error", `${this.describe(server)}\n\nCould not start: ${message}`);
      void vscode.window
        .showErrorMessage(`gobex: the server did not start (${message}).`, "Show Logs", "Restart Server")
        .then((choice) => this.onChoice(choice));
      return;
    }
    this.showEnabled();
  }

  private answerConfiguration(
    params: ConfigurationParams,
    token: vscode.CancellationToken,
    next: ConfigurationRequest.HandlerSignature,
  ): HandlerResult<unknown[], void> {
    const others = params.items.filter((item) => item.section !== "gobex");
    if (others.length === params.items.length) {
      return next(params, token);
    }
    // Answer the gobex section ourselves: only the keys the server understands.
    return Promise.resolve(others.length > 0 ? next({ items: others }, token) : []).then((answered) => {
      const rest: unknown[] = Array.isArray(answered) ? Array.from(answered as unknown[]) : [];
      return params.items.map((item) => {
        if (item.section !== "gobex") {
          return rest.shift() ?? null;
        }
        const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
        return serverSettings(settingsReader(scope));
      });
    });
  }

  private showEnabled(): void {
    const server = this.found;
    if (server === undefined || this.client?.state !== State.Running) {
      return;
    }
    const enabled = vscode.workspace.getConfiguration("gobex").get<boolean>("enable") !== false;
    this.status.set(enabled ? "ready" : "disabled", this.describe(server));
  }

  private describe(server: FoundServer): string {
    return `gobex ${server.version.text} — \`${commandLine(server)}\` (from ${server.source})`;
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    this.stopping = true;
    try {
      if (client.state !== State.Stopped) {
        await client.stop(5000);
      }
    } catch (error) {
      this.log.warn(`stopping the server: ${String(error)}`);
    } finally {
      this.stopping = false;
      await client.dispose().catch(() => undefined);
    }
  }

  /** gobex.path or gobex.interpreter is set but did not work: say so, even
   * though a later candidate did. */
  private warnAboutSkipped(attempts: readonly Attempt[], server: FoundServer): void {
    for (const attempt of attempts) {
      if ((attempt.source === "gobex.path" || attempt.source === "gobex.interpreter") && attempt.reason !== "not set") {
        void vscode.window
          .showWarningMessage(
            `gobex: setting ${attempt.source} does not work (${attempt.reason}); using ${commandLine(server)} from ${server.source}.`,
            `Set ${attempt.source}`,
          )
          .then((choice) => this.onChoice(choice));
      }
    }
  }

  private async warnOld(server: FoundServer): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `gobex ${server.version.text} (${commandLine(server)}) is older than this extension expects (${MIN_SERVER_VERSION} or newer): some features may not work. Update it with pip install -U gobex.`,
      "Update with pip",
      "Show Logs",
    );
    if (choice === "Update with pip") {
      await this.pipInstall(["-U"]);
    } else {
      this.onChoice(choice);
    }
  }

  /** The one notification when no server works. */
  private async offerInstall(): Promise<void> {
    const choice = await vscode.window.showErrorMessage(
      "gobex server not found: install it with pip, or set gobex.path to a gobex executable.",
      "Install with pip",
      "Set gobex.path",
      "Show Logs",
    );
    if (choice === "Install with pip") {
      await this.pipInstall([]);
    } else {
      this.onChoice(choice);
    }
  }

  private onChoice(choice: string | undefined): void {
    if (choice === "Show Logs") {
      this.log.show();
    } else if (choice === "Restart Server") {
      void this.restart();
    } else if (choice === "Set gobex.path" || choice === "Set gobex.interpreter") {
      // Machine settings of a remote window (SSH, containers, code-server) live
      // on the remote side: the User tab would not list them.
      const command = vscode.env.remoteName ? "workbench.action.openRemoteSettings" : "workbench.action.openSettings";
      void vscode.commands.executeCommand(command, { query: `@id:${choice.slice("Set ".length)}` });
    }
  }

  /** `python -m pip install [flags] gobex` in a terminal; start again when it succeeds. */
  private async pipInstall(flags: string[]): Promise<void> {
    const python = await this.installInterpreter();
    const terminal = vscode.window.createTerminal({
      name: "gobex: pip install",
      shellPath: python[0],
      shellArgs: [...python.slice(1), "-m", "pip", "install", ...flags, "gobex"],
    });
    terminal.show();
    const watcher = vscode.window.onDidCloseTerminal((closed) => {
      if (closed !== terminal) {
        return;
      }
      watcher.dispose();
      if (closed.exitStatus?.code === 0) {
        void this.restart();
      } else {
        void vscode.window.showErrorMessage(
          `gobex: pip install failed (exit status ${String(closed.exitStatus?.code)}). Install gobex into a virtual environment and set gobex.interpreter or gobex.path.`,
          "Set gobex.interpreter",
          "Set gobex.path",
        ).then((choice) => this.onChoice(choice));
      }
    });
  }

  private async installInterpreter(): Promise<string[]> {
    const configured = (vscode.workspace.getConfiguration("gobex").get<string>("interpreter") ?? "").trim();
    if (configured !== "") {
      const folder = firstFolder();
      return [expandVariables(configured, { workspaceFolder: folder?.uri.fsPath, home: os.homedir(), env: process.env })];
    }
    const selected = await selectedInterpreter(firstFolder()?.uri).catch(() => undefined);
    if (selected !== undefined) {
      return selected;
    }
    return [process.platform === "win32" ? "python" : "python3"];
  }
}
