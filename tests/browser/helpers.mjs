// Shared by the browser test files: the sitrep command, one build of the sample portal, a static
// server on loopback (pages use root-relative links and Pagefind loads over http, so file:// will
// not do), Debian's chromium, and a watch on what a page reports as broken.
//
// `npm test` (run.mjs) builds the sample portal once and passes it to every file in
// SITREP_SITE; a file run on its own (`node --test pages.test.mjs`) builds it itself.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, readdirSync, statSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

/** The command that runs sitrep: SITREP_BIN (a relative path is taken from the repository root,
 *  as in the README), or `cargo run --release` in the repository. */
export function sitrepCommand(args) {
  const bin = process.env.SITREP_BIN;
  return bin ? [resolve(repo, bin), args] : ["cargo", ["run", "--quiet", "--release", "--", ...args]];
}

/** Records per search-index shard for the browser suite's builds: the sample portal's ~80
 *  documents then make 8 shards (instead of 1 at the default 250), so searching crosses shards
 *  the way a large portal's does (`search.test.mjs` checks a result from a shard other than the
 *  first). */
export const SHARD_DOCS = "10";

/** Builds the portal at `root` into a new temporary folder; returns the site folder. */
export function buildPortal(root = repo) {
  const out = mkdtempSync(join(tmpdir(), "sitrep-browser-"));
  const site = join(out, "public");
  const [cmd, args] = sitrepCommand(["build", "--root", root, "--output", site]);
  const env = { ...process.env, SITREP_SEARCH_SHARD_DOCS: SHARD_DOCS };
  const r = spawnSync(cmd, args, { cwd: repo, encoding: "utf8", env });
  assert.equal(r.status, 0, `build failed:\n${r.stdout}\n${r.stderr}`);
  return site;
}

/** The built sample portal: SITREP_SITE when the runner built it, otherwise a build of our own
 *  (removed by `cleanup`). */
export function sampleSite() {
  if (process.env.SITREP_SITE) return { site: process.env.SITREP_SITE, cleanup() {} };
  const site = buildPortal();
  return { site, cleanup: () => rmSync(resolve(site, ".."), { recursive: true, force: true }) };
}

const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".xml": "application/xml", ".ics": "text/calendar",
  ".csv": "text/csv; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml",
};

/** The Content-Security-Policy the README recommends for hosting ("Content-Security-Policy for
 *  hosting"): served with every page, so a violation shows as a console error in the tests. */
export const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "style-src-attr 'unsafe-inline'; img-src 'self'; font-src 'self'; connect-src 'self'; base-uri 'none'; " +
  "form-action 'self'; frame-ancestors 'none'";

/** Serves `root` on a free loopback port like a static host would (folders answer with their
 *  index.html, anything missing with 404.html and status 404), with the README's
 *  Content-Security-Policy. Resolves to { base, close }. */
export function serveStatic(root) {
  return new Promise((ok) => {
    const server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
      let file = join(root, path);
      if (!file.startsWith(root)) return res.writeHead(403).end();
      try {
        if (statSync(file).isDirectory()) file = join(file, "index.html");
        const body = readFileSync(file);
        res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream", "content-security-policy": CSP });
        res.end(body);
      } catch {
        res.writeHead(404, { "content-type": types[".html"], "content-security-policy": CSP })
          .end(readFileSync(join(root, "404.html")));
      }
    });
    server.listen(0, "127.0.0.1", () => ok({
      base: `http://127.0.0.1:${server.address().port}/`,
      close: () => new Promise((done) => server.close(done)),
    }));
  });
}

/** Debian's chromium (or $CHROMIUM), headless, with nothing that reaches out to the network. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
      "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
}

/** Every `.html` file of a built site as its URL path (`/teams/identity/` for
 *  teams/identity/index.html), sorted. */
export function htmlPaths(site) {
  const paths = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".html")) {
        const rel = relative(site, full).split(sep).join("/");
        paths.push("/" + rel.replace(/(^|\/)index\.html$/, "$1"));
      }
    }
  };
  walk(site);
  return paths.sort();
}

/** Collects what a page reports as broken from now on: console errors, uncaught exceptions,
 *  requests that failed and responses with a 4xx/5xx status. `problems()` lists them. */
export function watchPage(page) {
  const seen = [];
  page.on("console", (m) => { if (m.type() === "error") seen.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => seen.push(`exception: ${e}`));
  page.on("requestfailed", (r) => seen.push(`failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on("response", (r) => { if (r.status() >= 400) seen.push(`${r.status()}: ${r.url()}`); });
  return { problems: () => [...seen], clear: () => { seen.length = 0; } };
}

/** True for a request the browser cancelled because the page navigated away (a search index
 *  fragment still loading, the reload channel of a page that reloads): expected, not broken. */
export const abortedByLeaving = (problem) => /^failed: .* \(net::ERR_ABORTED\)$/.test(problem);

/** One page of every kind the default theme renders, in the sample portal: each kind's index and
 *  one of its documents, and the portal's own pages. The accessibility and screenshot runs visit
 *  each of these. */
export const pagesOfEachKind = {
  home: "/",
  "teams index": "/teams/",
  team: "/teams/identity/",
  "services index": "/services/",
  service: "/services/login/",
  "SLOs index": "/slos/",
  SLO: "/slos/login-availability/",
  "OpenSLO SLO": "/slos/api-edge-uptime/",
  "postmortem library": "/postmortems/",
  postmortem: "/postmortems/2026-03-14-login-outage/",
  "postmortem facet": "/postmortems/severity/sev1/",
  "root causes": "/postmortems/root-causes/",
  "sessions index": "/sessions/",
  session: "/sessions/2026-09-17-retry-storms/",
  "assessments index": "/assessments/",
  assessment: "/assessments/identity-2026-09/",
  culture: "/culture/",
  "culture survey": "/culture/survey/",
  ladder: "/ladder/",
  "pages index": "/pages/",
  page: "/pages/charter/",
  "nested page": "/pages/guides/writing-slos/",
  "action items": "/action-items/",
  tags: "/tags/",
  tag: "/tags/identity/",
  search: "/search/",
  "data export": "/data/",
  "404": "/404.html",
};
