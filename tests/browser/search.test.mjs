// Browser test: builds the sample portal, serves it on loopback (Pagefind loads its index over
// http, not file://), and searches it in Debian's chromium driven by playwright-core.
//   cd tests/browser && npm ci && npm test
// SITREP_BIN may name a built sitrep binary; otherwise `cargo run --release` builds one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, statSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const repo = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".xml": "application/xml", ".ics": "text/calendar",
};
let out, server, base, browser;

function buildPortal() {
  out = mkdtempSync(join(tmpdir(), "sitrep-browser-"));
  const site = join(out, "public");
  const bin = process.env.SITREP_BIN;
  const [cmd, args] = bin
    ? [bin, ["build", "--root", repo, "--output", site]]
    : ["cargo", ["run", "--quiet", "--release", "--", "build", "--root", repo, "--output", site]];
  const r = spawnSync(cmd, args, { cwd: repo, encoding: "utf8" });
  assert.equal(r.status, 0, `build failed:\n${r.stdout}\n${r.stderr}`);
  return site;
}

function serve(root) {
  return new Promise((ok) => {
    server = createServer((req, res) => {
      let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
      let file = join(root, path);
      if (!file.startsWith(root)) return res.writeHead(403).end();
      try {
        if (statSync(file).isDirectory()) file = join(file, "index.html");
        const body = readFileSync(file);
        res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
        res.end(body);
      } catch {
        res.writeHead(404, { "content-type": types[".html"] }).end(readFileSync(join(root, "404.html")));
      }
    });
    server.listen(0, "127.0.0.1", () => ok(`http://127.0.0.1:${server.address().port}/`));
  });
}

before(async () => {
  base = await serve(buildPortal());
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
      "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

test("typing in the header's search box shows matching documents with their kind", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base);
  const box = page.locator("header input[type=search]");
  await box.waitFor({ state: "visible" });
  await box.fill("switchover");
  const results = page.locator("header .search-result");
  await results.first().waitFor({ timeout: 15000 });
  const pm = page.locator('header .search-result[data-kind="postmortem"]', { hasText: "Login errors during planned PostgreSQL switchover" });
  await pm.waitFor();
  assert.equal((await pm.locator(".kind").textContent()).trim(), "Postmortems");
  assert.match(await pm.locator("a").getAttribute("href"), /^\/postmortems\/2025-03-11-keycloak-db-failover\/$/);
  const session = page.locator('header .search-result[data-kind="session"]', { hasText: "Keycloak under load" });
  await session.waitFor();
  assert.match(await session.locator(".search-excerpt").innerHTML(), /<mark>switchover<\/mark>/i);
  await pm.locator("a").click();
  await page.waitForURL(/keycloak-db-failover/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the search page runs the query from the address", async () => {
  const page = await browser.newPage();
  await page.goto(base + "search/?q=retry");
  const result = page.locator("main .search-result").first();
  await result.waitFor({ timeout: 15000 });
  assert.ok((await page.locator("main .search-count").textContent()).includes("retry"));
  await page.close();
});

test("without JavaScript the page links to the indexes instead", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(base);
  assert.equal(await page.locator("header form[role=search]").isVisible(), false);
  const fallback = page.locator("header a.search-fallback");
  assert.equal(await fallback.isVisible(), true);
  await fallback.click();
  await page.waitForURL(/\/search\/$/);
  assert.ok(await page.locator('main a[href="/postmortems/"]').isVisible());
  await context.close();
});
