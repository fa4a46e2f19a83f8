// `sitrep serve` in a real browser (issue 8): over a temporary copy of the small fixture portal,
// an open page reloads itself when its markdown is saved, shows the error overlay with
// file:line:column when the file is broken, and drops it when the file is fixed. The test never
// reloads the page itself: the page's own script (/__sitrep/live.js) has to.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { abortedByLeaving, launch, repo, sitrepCommand, watchPage } from "./helpers.mjs";

// Generous: a rebuild of the small portal takes well under a second, but CI machines are shared.
const REBUILD = { timeout: 30000 };

let dir, serve, base, browser;
let output = "";

/** Starts `sitrep serve --port 0` (the OS picks a free port) and resolves to the URL it prints. */
function startServe(root) {
  const [cmd, args] = sitrepCommand(["serve", "--root", root, "--port", "0"]);
  serve = spawn(cmd, args, { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  serve.stderr.on("data", (d) => { output += d; });
  return new Promise((ok, fail) => {
    const lines = createInterface({ input: serve.stdout });
    lines.on("line", (line) => {
      output += line + "\n";
      const m = line.match(/serving (http:\/\/\S+)/);
      if (m) ok(m[1]);
    });
    serve.on("exit", (code) => fail(new Error(`sitrep serve exited with ${code}:\n${output}`)));
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "sitrep-serve-"));
  cpSync(join(repo, "tests/fixtures/small"), dir, { recursive: true });
  base = await startServe(dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  serve?.kill("SIGINT");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("an open page reloads on save, shows the error overlay with file:line, and recovers", async () => {
  const file = join(dir, "content/pages/budget-policy.md");
  const original = readFileSync(file, "utf8");
  const page = await browser.newPage();
  const watch = watchPage(page);
  let loads = 0;
  page.on("load", () => { loads += 1; });
  // The page is connected to the reload channel before anything changes.
  const connected = page.waitForResponse((r) => r.url().endsWith("/__sitrep/events"), REBUILD);
  await page.goto(base + "pages/budget-policy/");
  await page.getByText("When the budget is spent, reliability work comes first.").waitFor();
  await connected;
  assert.equal(loads, 1);

  // 1. Save new text: the page reloads by itself and shows it. The new text can be in the
  // document before its load event fires, so the test waits for that event, not the text.
  const reloaded = page.waitForEvent("load", REBUILD);
  writeFileSync(file, original.replace("reliability work comes first", "the release train stops at once"));
  await reloaded;
  await page.getByText("When the budget is spent, the release train stops at once.").waitFor(REBUILD);
  assert.ok(loads >= 2, "the page was not reloaded");
  const loadsBeforeError = loads;

  // 2. Break the front matter: the last good page stays, under an overlay naming file:line:column.
  writeFileSync(file, original.replace("weight: 1", "weight: heavy"));
  const overlay = page.locator("#sitrep-error-overlay");
  await overlay.waitFor({ state: "visible", ...REBUILD });
  const text = await overlay.textContent();
  assert.match(text, /content\/pages\/budget-policy\.md:4:9/, text);
  assert.match(text, /weight/, text);
  assert.equal(await page.getByRole("alertdialog").count(), 1);
  assert.equal(loads, loadsBeforeError, "a failed build must not reload the page");
  assert.ok(await page.getByText("the release train stops at once").isVisible(), "the last good page is kept");

  // 3. Fix it: the overlay goes and the page shows the fixed text.
  writeFileSync(file, original.replace("reliability work comes first", "the pager wins"));
  await page.getByText("When the budget is spent, the pager wins.").waitFor(REBUILD);
  await overlay.waitFor({ state: "detached", ...REBUILD });
  // Each reload closes the event stream of the page it leaves: that abort is expected.
  assert.deepEqual(watch.problems().filter((p) => !abortedByLeaving(p)), []);
  await page.close();
});

test("a page opened while the build is broken shows the overlay at once, and reloads when fixed", async () => {
  const file = join(dir, "content/teams/ops.md");
  const original = readFileSync(file, "utf8");
  writeFileSync(file, original.replace(/^title: .*$/m, "title: [unclosed"));
  const page = await browser.newPage();
  // Poll the server-rendered overlay: the error reaches the server after the rebuild.
  await assert.doesNotReject(async () => {
    const deadline = Date.now() + REBUILD.timeout;
    for (;;) {
      await page.goto(base + "teams/ops/");
      if (await page.locator("#sitrep-error-overlay").count()) break;
      if (Date.now() > deadline) throw new Error(`no overlay:\n${output}`);
      await page.waitForTimeout(200);
    }
  });
  assert.match(await page.locator("#sitrep-error-overlay").textContent(), /content\/teams\/ops\.md:\d+:\d+/);
  writeFileSync(file, original);
  await page.locator("#sitrep-error-overlay").waitFor({ state: "detached", ...REBUILD });
  assert.ok(await page.locator("main h1").isVisible());
  await page.close();
});
