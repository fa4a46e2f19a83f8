// For theme work, not a test: full-page screenshots of one page of every kind of the sample
// portal, light and dark, desktop (1280 px) and phone (375 px), to look at side by side.
//   node screenshots.mjs [output folder, default $TMPDIR/sitrep-screenshots] [kind name filter]
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { launch, pagesOfEachKind, sampleSite, serveStatic } from "./helpers.mjs";

const outDir = resolve(process.argv[2] || join(tmpdir(), "sitrep-screenshots"));
const only = process.argv[3];
mkdirSync(outDir, { recursive: true });
const portal = sampleSite();
const server = await serveStatic(portal.site);
const browser = await launch();
try {
  for (const [name, width] of [["desktop", 1280], ["phone", 375]]) {
    for (const colorScheme of ["light", "dark"]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme });
      const page = await context.newPage();
      for (const [kind, path] of Object.entries(pagesOfEachKind)) {
        if (only && !kind.includes(only)) continue;
        await page.goto(server.base + path.slice(1), { waitUntil: "networkidle" });
        const file = `${outDir}/${kind.replace(/\W+/g, "-")}-${name}-${colorScheme}.png`;
        await page.screenshot({ path: file, fullPage: true });
      }
      await context.close();
    }
  }
  console.log(`screenshots in ${outDir}`);
} finally {
  await browser.close();
  await server.close();
  portal.cleanup();
}
