// Where the site is written and what it holds: one list of pages for the build and the browser test.
import { basename } from "node:path";
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
  // The repository's spec (specs/<api>.yaml), which @cskit/specs reads from its copy in dist/.
  spec: `specs/${basename(specPath(api))}`,
  title: loadSpec(api).info.title,
}));

/**
 * Pages rendered from a whole markdown file: the CLI's README (its guide and reference), the
 * contract tests' README, and the specs' notes (how the specs are written, and the vendor's
 * documents mapped to them).
 */
export const README_PAGES = [
  { dir: "cli", title: "CLI reference", source: "apps/cli/README.md" },
  { dir: "contract-testing", title: "Contract testing", source: "apps/conformance/README.md" },
  { dir: "specs", title: "About the specs", source: "specs/README.md" },
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
 * has no page for it: a package or its README is its guide, a spec is its API reference, the root
 * README is the landing page, and a README of `README_PAGES` (or its folder) is its page.
 */
export function pageOf(repoPath, hash) {
  const anchor = hash ? `#${hash}` : "";
  const guide = GUIDES.find((g) => repoPath === `packages/${g.name}` || repoPath === g.source);
  if (guide) return `${guide.dir}/index.html${anchor}`;
  const reference = API_PAGES.find((p) => repoPath === p.spec);
  if (reference) return `${reference.dir}/index.html`;
  if (repoPath === "README.md") return `index.html${anchor}`;
  const own = README_PAGES.find((p) => repoPath === p.source || `${repoPath}/README.md` === p.source);
  if (own) return `${own.dir}/index.html${anchor}`;
  return undefined;
}

/**
 * The site's own words for what a source's markdown says in repository terms (a test file, a
 * module, "the root README"): each pair is [the markdown's text, the text the site shows], in
 * markdown, applied to the source before it is rendered. A reader of the site has no repository at
 * hand, and there is no repository URL to link to (no `repository` in package.json); the READMEs
 * keep their paths for readers of the repository. A pair whose text the source no longer holds
 * fails the build, so an edited README is looked at again.
 */
export const SITE_WORDING = {
  "README.md": [
    ["OpenAPI 3.1 specs in [`specs/`](specs/README.md).", "OpenAPI 3.1 [specs](specs/README.md)."],
    ["`.ci/run` runs command 3", "CI runs command 3"],
  ],
  "apps/cli/README.md": [
    ["by `node apps/cli/scripts/reference.mjs`; a test", "by a script of the CLI; a test"],
  ],
  "apps/conformance/README.md": [
    ["`test/negative.test-d.ts` shows the typed clients", "a type test shows the typed clients"],
    ["started by `apps/conformance/src/sandboxes.ts`)", "started by the suite)"],
    ["(`checkServer` in `src/suite.ts`)", "(the suite's `checkServer`)"],
    ["`test/sandbox.test.ts` breaks the sandbox", "The suite's own test breaks the sandbox"],
    ["to `apps/conformance/conformance-report.json`,", "to a report file of the suite,"],
    [
      "to `redocly.yaml` and `packages/specs` (its file\nname)",
      "to the Redocly configuration and to `@cskit/specs` (its\nfile name)",
    ],
    [
      "in `apps/conformance/src/cases.ts`, and a generator in\n`POSITIVE` (`src/positive.ts`).",
      "in the suite's cases, and a generator in\n`POSITIVE`.",
    ],
  ],
  "specs/README.md": [
    ["# specs/\n", "# About the specs\n"],
    [
      "The types in\n`packages/*/src/generated/` come from them",
      "The clients'\ngenerated types come from them",
    ],
    [
      "the rules in `../redocly.yaml`. To add a spec: write `specs/<api>.yaml`, add",
      "the repository's Redocly rules. To add a spec: write it, add",
    ],
    ["`apis:` in `redocly.yaml` with", "`apis:` in the Redocly configuration with"],
    [
      "`apps/conformance/test/spec-fidelity.test.ts` checks that none",
      "a spec-fidelity test checks that none",
    ],
    [
      "has a test in `apps/conformance/test/spec-fidelity.test.ts` (a real-shaped",
      "has a spec-fidelity test (a real-shaped",
    ],
    ["## Apideck Customer Support API (`apideck-customer-support.yaml`)", "## Apideck Customer Support API"],
    ["## Deskero API (`deskero.yaml`)", "## Deskero API"],
    [
      "`CustomerSearch` in `packages/deskero/src/types.ts` is derived",
      "the `CustomerSearch` type of [`@cskit/deskero`](../packages/deskero) is derived",
    ],
  ],
  // The specs' descriptions, shown at the top of their API references (links from that page).
  "specs/apideck-customer-support.yaml": [
    ["(see specs/README.md for", "(see [About the specs](../specs/index.html) for"],
  ],
  "specs/deskero.yaml": [["(see specs/README.md for", "(see [About the specs](../specs/index.html) for"]],
  "packages/helpdesk/README.md": [
    ["`test/readme.test.ts` runs it", "the package's tests run it"],
    ["the JSON Schemas in `specs/*.yaml` by", "the JSON Schemas of the [specs](../../specs/README.md) by"],
    ["**Type tests** (`test/*.test-d.ts`):", "**Type tests**:"],
    [
      "This README's mapping tables are checked against the code's tables (`src/fields.ts`), which",
      "This guide's mapping tables are checked against the code's tables, which",
    ],
  ],
  "packages/sandbox/README.md": [
    [
      "the request schemas of `specs/*.yaml` (below)",
      "the request schemas of the [specs](../../specs/README.md) (below)",
    ],
    [
      "our tests and\n`apps/conformance` do.",
      "our tests and\nthe [contract tests](../../apps/conformance/README.md) do.",
    ],
  ],
  "packages/migrate/README.md": [
    ["`test/readme.test.ts` runs it", "the package's tests run it"],
    ["`test/property.test.ts` checks this", "A property test checks this"],
    ["One module, [`src/state/schema.ts`](src/state/schema.ts), holds", "One module holds"],
  ],
  "packages/http/README.md": [
    ["(`src/internal/send/`, the internal\nentry", "(the internal\nentry"],
    ["through package.json `imports`", "through the package's `imports`"],
    ["test\n(`test/senders.differential.test.ts`, on a raw socket,", "test (on a raw socket,"],
    ["`test/traffic.simulator.test.ts` drives it", "a simulator test drives it"],
    ["`test/accepted-after.test.ts` holds it", "A property test holds it"],
  ],
};

/** `markdown`, the text of the repository file `source`, in the site's words (SITE_WORDING). */
export function forSite(markdown, source) {
  let text = markdown;
  for (const [repository, site] of SITE_WORDING[source] ?? []) {
    if (!text.includes(repository))
      throw new Error(
        `${source} no longer holds ${JSON.stringify(repository)}: update SITE_WORDING in apps/docs/src/site.mjs`,
      );
    text = text.replaceAll(repository, site);
  }
  return text;
}
