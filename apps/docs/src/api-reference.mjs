// One API reference page per spec: Redoc, through Redocly's `build-docs`, from a copy of the spec
// that carries the cskit samples of each operation as x-codeSamples. Redoc's script is inlined in
// the page (`--inlineBundle`), so the page needs no CDN, and works from a folder (file://) too,
// where a browser would refuse to import a separate module file.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSpec, operations } from "@cskit/specs";
import { siteHeader } from "./layout.mjs";
import { samplesOf } from "./samples.mjs";
import { API_PAGES, forSite } from "./site.mjs";

const REDOCLY = fileURLToPath(new URL("../node_modules/.bin/redocly", import.meta.url));
const TEMPLATE = fileURLToPath(new URL("./redoc-template.hbs", import.meta.url));
const HEADER_MARK = "<!-- cskit:site-header -->";

// The two images Redoc 3 loads from its CDN (the "API docs by Redocly" badge), served from the site.
const REDOCLY_BADGE = {
  "https://cdn.redoc.ly/redoc/logo-mini-full.svg": "../assets/redocly-badge.svg",
  "https://cdn.redoc.ly/redoc/logo-mini.svg": "../assets/redocly-badge.svg",
};

/** A copy of the spec with every operation's cskit samples as x-codeSamples, its description in the site's words. */
export function specWithSamples(api) {
  const doc = structuredClone(loadSpec(api));
  const spec = API_PAGES.find((p) => p.api === api).spec;
  doc.info.description = forSite(doc.info.description, spec);
  for (const op of operations(api)) {
    doc.paths[op.path][op.method.toLowerCase()]["x-codeSamples"] = samplesOf(api, op.operationId).map(
      ({ lang, label, source }) => ({ lang, label, source }),
    );
  }
  return doc;
}

/** Redoc's options: our samples as the only code sample languages, and the cskit logo leading home. */
function redocOptions(doc) {
  const labels = new Map();
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item))
      for (const sample of op["x-codeSamples"] ?? []) labels.set(sample.label, sample.lang);
  return {
    codeSamples: { languages: [...labels].map(([label, lang]) => ({ lang, label })) },
    apiLogo: { imageUrl: "../assets/logo.svg", href: "../index.html", altText: "cskit docs home" },
    hideDownloadButtons: false,
    disableTelemetry: true,
  };
}

/**
 * Writes the API reference of `api` to `file`, the index.html of the page's folder `dir` in the
 * site, with the site's header above Redoc's own layout.
 */
export function buildApiReference(api, dir, file) {
  const work = mkdtempSync(join(tmpdir(), "cskit-docs-"));
  try {
    const doc = specWithSamples(api);
    const spec = join(work, "openapi.json");
    const options = join(work, "redoc.json");
    writeFileSync(spec, JSON.stringify(doc));
    writeFileSync(options, JSON.stringify(redocOptions(doc)));
    execFileSync(
      REDOCLY,
      ["build-docs", spec, "--output", file, "--template", TEMPLATE, "--openapi", options, "--inlineBundle"],
      { cwd: work, env: { ...process.env, REDOCLY_TELEMETRY: "off", DO_NOT_TRACK: "1" }, stdio: "pipe" },
    );
  } catch (error) {
    throw new Error(`redocly build-docs failed for ${api}:\n${error.stderr?.toString() ?? error.message}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  let html = readFileSync(file, "utf8");
  for (const [remote, local] of Object.entries(REDOCLY_BADGE)) {
    if (!html.includes(remote))
      throw new Error(
        `Redoc no longer loads ${remote}: check apps/docs/src/api-reference.mjs for new remote files`,
      );
    html = html.replaceAll(remote, local);
  }
  // The template's mark for the site's header (Redoc's inlined script holds "<body>" strings of its own).
  if (html.split(HEADER_MARK).length !== 2)
    throw new Error(`the Redoc page of ${api} does not hold ${HEADER_MARK} once: check ${TEMPLATE}`);
  html = html.replace(HEADER_MARK, siteHeader(dir));
  writeFileSync(file, html);
}
