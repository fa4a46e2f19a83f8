// Every page of the built sample portal in chromium: it loads with no console error, no uncaught
// exception and no failed or 4xx/5xx request; at phone width (375 px) nothing scrolls
// sideways; and the main navigation leads from the home page to every kind and its documents.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { htmlPaths, launch, sampleSite, serveStatic, watchPage } from "./helpers.mjs";

const PHONE = { width: 375, height: 740 };
const TABS = 4;

let portal, server, browser;
// Filled by the walk in before(): path -> { problems, overflow } seen at phone width.
const walked = new Map();

/** Loads `path` and returns what went wrong and how far the page scrolls sideways (0 when the
 *  page fits). Waits for the network to go quiet so late requests (search.js) are counted. */
async function visit(page, watch, path) {
  watch.clear();
  await page.goto(server.base + path.slice(1), { waitUntil: "networkidle" });
  const overflow = await page.evaluate(() => {
    const s = document.scrollingElement;
    return s.scrollWidth - s.clientWidth;
  });
  return { problems: watch.problems(), overflow };
}

before(async () => {
  portal = sampleSite();
  server = await serveStatic(portal.site);
  browser = await launch();
  const context = await browser.newContext({ viewport: PHONE });
  const queue = htmlPaths(portal.site);
  assert.ok(queue.length > 100, `the sample portal has only ${queue.length} pages`);
  await Promise.all(Array.from({ length: TABS }, async () => {
    const page = await context.newPage();
    const watch = watchPage(page);
    for (let path; (path = queue.shift()) !== undefined;) walked.set(path, await visit(page, watch, path));
    await page.close();
  }));
  await context.close();
});

after(async () => {
  await browser?.close();
  await server?.close();
  portal?.cleanup();
});

test("every page loads with no console error, exception or failed request", () => {
  const bad = [...walked].filter(([, r]) => r.problems.length)
    .map(([path, r]) => `${path}\n    ${r.problems.join("\n    ")}`);
  assert.deepEqual(bad, [], `${bad.length} of ${walked.size} pages report problems`);
});

test("no page scrolls sideways at 375 px", () => {
  const wide = [...walked].filter(([, r]) => r.overflow > 0).map(([path, r]) => `${path} (+${r.overflow} px)`);
  assert.deepEqual(wide, [], `${wide.length} of ${walked.size} pages are wider than a phone`);
});

// From the home page, each kind's index through the main navigation, then one of its documents:
// [nav link, index path, documents' paths, the nav link marked current on the document].
const routes = [
  ["Teams", "/teams/", /^\/teams\/[^/]+\/$/, "/teams/"],
  ["Services", "/services/", /^\/services\/[^/]+\/$/, "/services/"],
  ["SLOs", "/slos/", /^\/slos\/[^/]+\/$/, "/slos/"],
  ["Postmortems", "/postmortems/", /^\/postmortems\/\d{4}-\d\d-\d\d-[^/]+\/$/, "/postmortems/"],
  ["Sessions", "/sessions/", /^\/sessions\/[^/]+\/$/, "/sessions/"],
  ["Culture", "/culture/", /^\/assessments\/[^/]+\/$/, null],
  ["Ladder", "/ladder/", /^\/teams\/[^/]+\/$/, "/teams/"],
];

test("the main navigation reaches every kind's index, and each index one of its documents", async () => {
  const page = await browser.newPage();
  const watch = watchPage(page);
  const nav = page.locator('header nav[aria-label="Main"]');
  for (const [name, index, docs, current] of routes) {
    await page.goto(server.base);
    await nav.getByRole("link", { name, exact: true }).click();
    await page.waitForURL(server.base + index.slice(1));
    assert.equal(await nav.locator(`a[href="${index}"]`).getAttribute("aria-current"), "page", `${index}: nav link not current`);
    assert.ok(await page.locator("main h1").isVisible(), `${index} has no heading`);
    const hrefs = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const target = hrefs.find((h) => docs.test(h));
    assert.ok(target, `${index} links to none of its documents (${docs})`);
    const link = page.locator(`main a[href="${target}"]`).first();
    const text = (await link.textContent()).trim();
    await link.click();
    await page.waitForURL(server.base + target.slice(1));
    const h1 = (await page.locator("main h1").textContent()).trim();
    assert.ok(h1.length > 0, `${target} has no heading`);
    assert.ok(h1.includes(text), `${target}: the link "${text}" led to "${h1}"`);
    if (current) {
      assert.equal(await nav.locator(`a[href="${current}"]`).getAttribute("aria-current"), "true",
        `${target}: the ${current} nav link is not marked as where the reader is`);
    }
  }
  // Free pages are linked from the navigation themselves.
  await page.goto(server.base);
  const pageLinks = await nav.locator('a[href^="/pages/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(pageLinks.length > 0, "the main navigation links no page");
  await nav.locator(`a[href="${pageLinks[0]}"]`).click();
  await page.waitForURL(server.base + pageLinks[0].slice(1));
  assert.equal(await nav.locator(`a[href="${pageLinks[0]}"]`).getAttribute("aria-current"), "page");
  assert.deepEqual(watch.problems(), []);
  await page.close();
});

test("at 375 px the culture tables of team cards and team pages fit without scrolling", async () => {
  const page = await browser.newPage({ viewport: PHONE });
  for (const path of ["/culture/", "/teams/identity/", "/teams/care-journeys/"]) {
    await page.goto(server.base + path.slice(1));
    const wide = await page.locator(".table-wrap:has(table.history), .table-wrap:has(table.compact)")
      .evaluateAll((ws) => ws.filter((w) => w.scrollWidth > w.clientWidth)
        .map((w) => `${w.querySelector("caption").textContent}: ${w.scrollWidth} > ${w.clientWidth}`));
    assert.deepEqual(wide, [], path);
  }
  await page.close();
});
