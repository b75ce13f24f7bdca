import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { changeEffect, RESTART_KEYS, SERVER_KEYS, serverArguments, serverSettings } from "../src/settings";
import { defaults, everything, manifest, reader, root } from "./helpers";


describe("serverSettings", () => {
  it("sends nothing when nothing is set, so .gobex.toml decides", () => {
    assert.deepEqual(serverSettings(reader({})), {});
  });

  it("sends exactly the keys the server reads, in its shape", () => {
    assert.deepEqual(serverSettings(reader(everything)), {
      enable: false,
      select: ["PG", "unclosed-rows"],
      ignore: ["IDM001"],
      severity: { ERR001: "info", CON: "warning" },
      lint: { run: "onSave" },
      workspaceScan: false,
    });
  });

  it("treats an empty select as not chosen (it would run no rule), but sends an empty ignore", () => {
    assert.deepEqual(serverSettings(reader({ select: [], ignore: [] })), { ignore: [] });
  });

  it("drops values of the wrong type instead of sending them", () => {
    assert.deepEqual(
      serverSettings(reader({ enable: "yes", select: "PG001", ignore: [1], severity: ["x"], "lint.run": 3, workspaceScan: 0 })),
      {},
    );
  });

  it("sends a value equal to the default when the user set it (it overrides the config file)", () => {
    assert.deepEqual(serverSettings(reader({ enable: true, workspaceScan: true, "lint.run": "onType" })), {
      enable: true,
      workspaceScan: true,
      lint: { run: "onType" },
    });
  });
});

describe("the manifest", () => {
  it("declares every setting this extension maps, and maps or uses every one it declares", () => {
    const known = new Set<string>([...SERVER_KEYS, ...RESTART_KEYS, "trace.server"]);
    assert.deepEqual(Object.keys(defaults).sort(), [...known].sort());
  });

  it("registers every command it contributes (and no server command id, which the client registers itself)", () => {
    const source = fs.readFileSync(path.join(root, "src", "extension.ts"), "utf8");
    const registered = [...source.matchAll(/registerCommand\("([^"]+)"/g)].map((m) => m[1]);
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.deepEqual([...registered].sort(), [...contributed].sort());
    for (const serverCommand of ["gobex.fixAll", "gobex.explain", "gobex.lintWorkspace"]) {
      assert.ok(!contributed.includes(serverCommand), serverCommand);
    }
  });
});

describe("changeEffect", () => {
  const only = (changed: string) => (section: string) => section === changed || changed.startsWith(`${section}.`);

  it("restarts for the program and its arguments", () => {
    for (const key of ["gobex.path", "gobex.interpreter", "gobex.args", "gobex.logLevel"]) {
      assert.equal(changeEffect(only(key)), "restart", key);
    }
  });

  it("pushes what the server reads, without a restart", () => {
    for (const key of ["gobex.enable", "gobex.select", "gobex.ignore", "gobex.severity", "gobex.lint.run", "gobex.workspaceScan"]) {
      assert.equal(changeEffect(only(key)), "push", key);
    }
  });

  it("leaves trace (the client handles it) and other extensions' settings alone", () => {
    assert.equal(changeEffect(only("gobex.trace.server")), "none");
    assert.equal(changeEffect(only("go.lintTool")), "none");
  });
});

describe("serverArguments", () => {
  it("starts `lsp` with the log level, then the user's arguments", () => {
    assert.deepEqual(serverArguments("debug", ["--log-file", "/tmp/g.log"]), ["lsp", "--log-level", "debug", "--log-file", "/tmp/g.log"]);
  });

  it("falls back to info for an unknown level and ignores malformed args", () => {
    assert.deepEqual(serverArguments("verbose", "--log-file x"), ["lsp", "--log-level", "info"]);
  });
});
