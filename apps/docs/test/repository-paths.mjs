// What counts as a repository path in the site's text (the browser test fails on each one that is
// not a link to a page of the site): shared by test/site/site.test.mjs and its own unit test.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../src/site.mjs";

/** Folders that are not the repository's own (dependencies, build output, tool caches). */
const NOT_SOURCE = new Set([
  "node_modules",
  "dist",
  "site",
  "screenshots",
  "coverage",
  ".git",
  ".turbo",
  ".cache",
]);

/**
 * The repository's folder names (to a depth of 3: `apps`, `conformance`, `src`, `test`...) and file
 * names (`redocly.yaml`, `fields.ts`...): the words a path to a repository file starts with.
 */
export function repositoryNames() {
  const dirs = new Set();
  const files = new Set();
  const walk = (dir, depth) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (NOT_SOURCE.has(entry.name)) continue;
      if (entry.isDirectory()) {
        if (depth <= 3) dirs.add(entry.name);
        walk(join(dir, entry.name), depth + 1);
      } else if (/\.[a-z]+$/.test(entry.name)) files.add(entry.name);
    }
  };
  walk(ROOT, 1);
  return { dirs, files };
}

/**
 * The repository paths in a text: a word with a slash whose first part is a repository folder
 * (`test/readme.test.ts`, `apps/conformance`, `specs/*.yaml`), a repository file's name
 * (`redocly.yaml`), or "README". A package name (`@cskit/specs/arbitrary`), a URL, an HTTP path
 * (`/customer/list`) or a media type (`application/json`) is none.
 */
export function repositoryPaths(text, { dirs, files }) {
  const found = [];
  for (const [word] of text.matchAll(/(?<![\w@./:-])[\w.*<>{}-]+(?:\/[\w.*<>{}-]*)*/g)) {
    const parts = word.replace(/^(\.\.?\/)+/, "").split("/");
    if (parts.length > 1 ? dirs.has(parts[0]) : files.has(word) || /^README\b/.test(word)) found.push(word);
  }
  return found;
}
