// Finding the gobex server: which program to run, in the documented order.
//
//   1. setting gobex.path          a gobex executable
//   2. setting gobex.interpreter   <python> -m gobex
//   3. the Python extension        its selected interpreter, -m gobex
//   4. PATH                        gobex, else python3 -m gobex (python on Windows)
//
// Each candidate is probed with `--version`; the first that answers like gobex
// wins. Everything here is free of the vscode module so that it can be unit tested.

import * as path from "node:path";
import type { Version } from "./version";

export type ServerSource = "gobex.path" | "gobex.interpreter" | "Python extension" | "PATH";

/** How to run gobex: `command ...prefix <subcommand> ...`. */
export interface ServerCommand {
  readonly command: string;
  /** Arguments before gobex's own: `[]` for the executable, `["-m", "gobex"]` for Python. */
  readonly prefix: readonly string[];
  readonly source: ServerSource;
}

export interface FoundServer extends ServerCommand {
  readonly version: Version;
}

export type ProbeResult =
  | { readonly ok: true; readonly version: Version }
  | { readonly ok: false; readonly reason: string };

/** One step of the search, for the log and the "not found" message. */
export interface Attempt {
  readonly source: ServerSource;
  /** What was tried (a command line), or why the step was skipped. */
  readonly tried: string;
  readonly reason: string;
}

export interface ResolveInputs {
  /** The gobex.path setting ("" when unset). */
  readonly path: string;
  /** The gobex.interpreter setting ("" when unset). */
  readonly interpreter: string;
  /** The Python extension's interpreter as a command line (`[python]`, or e.g.
   * `[conda, run, -n, env, python]`); undefined when there is none. */
  readonly pythonFromExtension: () => Promise<readonly string[] | undefined>;
  /** `name` looked up on PATH; undefined when absent. */
  readonly findOnPath: (name: string) => string | undefined;
  /** Settings variables expanded (`~`, `${workspaceFolder}`, ...). */
  readonly expand: (value: string) => string;
  readonly probe: (server: ServerCommand) => Promise<ProbeResult>;
  readonly platform: NodeJS.Platform;
}

export interface Resolution {
  readonly server?: FoundServer;
  readonly attempts: readonly Attempt[];
}

export const PYTHON_MODULE = ["-m", "gobex"] as const;

/** The first working server, and every step taken to find it. */
export async function resolveServer(inputs: ResolveInputs): Promise<Resolution> {
  const attempts: Attempt[] = [];
  const steps: Array<() => ServerCommand | Attempt | Promise<ServerCommand | Attempt>> = [
    () => fromSetting("gobex.path", inputs.path, [], inputs),
    () => fromSetting("gobex.interpreter", inputs.interpreter, PYTHON_MODULE, inputs),
    () => fromPythonExtension(inputs),
    () => {
      const found = inputs.findOnPath("gobex");
      return found === undefined
        ? { source: "PATH", tried: "gobex", reason: "not found on PATH" }
        : { command: found, prefix: [], source: "PATH" };
    },
    () => {
      // Where `pip install gobex` put the module but not the script on PATH.
      const name = inputs.platform === "win32" ? "python" : "python3";
      const found = inputs.findOnPath(name);
      return found === undefined
        ? { source: "PATH", tried: name, reason: `${name} not found on PATH` }
        : { command: found, prefix: PYTHON_MODULE, source: "PATH" };
    },
  ];
  for (const step of steps) {
    const candidate = await step();
    if (!("command" in candidate)) {
      attempts.push(candidate);
      continue;
    }
    const result = await inputs.probe(candidate);
    if (result.ok) {
      return { server: { ...candidate, version: result.version }, attempts };
    }
    attempts.push({
      source: candidate.source,
      tried: commandLine(candidate, ["--version"]),
      reason: result.reason,
    });
  }
  return { attempts };
}

function fromSetting(
  source: ServerSource,
  value: string,
  prefix: readonly string[],
  inputs: ResolveInputs,
): ServerCommand | Attempt {
  const raw = value.trim();
  if (raw === "") {
    return { source, tried: "(not set)", reason: "not set" };
  }
  const expanded = inputs.expand(raw);
  if (!hasDirectory(expanded)) {
    const found = inputs.findOnPath(expanded);
    if (found === undefined) {
      return { source, tried: expanded, reason: `${expanded} is not on PATH` };
    }
    return { command: found, prefix, source };
  }
  return { command: expanded, prefix, source };
}

async function fromPythonExtension(inputs: ResolveInputs): Promise<ServerCommand | Attempt> {
  const source: ServerSource = "Python extension";
  let exec: readonly string[] | undefined;
  try {
    exec = await inputs.pythonFromExtension();
  } catch (error) {
    return { source, tried: "(its API)", reason: `its API failed: ${String(error)}` };
  }
  const [command, ...rest] = exec ?? [];
  if (command === undefined || command === "") {
    return { source, tried: "(its API)", reason: "not installed, or no interpreter selected" };
  }
  return { command, prefix: [...rest, ...PYTHON_MODULE], source };
}

function hasDirectory(value: string): boolean {
  return value.includes("/") || value.includes("\\");
}

/** A command line for messages, with arguments that need it quoted. */
export function commandLine(server: ServerCommand, args: readonly string[] = []): string {
  return [server.command, ...server.prefix, ...args].map(quote).join(" ");
}

function quote(word: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(word) ? word : `"${word.replace(/(["\\$`])/g, "\\$1")}"`;
}

export interface ExpandContext {
  readonly workspaceFolder?: string;
  readonly home: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}` replaced; a relative
 * path with a directory part (`.venv/bin/gobex`) made absolute against the
 * workspace folder. A bare name (`gobex`) is left for a PATH lookup. */
export function expandVariables(value: string, context: ExpandContext): string {
  let result = value.trim();
  if (result === "~" || result.startsWith("~/") || result.startsWith("~\\")) {
    result = context.home + result.slice(1);
  }
  result = result.replace(/\$\{(userHome|workspaceFolder|env:([^}]+))\}/g, (whole, name: string, env?: string) => {
    if (name === "userHome") {
      return context.home;
    }
    if (name === "workspaceFolder") {
      return context.workspaceFolder ?? whole;
    }
    return context.env[env ?? ""] ?? "";
  });
  if (hasDirectory(result) && !path.isAbsolute(result) && context.workspaceFolder !== undefined) {
    result = path.resolve(context.workspaceFolder, result);
  }
  return result;
}

export interface PathSearch {
  /** The PATH variable. */
  readonly pathVariable: string | undefined;
  readonly platform: NodeJS.Platform;
  /** PATHEXT on Windows. */
  readonly pathExt?: string;
  readonly isExecutable: (file: string) => boolean;
}

/** `name` on PATH, like a shell would find it; undefined when absent. */
export function searchPath(name: string, search: PathSearch): string | undefined {
  const windows = search.platform === "win32";
  const separator = windows ? ";" : ":";
  const join = (directory: string, file: string): string =>
    windows ? path.win32.join(directory, file) : path.posix.join(directory, file);
  const extensions = windows
    ? ["", ...(search.pathExt ?? ".COM;.EXE;.BAT;.CMD").split(";").filter((e) => e !== "")]
    : [""];
  for (const directory of (search.pathVariable ?? "").split(separator)) {
    if (directory === "") {
      continue;
    }
    for (const extension of extensions) {
      const candidate = join(directory, name + extension);
      if (search.isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** The one-line explanation for the "not found" notification. */
export function notFoundSummary(attempts: readonly Attempt[]): string {
  const tried = attempts.filter((a) => a.reason !== "not set");
  if (tried.length === 0) {
    return "gobex server not found";
  }
  return `gobex server not found (${tried.map((a) => `${a.source}: ${a.reason}`).join("; ")})`;
}
