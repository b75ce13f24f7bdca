// "gobex: Explain Rule…": pick a rule, read its page (from the server's
// gobex.explain command) rendered in a webview beside the editor.

import * as vscode from "vscode";
import { listRules, type RuleSummary } from "./probe";
import type { ServerController } from "./server";

interface RuleItem extends vscode.QuickPickItem {
  readonly code: string;
}

export class RuleExplainer implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  constructor(
    private readonly controller: ServerController,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Explain `code` (a code or name), or ask which rule first. */
  async explain(code?: unknown): Promise<void> {
    const chosen = typeof code === "string" && code !== "" ? code : await this.pick();
    if (chosen === undefined) {
      return;
    }
    const page = await this.controller.executeCommand<string | null>("gobex.explain", [chosen]);
    if (page === undefined) {
      return;
    }
    if (page === null) {
      void vscode.window.showWarningMessage(`gobex: no rule ${chosen}.`);
      return;
    }
    await this.show(chosen, page);
  }

  private async pick(): Promise<string | undefined> {
    const server = this.controller.server;
    if (server === undefined) {
      void vscode.window.showWarningMessage("gobex: the server was not found; see gobex: Show Logs.");
      return undefined;
    }
    let rules: RuleSummary[];
    try {
      rules = await listRules(server, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
    } catch (error) {
      this.log.error(`gobex rules --format json: ${String(error)}`);
      void vscode.window.showErrorMessage("gobex: could not list the rules; see gobex: Show Logs.");
      return undefined;
    }
    const items: RuleItem[] = rules.map((rule) => ({
      code: rule.code,
      label: rule.code,
      description: [rule.name, rule.severity, rule.fixable ? "fix" : "", rule.group === "preview" ? "preview" : ""]
        .filter((part) => part !== "")
        .join(" · "),
      detail: rule.summary,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: "gobex: Explain Rule",
      placeHolder: "Rule code or name",
      matchOnDescription: true,
      matchOnDetail: true,
    });
    return picked?.code;
  }

  private async show(code: string, markdown: string): Promise<void> {
    const title = markdown.match(/^#\s+(.+)$/m)?.[1] ?? code;
    let html: string | undefined;
    try {
      html = await vscode.commands.executeCommand<string>("markdown.api.render", markdown);
    } catch (error) {
      this.log.warn(`markdown.api.render: ${String(error)}`);
    }
    if (typeof html !== "string") {
      // No Markdown renderer (the built-in extension is disabled): the source, previewed.
      const document = await vscode.workspace.openTextDocument({ language: "markdown", content: markdown });
      await vscode.commands.executeCommand("markdown.showPreviewToSide", document.uri);
      return;
    }
    if (this.panel === undefined) {
      this.panel = vscode.window.createWebviewPanel(
        "gobex.rule",
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: false, enableFindWidget: true },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.title = title;
    this.panel.webview.html = page(title, html, this.panel.webview.cspSource);
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

function page(title: string, body: string, cspSource: string): string {
  const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource} https:; style-src 'unsafe-inline';">
<title>${escaped}</title>
<style>
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); max-width: 52em; padding: 0 1.5em 2em; line-height: 1.5; }
code, pre { font-family: var(--vscode-editor-font-family); }
pre { background: var(--vscode-textCodeBlock-background); padding: .7em 1em; overflow-x: auto; }
a { color: var(--vscode-textLink-foreground); }
</style></head>
<body>${body}</body></html>`;
}
