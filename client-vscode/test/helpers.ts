// Shared by the tests: the manifest's settings and a fake settings reader.

import * as fs from "node:fs";
import * as path from "node:path";
import type { SettingsReader } from "../src/settings";

/** A reader over explicitly set values; everything else reads as the manifest default, unset. */
export function reader(set: Record<string, unknown>): SettingsReader {
  return (key) => (key in set ? { value: set[key], set: true } : { value: defaults[key], set: false });
}

export const root = path.resolve(__dirname, "..", "..");
export const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
  contributes: { configuration: { properties: Record<string, { default: unknown }> }; commands: Array<{ command: string }> };
};
const properties = manifest.contributes.configuration.properties;
export const defaults: Record<string, unknown> = Object.fromEntries(
  Object.entries(properties).map(([name, spec]) => [name.slice("gobex.".length), spec.default]),
);

export const everything = {
  enable: false,
  path: "/opt/gobex",
  interpreter: "/usr/bin/python3",
  args: ["--log-file", "/tmp/x.log"],
  select: ["PG", "unclosed-rows"],
  ignore: ["IDM001"],
  severity: { ERR001: "info", CON: "warning" },
  "lint.run": "onSave",
  workspaceScan: false,
  logLevel: "debug",
  "trace.server": "verbose",
};

