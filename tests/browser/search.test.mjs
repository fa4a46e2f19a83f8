// Search in the browser: the header's search box, the /search/?q= page and the no-JavaScript
// fallback, over the built sample portal (Pagefind loads its index over http, not file://),
// served with the Content-Security-Policy the README recommends (Pagefind needs
// 'wasm-unsafe-eval', the header's search form form-action 'self'). The portal is built with a
// small SITREP_SEARCH_SHARD_DOCS (helpers.mjs), so its index is split into several shards.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
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

/** The records of one shard of the built index (its folder below pagefind/, "" for the first):
 *  each fragment unzipped, as Pagefind's JSON. */
function shardRecords(dir) {
  const folder = join(portal.site, "pagefind", dir, "fragment");
  return readdirSync(folder).sort().map((f) =>
    JSON.parse(gunzipSync(readFileSync(join(folder, f))).toString("utf8").replace(/^pagefind_dcd/, "")));
}

test("search finds documents in every shard of the index, with filters merged across shards", async () => {
  const { shards } = JSON.parse(readFileSync(join(portal.site, "pagefind/shards.json"), "utf8"));
  assert.ok(shards.length >= 2, `the index is split (${shards.length + 1} shards)`);
  const all = ["", ...shards].flatMap(shardRecords);
  // A document that lives in a shard other than the first.
  const dir = shards[shards.length - 1];
  const doc = shardRecords(dir)[0];
  const page = await browser.newPage();
  const watch = watchPage(page);
  const fetched = [];
  page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(base + "search/?q=" + encodeURIComponent(doc.meta.title));
  const hit = page.locator(`main .search-result a[href="${doc.url}"]`);
  await hit.waitFor({ timeout: 15000 });
  assert.equal((await hit.textContent()).trim(), doc.meta.title);
  assert.equal(await hit.evaluate((a) => a.closest(".search-result").dataset.kind), doc.meta.kind);
  // Every other shard was merged: its entry was fetched, and no shard loads its own WebAssembly.
  for (const d of shards) assert.ok(fetched.includes(`/pagefind/${d}pagefind-entry.json`), `${d} merged`);
  assert.ok(!fetched.some((p) => /\/shard-\d+\/wasm\./.test(p)), "merged shards share the first's WebAssembly");

  // Filters count documents of all shards, and a filtered search reaches into every shard.
  const kinds = {};
  for (const r of all) for (const k of r.filters.kind) kinds[k] = (kinds[k] || 0) + 1;
  const [counted, byKind, byOtherKind, byTag] = await page.evaluate(async ([q, kind, tag]) => {
    const pf = await import("/pagefind/pagefind.js");
    const urls = async (s) => Promise.all(s.results.map((r) => r.data().then((d) => d.url)));
    const other = kind === "team" ? "page" : "team";
    return [
      (await pf.filters()).kind,
      await urls(await pf.search(q, { filters: { kind } })),
      await urls(await pf.search(q, { filters: { kind: other } })),
      tag ? await urls(await pf.search(null, { filters: { tag } })) : null,
    ];
  }, [doc.meta.title, doc.meta.kind, doc.filters.tag?.[0]]);
  assert.deepEqual(counted, kinds);
  assert.ok(byKind.includes(doc.url), `${doc.url} found with kind ${doc.meta.kind}`);
  assert.ok(!byOtherKind.includes(doc.url));
  if (byTag) {
    const tagged = all.filter((r) => r.filters.tag?.includes(doc.filters.tag[0])).map((r) => r.url).sort();
    assert.deepEqual(byTag.sort(), tagged, "a tag filter lists the tagged documents of every shard");
  }
  assert.deepEqual(watch.problems(), []);
  await page.close();
});
