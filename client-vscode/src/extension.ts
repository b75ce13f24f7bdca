// gobex for VS Code: a thin client that starts `gobex lsp` and wires its
// diagnostics, quick fixes, hover and commands into the editor.

import * as vscode from "vscode";
import { RuleExplainer } from "./explain";
import { onInterpreterChange } from "./python";
import { ServerController } from "./server";
import { changeEffect } from "./settings";
import { StatusItem } from "./status";

let controller: ServerController | undefined;

interface ScanSummary {
  readonly files: number;
  readonly findings: number;
  readonly cancelled: boolean;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("gobex", { log: true });
  const status = new StatusItem();
  const servers = new ServerController(log, status);
  const explainer = new RuleExplainer(servers, log);
  controller = servers;
  context.subscriptions.push(log, status, servers, explainer);

  context.subscriptions.push(
    vscode.commands.registerCommand("gobex.restartServer", () => servers.restart()),
    vscode.commands.registerCommand("gobex.showLogs", () => log.show()),
    vscode.commands.registerCommand("gobex.explainRule", (code?: unknown) => explainer.explain(code)),
    vscode.commands.registerCommand("gobex.fixAllInFile", () => fixAll(servers)),
    vscode.commands.registerCommand("gobex.scanWorkspace", () => scanWorkspace(servers)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      const effect = changeEffect((section) => event.affectsConfiguration(section));
      if (effect === "restart") {
        log.info("gobex.path, interpreter, args or logLevel changed: restarting the server");
        void servers.restart();
      } else if (effect === "push") {
        log.info("gobex settings changed: the server reads them again (no restart)");
        void servers.pushSettings();
      }
    }),
  );

  const interpreterWatch = await onInterpreterChange(() => {
    // Restart only when the choice of interpreter matters: the server came
    // from it, or nothing was found and it may help now.
    const source = servers.server?.source;
    if (source === undefined || source === "Python extension") {
      log.info("the Python extension's interpreter changed: restarting the server");
      void servers.restart();
    }
  }).catch(() => undefined);
  if (interpreterWatch !== undefined) {
    context.subscriptions.push(interpreterWatch);
  }

  await servers.start().catch((error: unknown) => log.error(`starting the server: ${String(error)}`));
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}

async function fixAll(servers: ServerController): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== "go") {
    void vscode.window.showInformationMessage("gobex: open a Go file to fix.");
    return;
  }
  const client = servers.running;
  const uri = client ? client.code2ProtocolConverter.asUri(editor.document.uri) : editor.document.uri.toString();
  const applied = await servers.executeCommand<boolean>("gobex.fixAll", [uri]);
  if (applied === false) {
    void vscode.window.showInformationMessage("gobex: no safe fixes to apply in this file.");
  }
}

async function scanWorkspace(servers: ServerController): Promise<void> {
  const summary = await servers.executeCommand<ScanSummary>("gobex.lintWorkspace", []);
  if (summary === undefined || summary === null) {
    return;
  }
  const what = `${summary.files} Go file${summary.files === 1 ? "" : "s"}, ${summary.findings} finding${summary.findings === 1 ? "" : "s"}`;
  void vscode.window.showInformationMessage(summary.cancelled ? `gobex: scan cancelled after ${what}.` : `gobex: linted ${what}.`);
}
