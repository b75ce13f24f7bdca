// Drives a running code-server (with the gobex extension installed) through
// headless Chromium and reports what a user would see, as JSON. It waits for
// what the scenario expects but asserts nothing itself: tests/test_vscode.py
// starts code-server, runs this script and checks the report.
//
// Environment:
//   GOBEX_E2E_URL        the workbench URL, with ?folder=...
//   GOBEX_E2E_SPEC       JSON: the scenario and what to wait for (see test_vscode.py)
//   GOBEX_E2E_ARTIFACTS  directory for screenshots
//   GOBEX_E2E_REPORT     file the JSON report is written to
//   CHROMIUM             the browser (default /usr/bin/chromium)
//
// Selectors and key sequences follow VS Code 1.100 (code-server 4.100.3).

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const url = need("GOBEX_E2E_URL");
const spec = JSON.parse(need("GOBEX_E2E_SPEC"));
const artifacts = need("GOBEX_E2E_ARTIFACTS");
const reportFile = need("GOBEX_E2E_REPORT");
const WAIT = spec.timeoutMs ?? 90_000;

function need(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`e2e.mjs: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

const started = Date.now();
const report = { scenario: spec.scenario, steps: [], screenshots: [], timings: {} };
const mark = (step) => {
  report.timings[step] = Date.now() - started;
  report.steps.push(step);
  console.error(`e2e: ${step} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
};

fs.mkdirSync(artifacts, { recursive: true });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "gobex-e2e-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  viewport: { width: 1400, height: 900 },
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const page = context.pages()[0] ?? (await context.newPage());

async function shot(name) {
  const file = path.join(artifacts, `${spec.scenario}-${name}.png`);
  await page.screenshot({ path: file });
  report.screenshots.push(file);
}

let failed;
try {
  await page.goto(url);
  await page.locator(".monaco-workbench").waitFor({ timeout: WAIT });
  mark("workbench");
  if (spec.scenario === "review") {
    await review();
  } else if (spec.scenario === "notFound") {
    await notFound();
  } else if (spec.scenario === "oldServer") {
    await oldServer();
  } else {
    throw new Error(`unknown scenario ${spec.scenario}`);
  }
} catch (error) {
  failed = error;
  report.error = String(error?.stack ?? error);
  // What the page showed when it failed, for the test's message.
  report.seen = {
    problems: await problems().catch((e) => String(e)),
    squiggles: await squiggles().catch((e) => String(e)),
    problemRows: await page
      .locator(".markers-panel .monaco-list-row")
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute("aria-label"), r.textContent]))
      .catch((e) => String(e)),
  };
  await shot("failure").catch(() => undefined);
} finally {
  report.timings.total = Date.now() - started;
  fs.writeFileSync(reportFile, JSON.stringify(report, null, 2));
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

// -- scenarios -------------------------------------------------------------------------

/** gobex on PATH: diagnostics, Problems, hover, a quick fix, the rule page. */
async function review() {
  report.status = await statusLabel(/gobex: (ready|server not found|failed|stopped)/);
  mark("status");
  await openFile(spec.file);
  mark("opened");

  await until(async () => (await squiggles()).length >= spec.squiggles, "squiggles");
  report.squiggles = await squiggles();
  mark("squiggles");

  await page.keyboard.press("Control+Shift+M");
  await until(async () => hasAll(await problems(), spec.problems), "Problems entries");
  report.problems = await problems();
  mark("problems");
  await shot("1-diagnostics");

  // Hover: put the cursor inside the flagged range, then move the mouse onto it.
  await goTo(spec.hover.line, spec.hover.column);
  const cursor = await page.locator(".monaco-editor.focused .cursors-layer .cursor").first().boundingBox();
  if (cursor === null) {
    throw new Error("no editor cursor");
  }
  await page.mouse.move(cursor.x + 2, cursor.y + cursor.height / 2);
  const hover = page.locator(".monaco-hover:visible").filter({ hasText: spec.hover.code });
  await hover.first().waitFor({ timeout: WAIT });
  report.hover = await hover.first().innerText();
  mark("hover");
  await shot("2-hover");
  await page.mouse.move(5, 450);
  await page.keyboard.press("Escape");

  // Quick fix through the light bulb menu (Ctrl+.), chosen with the keyboard.
  await goTo(spec.fix.line, spec.fix.column);
  await page.keyboard.press("Control+.");
  const menu = page.locator(".action-widget");
  await menu.waitFor({ state: "visible", timeout: WAIT });
  await until(async () => (await menu.locator(".monaco-list-row").count()) > 0, "quick fix menu rows");
  report.quickFixes = await menu.locator(".monaco-list-row").evaluateAll((rows) =>
    rows.map((r) => (r.getAttribute("aria-label") || r.textContent || "").trim()),
  );
  mark("quick fix menu");
  await shot("3-quickfix");
  await chooseFocused(menu, spec.fix.title);
  await until(async () => (await lineText(spec.fix.editedLine)) === spec.fix.expectedText, `line ${spec.fix.editedLine} to read ${JSON.stringify(spec.fix.expectedText)}`);
  report.editedLine = await lineText(spec.fix.editedLine);
  mark("fixed");
  await until(async () => hasAll(await problems(), spec.problemsAfterFix) && !hasAny(await problems(), spec.goneAfterFix), "Problems after the fix");
  report.problemsAfterFix = await problems();
  await page.keyboard.press("Control+S");
  await until(async () => (await page.locator(".tabs-container .tab.dirty").count()) === 0, "the file to be saved");
  mark("saved");
  await shot("4-fixed");

  // The rule page from the command palette.
  await runCommand("gobex: Explain Rule");
  const picker = page.locator(".quick-input-widget");
  await until(async () => (await picker.locator(".monaco-list-row").count()) > 1, "the rule list");
  report.ruleList = await picker.locator(".monaco-list-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("aria-label") || ""));
  await picker.locator("input").fill(spec.explain.code);
  await page.waitForTimeout(300);
  await page.keyboard.press("Enter");
  const tab = page.locator(".tabs-container .tab").filter({ hasText: spec.explain.title });
  await tab.first().waitFor({ timeout: WAIT });
  report.explainTab = (await tab.first().innerText()).trim();
  mark("explain");
  await page.waitForTimeout(500);
  await shot("5-explain");

  // "gobex: Fix All" on a file that was only linted by the workspace scan so far.
  await openFile(spec.fixAll.file);
  await runCommand("gobex: Fix All");
  await until(async () => (await lineText(spec.fixAll.editedLine)) === spec.fixAll.expectedText, `line ${spec.fixAll.editedLine} to read ${JSON.stringify(spec.fixAll.expectedText)}`);
  report.fixAllLine = await lineText(spec.fixAll.editedLine);
  await page.keyboard.press("Control+S");
  await until(async () => (await page.locator(".tabs-container .tab.dirty").count()) === 0, "the file to be saved");
  mark("fix all");
  await shot("6-fix-all");

  // A setting changed in settings.json reaches the running server (no restart).
  // Edited as a user does: Preferences: Open User Settings (JSON), replace, save.
  const settings = { ...spec.settingsChange.before, ...spec.settingsChange.add };
  await runCommand("Preferences: Open User Settings (JSON)");
  await page.locator(".tabs-container .tab.active").filter({ hasText: "settings.json" }).waitFor({ timeout: WAIT });
  await page.locator(".monaco-editor.focused").waitFor({ timeout: WAIT });
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  // One line: the editor's auto-indent and auto-closed braces would mangle several.
  await page.keyboard.insertText(JSON.stringify(settings));
  await page.keyboard.press("Control+S");
  await until(async () => (await page.locator(".tabs-container .tab.dirty").count()) === 0, "settings.json to be saved");
  const empty = page.locator(".markers-panel").filter({ hasText: "No problems have been detected in the workspace" });
  await until(async () => (await empty.count()) > 0, "the settings change to empty the Problems panel");
  report.problemsAfterSettings = await problems();
  // The server re-lints the workspace for the new settings ("linting the workspace:
  // 1/2 files"): wait for that to end, in whichever state it ends.
  report.statusAfterSettings = await statusLabel(/^gobex: (ready|failed|stopped|server not found|disabled)/);
  mark("settings pushed");
  await shot("7-settings");
}

/** No gobex anywhere: one notification with its buttons, and the status item. */
async function notFound() {
  report.status = await statusLabel(/gobex: (ready|server not found|failed|stopped)/);
  mark("status");
  const toast = page.locator(".notification-toast").filter({ hasText: "gobex server not found" });
  await toast.first().waitFor({ timeout: WAIT });
  report.notification = (await toast.first().locator(".notification-list-item-message").innerText()).trim();
  report.buttons = await toast.first().locator(".monaco-button").evaluateAll((buttons) => buttons.map((b) => (b.textContent || "").trim()));
  report.notifications = await page.locator(".notification-toast").count();
  mark("notification");
  await shot("1-not-found");
  await toast.first().locator(".monaco-button", { hasText: "Set gobex.path" }).click();
  const setting = page.locator(".settings-editor .setting-item-contents").filter({ hasText: "Path to a" });
  await setting.first().waitFor({ timeout: WAIT });
  report.settingShown = (await setting.first().locator(".setting-item-title").innerText()).replace(/\s+/g, " ").trim();
  mark("settings");
  await shot("2-settings");
}

/** A gobex older than the extension expects: a warning, and the server still works. */
async function oldServer() {
  report.status = await statusLabel(/gobex: (ready|server not found|failed|stopped)/);
  mark("status");
  const toast = page.locator(".notification-toast").filter({ hasText: "is older than this extension expects" });
  await toast.first().waitFor({ timeout: WAIT });
  report.notification = (await toast.first().locator(".notification-list-item-message").innerText()).trim();
  report.buttons = await toast.first().locator(".monaco-button").evaluateAll((buttons) => buttons.map((b) => (b.textContent || "").trim()));
  mark("notification");
  await shot("1-warning");
  await openFile(spec.file);
  await until(async () => (await squiggles()).length >= 2, "squiggles");
  report.squiggles = await squiggles();
  mark("squiggles");
  await shot("2-diagnostics");
}

// -- helpers ---------------------------------------------------------------------------

async function until(check, what, timeout = WAIT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check().catch(() => false)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await page.waitForTimeout(250);
  }
}

async function statusLabel(pattern) {
  const item = page.locator(".statusbar-item").filter({ has: page.locator(`[aria-label^="gobex:"]`) });
  const direct = page.locator('.statusbar-item[aria-label^="gobex:"], .statusbar-item [aria-label^="gobex:"]');
  let label = "";
  await until(async () => {
    const found = (await direct.count()) > 0 ? direct.first() : item.first();
    label = (await found.getAttribute("aria-label")) ?? "";
    return pattern.test(label);
  }, `the gobex status item to match ${pattern}`);
  return label;
}

async function openFile(relative) {
  if ((await page.locator(".monaco-editor.focused").count()) === 0) {
    await page.locator(".monaco-workbench .part.editor").click({ position: { x: 200, y: 200 } });
  }
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ timeout: WAIT });
  await input.fill(relative);
  // Rows of an earlier quick pick may linger: wait for this file's.
  const row = page.locator(".quick-input-widget .monaco-list-row").filter({ hasText: path.basename(relative) });
  await until(async () => (await row.count()) > 0, `quick open to list ${relative}`);
  await page.keyboard.press("Enter");
  await page.locator(".tabs-container .tab.active").filter({ hasText: path.basename(relative) }).waitFor({ timeout: WAIT });
  await page.locator(".monaco-editor.focused").waitFor({ timeout: WAIT });
}

async function runCommand(title) {
  await page.keyboard.press("Control+Shift+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ timeout: WAIT });
  await input.fill(`>${title}`);
  await until(async () => (await page.locator(".quick-input-widget .monaco-list-row").filter({ hasText: title }).count()) > 0, `command ${title}`);
  await page.keyboard.press("Enter");
}

/** Ctrl+G, then `:line:column` (the input keeps the leading colon). */
async function goTo(line, column) {
  if ((await page.locator(".monaco-editor.focused").count()) === 0) {
    const box = await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().boundingBox();
    await page.mouse.click(box.x + 5, box.y + 5);
  }
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ timeout: WAIT });
  await input.fill(`:${line}:${column}`);
  await page.waitForTimeout(200);
  await page.keyboard.press("Enter");
  await until(async () => {
    const text = await page.locator("#status\\.editor\\.selection, [id='status.editor.selection']").first().innerText();
    // The status bar counts a tab as its width, so only the line is compared.
    return text.includes(`Ln ${line},`);
  }, `the cursor on line ${line}`);
}

/** Move the menu's focus down to the row whose label contains `title`, then Enter
 * (clicks on the action widget are swallowed by the editor). */
async function chooseFocused(menu, title) {
  const rows = menu.locator(".monaco-list-row");
  for (let step = 0; step < 30; step += 1) {
    const focused = menu.locator(".monaco-list-row.focused");
    if ((await focused.count()) > 0) {
      const label = (await focused.first().getAttribute("aria-label")) || (await focused.first().textContent()) || "";
      if (label.includes(title)) {
        await page.keyboard.press("Enter");
        return;
      }
    }
    await page.keyboard.press("ArrowDown");
    await page.waitForTimeout(100);
  }
  const labels = await rows.evaluateAll((all) => all.map((r) => r.getAttribute("aria-label") || r.textContent));
  throw new Error(`no quick fix titled ${JSON.stringify(title)} in ${JSON.stringify(labels)}`);
}

/** Squiggles of the active editor with the line number beside them. */
async function squiggles() {
  return page.evaluate(() => {
    const editor = document.querySelector(".editor-group-container.active .monaco-editor");
    if (!editor) {
      return [];
    }
    const numbers = [...editor.querySelectorAll(".margin-view-overlays .line-numbers")].map((n) => {
      const box = n.getBoundingClientRect();
      return { line: Number(n.textContent), top: box.top, bottom: box.bottom };
    });
    return [...editor.querySelectorAll('.view-overlays [class*="squiggly-"]')].map((s) => {
      const box = s.getBoundingClientRect();
      const middle = (box.top + box.bottom) / 2;
      const row = numbers.find((n) => n.top <= middle && middle < n.bottom);
      const kind = [...s.classList].find((c) => c.startsWith("squiggly-")) ?? "";
      return { kind: kind.replace("squiggly-", ""), line: row ? row.line : null };
    });
  });
}

/** The text of one line of the active editor, read from the rendered view. */
async function lineText(line) {
  return page.evaluate((wanted) => {
    const editor = document.querySelector(".editor-group-container.active .monaco-editor");
    if (!editor) {
      return null;
    }
    const number = [...editor.querySelectorAll(".margin-view-overlays .line-numbers")].find((n) => Number(n.textContent) === wanted);
    if (!number) {
      return null;
    }
    const top = number.getBoundingClientRect().top;
    const view = [...editor.querySelectorAll(".view-lines .view-line")].find((v) => Math.abs(v.getBoundingClientRect().top - top) < 2);
    return view ? view.textContent.replace(/\u00a0/g, " ").trim() : null;
  }, line);
}

/** The Problems panel's entries: file rows give the file of the marker rows below them. */
async function problems() {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll(".markers-panel .monaco-list-row")];
    rows.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    const found = [];
    let file = null;
    for (const row of rows) {
      const label = row.getAttribute("aria-label") || "";
      const text = (row.textContent || "").replace(/\s+/g, " ");
      const header = /problems? in file (\S+) of folder (\S+)/.exec(label);
      if (header) {
        file = `${header[2]}/${header[1]}`;
        continue;
      }
      // "<message>gobexPG001[Ln 24, Col 15]": the parentheses are drawn by CSS.
      const marker = /([A-Z]{2,4}\d{3})\)?\s*\[Ln (\d+), Col (\d+)\]/.exec(text);
      const severity = /^(Error|Warning|Info)/.exec(label);
      if (marker) {
        found.push({
          file,
          code: marker[1],
          line: Number(marker[2]),
          column: Number(marker[3]),
          severity: severity ? severity[1].toLowerCase() : null,
          message: label.replace(/^(Error|Warning|Info): /, "").replace(/ at line \d+ and character \d+\..*$/, ""),
          source: /generated by (\S+)/.exec(label)?.[1] ?? null,
        });
      }
    }
    return found;
  });
}

function matches(entry, want) {
  return Object.entries(want).every(([key, value]) => entry[key] === value);
}

function hasAll(found, wanted) {
  return wanted.every((want) => found.some((entry) => matches(entry, want)));
}

function hasAny(found, unwanted) {
  return unwanted.some((want) => found.some((entry) => matches(entry, want)));
}
