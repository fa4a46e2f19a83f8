// Accessibility: axe-core (through @axe-core/playwright) finds no serious or critical violation
// on a page of every kind of the sample portal, in light and in dark mode, at desktop and phone
// width. No rule is disabled or excluded: a finding is fixed in the theme.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { launch, pagesOfEachKind, sampleSite, serveStatic } from "./helpers.mjs";

let portal, server, browser;

before(async () => {
  portal = sampleSite();
  server = await serveStatic(portal.site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  portal?.cleanup();
});

/** One line per serious or critical violation: rule, impact, and the first few elements. */
function describe(path, violations) {
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => {
    const nodes = v.nodes.slice(0, 4).map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`);
    return `${path} ${v.id} (${v.impact}, ${v.nodes.length} element(s)): ${v.help}\n      ${nodes.join("\n      ")}`;
  });
}

const TABS = 2;

// Both colour schemes at desktop width; at phone width (where tables scroll in their wrappers)
// once, in dark mode: layout does not depend on the scheme, and four runs would double the time.
for (const [colorScheme, width, label] of [["light", 1280, "desktop"], ["dark", 1280, "desktop"], ["dark", 375, "phone"]]) {
  test(`no serious or critical axe violation in ${colorScheme} mode at ${label} width`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme });
    const queue = Object.values(pagesOfEachKind);
    const found = [];
    await Promise.all(Array.from({ length: TABS }, async () => {
      const page = await context.newPage();
      for (let path; (path = queue.shift()) !== undefined;) {
        await page.goto(server.base + path.slice(1), { waitUntil: "networkidle" });
        const { violations } = await new AxeBuilder({ page }).analyze();
        found.push(...describe(path, violations));
      }
    }));
    await context.close();
    assert.deepEqual(found, [], `${found.length} violation(s):\n${found.join("\n")}`);
  });
}

test("the search box and its results pass axe in dark mode too", async () => {
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto(server.base);
  await page.locator("header input[type=search]").fill("login");
  await page.locator("header .search-result").first().waitFor({ timeout: 15000 });
  const { violations } = await new AxeBuilder({ page }).include("header").analyze();
  const found = describe("/ (search results)", violations);
  await context.close();
  assert.deepEqual(found, [], found.join("\n"));
});
