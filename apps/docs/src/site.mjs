// Where the site is written and what it holds: one list of pages for the build and the browser test.
import { basename, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { APIS, loadSpec, specPath } from "@cskit/specs";

/** The repository's root, where the README and the packages live. */
export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** The built site: `site/` at the root of the repository (ignored by git). */
export const SITE = fileURLToPath(new URL("../../../site", import.meta.url));

/** One API reference per spec, in a folder named after the spec's file. */
export const API_PAGES = APIS.map((api) => ({
  api,
  dir: basename(specPath(api), ".yaml"),
  spec: relative(ROOT, specPath(api)),
  title: loadSpec(api).info.title,
}));

/** Pages rendered from a section of the root README: the same text the README shows. */
export const README_PAGES = [
  { dir: "cli", title: "CLI reference", section: "Use the CLI" },
  { dir: "contract-testing", title: "Contract testing", section: "Contract testing" },
];

/** One guide per package, rendered from the package's README. */
export const GUIDES = [
  { name: "helpdesk", blurb: "One customer model and one interface over both APIs." },
  { name: "sandbox", blurb: "Stateful in-memory sandboxes of both APIs, with fault injection." },
  { name: "migrate", blurb: "Move customers between helpdesks, resumable, with its state in SQLite." },
  { name: "apideck-customer-support", blurb: "The typed Apideck Customer Support client." },
  { name: "deskero", blurb: "The typed Deskero client, with the token exchange." },
  { name: "http", blurb: "What every client shares: retries, timeouts, errors, redaction." },
].map((guide) => ({ ...guide, dir: `guides/${guide.name}`, source: `packages/${guide.name}/README.md` }));

/**
 * The site path (from the site's root) of a repository file or folder, or undefined when the site
 * has no page for it: a package or its README is its guide, a spec is its API reference.
 */
export function pageOf(repoPath, hash) {
  const anchor = hash ? `#${hash}` : "";
  const guide = GUIDES.find((g) => repoPath === `packages/${g.name}` || repoPath === g.source);
  if (guide) return `${guide.dir}/index.html${anchor}`;
  const reference = API_PAGES.find((p) => repoPath === p.spec);
  if (reference) return `${reference.dir}/index.html`;
  return undefined;
}
