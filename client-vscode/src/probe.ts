// Running gobex outside the language server: `--version` probes and
// `rules --format json`. Free of the vscode module (unit tested with real processes).

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { commandLine, searchPath, type ProbeResult, type ServerCommand } from "./resolve";
import { parseVersionOutput } from "./version";

/** Python may take a few seconds to import on a busy machine. */
export const PROBE_TIMEOUT_MS = 20_000;

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

export class RunError extends Error {}

/** Run `server` with `args`; the output, or a RunError with a one-line reason. */
export function runServer(
  server: ServerCommand,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const timeout = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    execFile(
      server.command,
      [...server.prefix, ...args],
      { cwd: options.cwd, timeout, windowsHide: true, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr });
          return;
        }
        reject(new RunError(failureReason(server, error, String(stderr), timeout)));
      },
    );
  });
}

interface ExecFailure {
  code?: unknown;
  killed?: boolean;
  signal?: unknown;
}

function failureReason(server: ServerCommand, error: ExecFailure, stderr: string, timeout: number): string {
  if (error.code === "ENOENT") {
    return `${server.command} does not exist`;
  }
  if (error.code === "EACCES") {
    return `${server.command} is not executable`;
  }
  if (error.killed === true || error.signal === "SIGTERM") {
    return `no answer within ${timeout / 1000} s`;
  }
  const last = lastLine(stderr);
  const status = typeof error.code === "number" ? `exited with status ${error.code}` : "failed";
  return last === "" ? status : `${status}: ${last}`;
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  return (lines[lines.length - 1] ?? "").trim();
}

/** `server --version`: ok with the version when the program is gobex. */
export async function probeServer(server: ServerCommand, options: { cwd?: string; timeoutMs?: number } = {}): Promise<ProbeResult> {
  let result: RunResult;
  try {
    result = await runServer(server, ["--version"], options);
  } catch (error) {
    return { ok: false, reason: error instanceof RunError ? error.message : String(error) };
  }
  const version = parseVersionOutput(result.stdout);
  if (version === undefined) {
    const shown = lastLine(result.stdout) || "nothing";
    return { ok: false, reason: `${commandLine(server, ["--version"])} printed ${JSON.stringify(shown)}, not a gobex version` };
  }
  return { ok: true, version };
}

export function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== "win32") {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** `name` on this process's PATH. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return searchPath(name, {
    pathVariable: env["PATH"] ?? env["Path"],
    platform: process.platform,
    pathExt: env["PATHEXT"],
    isExecutable: isExecutableFile,
  });
}

export interface RuleSummary {
  readonly code: string;
  readonly name: string;
  readonly area: string;
  readonly severity: string;
  readonly group: string;
  readonly fixable: boolean;
  readonly summary: string;
}

/** Every rule (preview ones too), from `gobex rules --all --format json`. */
export async function listRules(server: ServerCommand, cwd?: string): Promise<RuleSummary[]> {
  const { stdout } = await runServer(server, ["rules", "--all", "--format", "json"], { cwd });
  return parseRules(stdout);
}

export function parseRules(json: string): RuleSummary[] {
  const data: unknown = JSON.parse(json);
  if (!Array.isArray(data)) {
    throw new Error("gobex rules --format json did not print a list");
  }
  return data.filter(isRule).map((r) => ({
    code: r.code,
    name: r.name,
    area: text(r["area"]),
    severity: text(r["severity"]),
    group: text(r["group"]),
    fixable: r["fixable"] === true,
    summary: text(r["summary"]),
  }));
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function isRule(value: unknown): value is { code: string; name: string } & Record<string, unknown> {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const record = value as Record<string, unknown>;
  return typeof record["code"] === "string" && typeof record["name"] === "string";
}
