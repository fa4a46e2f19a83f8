// Search in the browser: the header's search box, the /search/?q= page and the no-JavaScript
// fallback, over the built sample portal (Pagefind loads its index over http, not file://),
// served with the Content-Security-Policy the README recommends (Pagefind needs
// 'wasm-unsafe-eval', the header's search form form-action 'self').
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { abortedByLeaving, launch, sampleSite, serveStatic, watchPage } from "./helpers.mjs";

let portal, server, base, browser;

before(async () => {
  portal = sampleSite();
  server = await serveStatic(portal.site);
  base = server.base;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  portal?.cleanup();
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

test("pressing Enter in the header's search box opens the search page with the query", async () => {
  const page = await browser.newPage();
  const watch = watchPage(page);
  await page.goto(base);
  const box = page.locator("header input[type=search]");
  await box.fill("retry");
  await box.press("Enter");
  await page.waitForURL(/\/search\/\?q=retry$/);
  await page.locator("main .search-result").first().waitFor({ timeout: 15000 });
  // Search-as-you-type may still be loading index fragments on the page it leaves.
  assert.deepEqual(watch.problems().filter((p) => !abortedByLeaving(p)), []);
  await page.close();
});
