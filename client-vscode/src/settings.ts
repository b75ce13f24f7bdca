// The `gobex.*` settings and what the server is told of them.
//
// The server reads the `gobex` section of workspace/configuration and understands
// `enable`, `select`, `ignore`, `severity`, `lint.run` and `workspaceScan` among
// others (server/gobex/lsp/settings.py); any other key there is reported to the
// user as an unknown setting. `path`, `interpreter`, `args`, `logLevel` and
// `trace.server` are the client's business and are never sent.
//
// Only settings the user has set (in user, workspace or folder settings) are
// sent. An unset one stays out, so the workspace's `.gobex.toml` (which the
// server merges below the editor's settings) keeps deciding it.

/** A setting as VS Code reports it: its effective value, and whether any scope sets it. */
export interface SettingValue {
  readonly value: unknown;
  readonly set: boolean;
}

/** Reads `gobex.<key>` (key without the `gobex.` prefix). */
export type SettingsReader = (key: string) => SettingValue;

/** Changing one of these restarts the server (they choose the program or its arguments). */
export const RESTART_KEYS = ["path", "interpreter", "args", "logLevel"] as const;

/** Settings the server understands, pushed without a restart. */
export const SERVER_KEYS = ["enable", "select", "ignore", "severity", "lint.run", "workspaceScan"] as const;

export const LOG_LEVELS = ["debug", "info", "warning", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The object answered for the `gobex` section of workspace/configuration. */
export function serverSettings(read: SettingsReader): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const enable = read("enable");
  if (enable.set && typeof enable.value === "boolean") {
    out["enable"] = enable.value;
  }
  const select = read("select");
  // An empty select would run no rule at all; it means "not chosen here".
  if (select.set && isStringList(select.value) && select.value.length > 0) {
    out["select"] = [...select.value];
  }
  const ignore = read("ignore");
  if (ignore.set && isStringList(ignore.value)) {
    out["ignore"] = [...ignore.value];
  }
  const severity = read("severity");
  if (severity.set && isPlainObject(severity.value)) {
    out["severity"] = { ...severity.value };
  }
  const run = read("lint.run");
  if (run.set && typeof run.value === "string") {
    out["lint"] = { run: run.value };
  }
  const scan = read("workspaceScan");
  if (scan.set && typeof scan.value === "boolean") {
    out["workspaceScan"] = scan.value;
  }
  return out;
}

/** What a configuration change means for the running server. */
export function changeEffect(affects: (section: string) => boolean): "restart" | "push" | "none" {
  if (RESTART_KEYS.some((key) => affects(`gobex.${key}`))) {
    return "restart";
  }
  if (SERVER_KEYS.some((key) => affects(`gobex.${key}`))) {
    return "push";
  }
  return "none";
}

/** The arguments after the server command: `lsp`, the log level, then the user's. */
export function serverArguments(logLevel: unknown, extra: unknown): string[] {
  const level = LOG_LEVELS.includes(logLevel as LogLevel) ? (logLevel as LogLevel) : "info";
  const args = ["lsp", "--log-level", level];
  if (isStringList(extra)) {
    args.push(...extra);
  }
  return args;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
