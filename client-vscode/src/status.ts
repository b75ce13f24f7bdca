// The status bar item: the server's state at a glance; a click shows the logs.

import * as vscode from "vscode";

export type ServerState = "starting" | "ready" | "disabled" | "stopped" | "notFound" | "error";

const LOOK: Record<ServerState, { icon: string; words: string; background?: string }> = {
  starting: { icon: "$(loading~spin)", words: "starting" },
  ready: { icon: "$(check)", words: "ready" },
  disabled: { icon: "$(circle-slash)", words: "disabled by gobex.enable" },
  stopped: { icon: "$(debug-stop)", words: "stopped", background: "statusBarItem.warningBackground" },
  notFound: { icon: "$(error)", words: "server not found", background: "statusBarItem.errorBackground" },
  error: { icon: "$(error)", words: "failed", background: "statusBarItem.errorBackground" },
};

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private current: ServerState = "starting";

  constructor() {
    this.item = vscode.window.createStatusBarItem("gobex.status", vscode.StatusBarAlignment.Right, 100);
    this.item.name = "gobex";
    this.item.command = "gobex.showLogs";
    this.set("starting", "looking for the gobex server");
    this.item.show();
  }

  get state(): ServerState {
    return this.current;
  }

  /** Show `state`; `detail` (Markdown) goes in the tooltip under the state. */
  set(state: ServerState, detail: string): void {
    this.current = state;
    const look = LOOK[state];
    this.item.text = `${look.icon} gobex`;
    this.item.accessibilityInformation = { label: `gobex: ${look.words}`, role: "button" };
    this.item.backgroundColor = look.background ? new vscode.ThemeColor(look.background) : undefined;
    const tooltip = new vscode.MarkdownString(`**gobex: ${look.words}**\n\n${detail}\n\n*Click to show the logs.*`);
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}
