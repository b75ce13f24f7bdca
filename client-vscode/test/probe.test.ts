// Probing real processes: fake gobex scripts, and the real gobex when
// GOBEX_EXECUTABLE names it (the pytest wrapper sets it to the repo's venv).

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { findOnPath, listRules, parseRules, probeServer } from "../src/probe";
import type { ServerCommand } from "../src/resolve";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gobex-probe-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string, mode = 0o755): ServerCommand {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode });
  return { command: file, prefix: [], source: "gobex.path" };
}

const unix = process.platform !== "win32";

describe("probeServer", { skip: unix ? false : "the fake servers are /bin/sh scripts (no sh on Windows)" }, () => {
  it("reads the version gobex prints", async () => {
    const result = await probeServer(script("gobex-ok", 'echo "gobex 0.3.1"'));
    assert.deepEqual(result, { ok: true, version: { major: 0, minor: 3, patch: 1, text: "0.3.1" } });
  });

  it("passes the prefix before --version (python -m gobex)", async () => {
    const fake = script("python-fake", 'if [ "$1 $2 $3" = "-m gobex --version" ]; then echo "gobex 1.2.3"; else exit 9; fi');
    const result = await probeServer({ ...fake, prefix: ["-m", "gobex"] });
    assert.equal(result.ok && result.version.text, "1.2.3");
  });

  it("says which program printed something else", async () => {
    const fake = script("not-gobex", 'echo "golangci-lint has version 1.59.0"');
    const result = await probeServer(fake);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : "", /printed "golangci-lint has version 1.59.0", not a gobex version/);
  });

  it("reports the last line of stderr when the program fails (python without gobex)", async () => {
    const fake = script("python-nogobex", 'echo "Traceback..." >&2; echo "/usr/bin/python3: No module named gobex" >&2; exit 1');
    const result = await probeServer({ ...fake, prefix: ["-m", "gobex"] });
    assert.deepEqual(result, { ok: false, reason: "exited with status 1: /usr/bin/python3: No module named gobex" });
  });

  it("tells a missing file from one that cannot be run", async () => {
    const missing = await probeServer({ command: path.join(dir, "absent"), prefix: [], source: "gobex.path" });
    assert.deepEqual(missing, { ok: false, reason: `${path.join(dir, "absent")} does not exist` });
    const plain = script("plain-file", 'echo "gobex 0.1.0"', 0o644);
    const denied = await probeServer(plain);
    assert.deepEqual(denied, { ok: false, reason: `${plain.command} is not executable` });
  });

  it("gives up on a program that does not answer", async () => {
    const slow = script("slow", "sleep 5; echo gobex 0.1.0");
    const result = await probeServer(slow, { timeoutMs: 300 });
    assert.deepEqual(result, { ok: false, reason: "no answer within 0.3 s" });
  });
});

describe("listRules", { skip: unix ? false : "the fake servers are /bin/sh scripts" }, () => {
  it("runs `rules --all --format json` and keeps well-formed entries", async () => {
    const fake = script(
      "gobex-rules",
      `[ "$*" = "rules --all --format json" ] || exit 3
echo '[{"code":"PG001","name":"unclosed-rows","area":"postgres","severity":"error","group":"stable","fixable":true,"summary":"Rows."},{"name":"no-code"}]'`,
    );
    const rules = await listRules(fake);
    assert.deepEqual(rules, [
      { code: "PG001", name: "unclosed-rows", area: "postgres", severity: "error", group: "stable", fixable: true, summary: "Rows." },
    ]);
  });

  it("rejects output that is not a list", () => {
    assert.throws(() => parseRules('{"code": "PG001"}'), /did not print a list/);
  });
});

describe("findOnPath", { skip: unix ? false : "uses a POSIX PATH" }, () => {
  it("finds an executable in the PATH it is given", () => {
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "gobex"), "#!/bin/sh\n", { mode: 0o755 });
    assert.equal(findOnPath("gobex", { PATH: `/nonexistent:${bin}` }), path.join(bin, "gobex"));
    assert.equal(findOnPath("gobex", { PATH: "/nonexistent" }), undefined);
  });
});

const real = process.env["GOBEX_EXECUTABLE"];

describe("the real gobex", { skip: real ? false : "GOBEX_EXECUTABLE (a gobex executable) is not set" }, () => {
  const server: ServerCommand = { command: real ?? "", prefix: [], source: "PATH" };

  it("answers --version with a version this extension parses", async () => {
    const result = await probeServer(server);
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  it("lists PG001 unclosed-rows among its rules", async () => {
    const rules = await listRules(server);
    const pg001 = rules.find((r) => r.code === "PG001");
    assert.equal(pg001?.name, "unclosed-rows");
    assert.equal(pg001?.fixable, true);
    assert.equal(new Set(rules.map((r) => r.code)).size, rules.length, "codes are unique");
  });
});
