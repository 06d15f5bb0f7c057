#!/usr/bin/env node
// `pnpm docs:build`: writes the static site to site/ (ignored by git), viewable with no server.
//   site/index.html                        what cskit is, and links to everything below
//   site/<spec>/index.html                 the API reference of each spec, with cskit samples
//   site/cli, contract-testing, specs      the CLI's README, the contract tests' README, the specs' notes
//   site/guides/<package>/index.html       each package's README
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { operations } from "@cskit/specs";
import { buildApiReference } from "./api-reference.mjs";
import { landing, page, rootFrom } from "./layout.mjs";
import { preamble, renderMarkdown, section } from "./markdown.mjs";
import { API_PAGES, forSite, GUIDES, pageOf, README_PAGES, ROOT, SITE } from "./site.mjs";

const ASSETS = fileURLToPath(new URL("../assets", import.meta.url));

function write(dir, html) {
  mkdirSync(join(SITE, dir), { recursive: true });
  writeFileSync(join(SITE, dir, "index.html"), html);
}

/** Markdown of the repository file `from`, rendered for the page in `dir`. */
function render(markdown, from, dir) {
  const root = rootFrom(dir);
  const linkTo = (repoPath, hash) => {
    const target = pageOf(repoPath, hash);
    return target === undefined ? undefined : root + target;
  };
  return renderMarkdown(markdown, { from, linkTo });
}

rmSync(SITE, { recursive: true, force: true });
mkdirSync(SITE, { recursive: true });
cpSync(ASSETS, join(SITE, "assets"), { recursive: true });

for (const { api, dir } of API_PAGES) {
  mkdirSync(join(SITE, dir), { recursive: true });
  buildApiReference(api, dir, join(SITE, dir, "index.html"));
}

/** A repository file's markdown, in the site's words (see SITE_WORDING). */
const source = (path) => forSite(readFileSync(join(ROOT, path), "utf8"), path);

for (const { dir, title, source: from } of README_PAGES)
  write(dir, page({ dir, title: `${title} · cskit docs`, body: render(source(from), from, dir) }));

for (const { dir, name, source: from } of GUIDES)
  write(dir, page({ dir, title: `@cskit/${name} · cskit docs`, body: render(source(from), from, dir) }));

const readme = source("README.md");
const operationCounts = Object.fromEntries(API_PAGES.map(({ api }) => [api, operations(api).length]));
write(
  "",
  page({
    dir: "",
    title: "cskit docs",
    wide: true,
    body: landing({
      intro: render(preamble(readme), "README.md", ""),
      quickStart: render(section(readme, "Quick start"), "README.md", ""),
      operationCounts,
    }),
  }),
);

console.log(`site written to ${SITE} (open site/index.html, or run pnpm docs:serve)`);
