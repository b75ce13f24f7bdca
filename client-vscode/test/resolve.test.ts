import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import {
  expandVariables,
  notFoundSummary,
  resolveServer,
  searchPath,
  type ProbeResult,
  type ResolveInputs,
  type ServerCommand,
} from "../src/resolve";
import { parseVersion } from "../src/version";

const V = parseVersion("0.1.0")!;

/** Inputs where nothing is configured or installed; `probe` records its calls. */
function world(overrides: Partial<ResolveInputs> & { working?: string[]; onPath?: Record<string, string> }) {
  const probed: ServerCommand[] = [];
  const working = new Set(overrides.working ?? []);
  const onPath = overrides.onPath ?? {};
  let pythonAsked = 0;
  const inputs: ResolveInputs = {
    path: "",
    interpreter: "",
    pythonFromExtension: () => {
      pythonAsked += 1;
      return Promise.resolve(undefined);
    },
    findOnPath: (name) => onPath[name],
    expand: (value) => value,
    platform: "linux",
    probe: (server): Promise<ProbeResult> => {
      probed.push(server);
      const key = [server.command, ...server.prefix].join(" ");
      return Promise.resolve(working.has(key) ? { ok: true, version: V } : { ok: false, reason: `${key} broken` });
    },
    ...overrides,
  };
  return { inputs, probed, pythonAsked: () => pythonAsked };
}

describe("resolveServer", () => {
  it("uses gobex.path first and looks no further", async () => {
    const w = world({
      path: "/opt/gobex/bin/gobex",
      interpreter: "/usr/bin/python3",
      working: ["/opt/gobex/bin/gobex", "/usr/bin/python3 -m gobex", "/usr/bin/gobex"],
      onPath: { gobex: "/usr/bin/gobex" },
    });
    const result = await resolveServer(w.inputs);
    assert.deepEqual(result.server, { command: "/opt/gobex/bin/gobex", prefix: [], source: "gobex.path", version: V });
    assert.equal(w.probed.length, 1);
    assert.equal(w.pythonAsked(), 0, "the Python extension is not asked when an earlier step works");
  });

  it("falls back from a broken gobex.path to gobex.interpreter, recording why", async () => {
    const w = world({
      path: "/nowhere/gobex",
      interpreter: "/venv/bin/python",
      working: ["/venv/bin/python -m gobex"],
    });
    const result = await resolveServer(w.inputs);
    assert.equal(result.server?.source, "gobex.interpreter");
    assert.deepEqual(result.server?.prefix, ["-m", "gobex"]);
    assert.deepEqual(result.attempts, [
      { source: "gobex.path", tried: "/nowhere/gobex --version", reason: "/nowhere/gobex broken" },
    ]);
  });

  it("runs the Python extension's interpreter (a whole command line) with -m gobex", async () => {
    const w = world({
      pythonFromExtension: () => Promise.resolve(["/conda/bin/conda", "run", "-n", "svc", "python"]),
      working: ["/conda/bin/conda run -n svc python -m gobex"],
    });
    const result = await resolveServer(w.inputs);
    assert.equal(result.server?.source, "Python extension");
    assert.equal(result.server?.command, "/conda/bin/conda");
    assert.deepEqual(result.server?.prefix, ["run", "-n", "svc", "python", "-m", "gobex"]);
  });

  it("survives a failing Python extension API and finds gobex on PATH", async () => {
    const w = world({
      pythonFromExtension: () => Promise.reject(new Error("boom")),
      onPath: { gobex: "/home/u/.local/bin/gobex" },
      working: ["/home/u/.local/bin/gobex"],
    });
    const result = await resolveServer(w.inputs);
    assert.equal(result.server?.source, "PATH");
    assert.equal(result.server?.command, "/home/u/.local/bin/gobex");
    const python = result.attempts.find((a) => a.source === "Python extension");
    assert.match(python?.reason ?? "", /its API failed: Error: boom/);
  });

  it("tries python3 -m gobex from PATH last (where pip put the module but not the script)", async () => {
    const w = world({ onPath: { python3: "/usr/bin/python3" }, working: ["/usr/bin/python3 -m gobex"] });
    const result = await resolveServer(w.inputs);
    assert.equal(result.server?.command, "/usr/bin/python3");
    assert.deepEqual(result.server?.prefix, ["-m", "gobex"]);
    assert.equal(result.server?.source, "PATH");
  });

  it("looks for python, not python3, on Windows", async () => {
    const w = world({ platform: "win32", onPath: { python: "C:\\Python312\\python.exe" }, working: ["C:\\Python312\\python.exe -m gobex"] });
    const result = await resolveServer(w.inputs);
    assert.equal(result.server?.command, "C:\\Python312\\python.exe");
  });

  it("looks a bare name in gobex.path up on PATH", async () => {
    const w = world({ path: "gobex-dev", onPath: { "gobex-dev": "/usr/local/bin/gobex-dev" }, working: ["/usr/local/bin/gobex-dev"] });
    const result = await resolveServer(w.inputs);
    assert.equal(result.server?.command, "/usr/local/bin/gobex-dev");
    assert.equal(result.server?.source, "gobex.path");
  });

  it("expands variables in the settings before running them", async () => {
    const w = world({
      interpreter: "${workspaceFolder}/.venv/bin/python",
      expand: (value) => value.replace("${workspaceFolder}", "/ws"),
      working: ["/ws/.venv/bin/python -m gobex"],
    });
    const result = await resolveServer(w.inputs);
    assert.equal(result.server?.command, "/ws/.venv/bin/python");
  });

  it("reports every step when nothing works", async () => {
    const w = world({ path: "/bad/gobex", onPath: { python3: "/usr/bin/python3" } });
    const result = await resolveServer(w.inputs);
    assert.equal(result.server, undefined);
    assert.deepEqual(
      result.attempts.map((a) => [a.source, a.reason]),
      [
        ["gobex.path", "/bad/gobex broken"],
        ["gobex.interpreter", "not set"],
        ["Python extension", "not installed, or no interpreter selected"],
        ["PATH", "not found on PATH"],
        ["PATH", "/usr/bin/python3 -m gobex broken"],
      ],
    );
    assert.equal(
      notFoundSummary(result.attempts),
      "gobex server not found (gobex.path: /bad/gobex broken; Python extension: not installed, or no interpreter selected; " +
        "PATH: not found on PATH; PATH: /usr/bin/python3 -m gobex broken)",
    );
  });
});

describe("expandVariables", () => {
  const context = { workspaceFolder: "/ws", home: "/home/u", env: { VENV: "/venvs/svc" } };

  it("expands ~, ${userHome}, ${workspaceFolder} and ${env:NAME}", () => {
    assert.equal(expandVariables("~/bin/gobex", context), "/home/u/bin/gobex");
    assert.equal(expandVariables("${userHome}/bin/gobex", context), "/home/u/bin/gobex");
    assert.equal(expandVariables("${workspaceFolder}/.venv/bin/gobex", context), "/ws/.venv/bin/gobex");
    assert.equal(expandVariables("${env:VENV}/bin/python", context), "/venvs/svc/bin/python");
    assert.equal(expandVariables("${env:UNSET}/python", context), "/python");
  });

  it("makes a relative path absolute against the workspace folder, leaves bare names alone", () => {
    assert.equal(expandVariables(".venv/bin/gobex", context), "/ws/.venv/bin/gobex");
    assert.equal(expandVariables("  gobex  ", context), "gobex");
    assert.equal(expandVariables("/abs/gobex", context), "/abs/gobex");
  });

  it("keeps ${workspaceFolder} when there is no folder (so the error shows it)", () => {
    assert.equal(expandVariables("${workspaceFolder}/gobex", { home: "/h", env: {} }), "${workspaceFolder}/gobex");
  });
});

describe("searchPath", () => {
  it("finds the first executable file on PATH, skipping directories and non-executables", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "gobex-path-"));
    const [a, b, c] = ["a", "b", "c"].map((d) => path.join(root, d));
    for (const dir of [a!, b!, c!]) {
      fs.mkdirSync(dir);
    }
    fs.writeFileSync(path.join(a!, "gobex"), "not executable", { mode: 0o644 });
    fs.mkdirSync(path.join(b!, "gobex"));
    fs.writeFileSync(path.join(c!, "gobex"), "#!/bin/sh\n", { mode: 0o755 });
    const found = searchPath("gobex", {
      pathVariable: ["", a, b, c].join(":"),
      platform: "linux",
      isExecutable: (file) => {
        try {
          fs.accessSync(file, fs.constants.X_OK);
          return fs.statSync(file).isFile();
        } catch {
          return false;
        }
      },
    });
    assert.equal(found, path.join(c!, "gobex"));
    fs.rmSync(root, { recursive: true });
  });

  it("tries PATHEXT extensions on Windows", () => {
    const seen: string[] = [];
    const found = searchPath("gobex", {
      pathVariable: "C:\\tools;C:\\venv\\Scripts",
      platform: "win32",
      pathExt: ".COM;.EXE",
      isExecutable: (file) => {
        seen.push(file);
        return file === "C:\\venv\\Scripts\\gobex.EXE";
      },
    });
    assert.equal(found, "C:\\venv\\Scripts\\gobex.EXE");
    assert.deepEqual(seen.slice(0, 3), ["C:\\tools\\gobex", "C:\\tools\\gobex.COM", "C:\\tools\\gobex.EXE"]);
  });

  it("answers undefined when PATH is unset", () => {
    assert.equal(searchPath("gobex", { pathVariable: undefined, platform: "linux", isExecutable: () => true }), undefined);
  });
});
