// Server versions: what `gobex --version` prints, and whether it is new enough.

/** The oldest server this extension works with: the settings, commands and
 * code actions it relies on first shipped in gobex 0.1.0. */
export const MIN_SERVER_VERSION = "0.1.0";

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** As printed, e.g. `0.2.0.dev3`. */
  readonly text: string;
}

const VERSION_LINE = /^gobex\s+v?((\d+)\.(\d+)(?:\.(\d+))?\S*)\s*$/m;
const BARE_VERSION = /^v?((\d+)\.(\d+)(?:\.(\d+))?\S*)$/;

/** The version in `gobex --version` output (`gobex 0.1.0`); undefined when the
 * output is not gobex's. */
export function parseVersionOutput(output: string): Version | undefined {
  const match = VERSION_LINE.exec(output);
  return match ? fromMatch(match) : undefined;
}

/** `0.1.0` -> Version; undefined when it is not a version. */
export function parseVersion(text: string): Version | undefined {
  const match = BARE_VERSION.exec(text.trim());
  return match ? fromMatch(match) : undefined;
}

function fromMatch(match: RegExpExecArray): Version {
  return {
    text: match[1] ?? "",
    major: Number(match[2]),
    minor: Number(match[3]),
    patch: Number(match[4] ?? "0"),
  };
}

/** Negative, zero or positive as `a` is older than, the same as, or newer than `b`
 * (release numbers only: `0.2.0.dev1` counts as `0.2.0`). */
export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** True when `found` is older than `minimum`. */
export function isOlder(found: Version, minimum: string = MIN_SERVER_VERSION): boolean {
  const wanted = parseVersion(minimum);
  if (wanted === undefined) {
    throw new Error(`not a version: ${minimum}`);
  }
  return compareVersions(found, wanted) < 0;
}
