// `npm test`: builds the sample portal once, then runs each *.test.mjs here with node's test
// runner, one file after the other (one chromium at a time keeps timings honest on 2 cores, and
// needs no runner option older nodes lack), each reading the built site from SITREP_SITE.
// Arguments pick files: `npm test -- a11y.test.mjs`.
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPortal } from "./helpers.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const picked = process.argv.slice(2);
const files = picked.length ? picked : readdirSync(here).filter((f) => f.endsWith(".test.mjs")).sort();
const site = buildPortal();
const failed = [];
try {
  for (const file of files) {
    const started = Date.now();
    const r = spawnSync(process.execPath, ["--test", file], {
      cwd: here, stdio: "inherit", env: { ...process.env, SITREP_SITE: site },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`# ${file}: ${r.status === 0 ? "passed" : "FAILED"} in ${seconds} s`);
    if (r.status !== 0) failed.push(file);
  }
} finally {
  rmSync(resolve(site, ".."), { recursive: true, force: true });
}
console.log(failed.length ? `# failed: ${failed.join(", ")}` : `# all ${files.length} files passed`);
process.exit(failed.length ? 1 : 0);
