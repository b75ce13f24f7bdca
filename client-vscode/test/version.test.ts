import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareVersions, isOlder, MIN_SERVER_VERSION, parseVersion, parseVersionOutput } from "../src/version";

describe("parseVersionOutput", () => {
  it("reads `gobex --version`", () => {
    assert.deepEqual(parseVersionOutput("gobex 0.1.0\n"), { major: 0, minor: 1, patch: 0, text: "0.1.0" });
    assert.deepEqual(parseVersionOutput("gobex 1.4\n"), { major: 1, minor: 4, patch: 0, text: "1.4" });
    assert.deepEqual(parseVersionOutput("gobex 0.2.0.dev3+g1a2b\n"), { major: 0, minor: 2, patch: 0, text: "0.2.0.dev3+g1a2b" });
  });

  it("finds the line among warnings printed before it", () => {
    assert.equal(parseVersionOutput("DeprecationWarning: x\ngobex 2.0.1\n")?.text, "2.0.1");
  });

  it("rejects other programs' versions", () => {
    assert.equal(parseVersionOutput("golangci-lint has version 1.59.0"), undefined);
    assert.equal(parseVersionOutput("Python 3.11.2"), undefined);
    assert.equal(parseVersionOutput(""), undefined);
  });
});

describe("version order", () => {
  const v = (text: string) => parseVersion(text)!;

  it("compares numerically, part by part", () => {
    assert.ok(compareVersions(v("0.10.0"), v("0.9.9")) > 0);
    assert.ok(compareVersions(v("1.0.0"), v("0.99.99")) > 0);
    assert.equal(compareVersions(v("0.2"), v("0.2.0")), 0);
  });

  it("flags servers older than the extension expects", () => {
    assert.equal(isOlder(v("0.0.9"), "0.1.0"), true);
    assert.equal(isOlder(v("0.1.0"), "0.1.0"), false);
    assert.equal(isOlder(v("0.2.0"), "0.1.0"), false);
    assert.equal(isOlder(v(MIN_SERVER_VERSION)), false);
    assert.throws(() => isOlder(v("1.0.0"), "latest"), /not a version/);
  });
});
