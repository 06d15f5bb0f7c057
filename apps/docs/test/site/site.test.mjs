// `pnpm docs:test`: the built site (`pnpm docs:build` first) in Debian's headless Chromium, served
// on 127.0.0.1. Every operation of both specs is on its page with its samples, the landing page's
// links open, the search finds an operation, the API references' header leads to every page, no
// copy button covers a code block's first line (desktop and 375 px), no text names a repository
// path a site reader cannot open, no request leaves 127.0.0.1, and no console error.
// Screenshots go to apps/docs/screenshots/ for review.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadSpec, operations } from "@cskit/specs";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samplesOf } from "../../src/samples.mjs";
import { serveSite } from "../../src/serve.mjs";
import { API_PAGES, GUIDES, README_PAGES, SITE } from "../../src/site.mjs";
import { repositoryNames, repositoryPaths } from "../repository-paths.mjs";

const CHROMIUM = "/usr/bin/chromium";
const summaryOf = (api, op) => loadSpec(api).paths[op.path][op.method.toLowerCase()].summary;
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The number of visible headings that read exactly `text`. */
const headings = (page, text) =>
  page
    .locator("h1, h2")
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`), visible: true })
    .count();

/** The part of an API page that documents one operation (Redoc gives it the id `<tag>/<operationid>`). */
const sectionOf = (page, op) => page.locator(`[id$="/${op.operationId.toLowerCase()}"]`).first();

/**
 * Opens an operation the way a reader does, with its link in the sidebar (inside a folded tag or
 * not), until its section shows its summary: a click before Redoc has hydrated the page is lost.
 */
async function openOperation(page, api, op) {
  const link = page.locator(`a[href$="/${op.operationId.toLowerCase()}"]`).first();
  await expect
    .poll(
      async () => {
        await link.evaluate((a) => a.click());
        return headings(sectionOf(page, op), summaryOf(api, op));
      },
      { message: `${op.operationId} opens`, timeout: 15_000 },
    )
    .toBeGreaterThan(0);
  return sectionOf(page, op);
}

/** Chooses the sample shown in an operation's code panel, by its label. */
async function chooseSample(page, section, labels, label) {
  const current = new RegExp(`^(${labels.map(escapeRegExp).join("|")})$`);
  await section.getByRole("button", { name: current }).first().click();
  // A click in the page, as for the sidebar's links: Playwright's own click waits for the menu item
  // to be inside the viewport, which a menu opened near the bottom of a busy page may not be yet.
  const item = page.getByRole("menuitem", { name: label, exact: true }).filter({ visible: true });
  await item.evaluate((element) => element.click());
}
/**
 * Runs in the page, on an operation's section: for each code block with a copy button, the text of
 * its first non-empty line and the copy buttons whose box intersects a box of that line's text.
 */
function firstLinesUnderCopyButtons(section) {
  const intersects = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const blocks = [...section.querySelectorAll('[data-component-name="CodeBlock/CodeBlock"]')];
  return blocks.flatMap((block) => {
    const pre = block.querySelector("pre");
    const buttons = [...block.querySelectorAll('[data-component-name="Buttons/CopyButton"]')].filter(
      (b) => b.getClientRects().length > 0,
    );
    if (!pre || buttons.length === 0 || pre.getClientRects().length === 0) return [];
    // The first text node with text, and the range from it to the end of its line.
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    let first = walker.nextNode();
    while (first && !first.textContent.trim()) first = walker.nextNode();
    if (!first) return [];
    const range = document.createRange();
    const line = first.parentElement.closest("[data-line], .line");
    if (line && pre.contains(line)) range.selectNodeContents(line);
    else {
      const end = first.textContent.indexOf("\n", first.textContent.search(/\S/));
      range.setStart(first, 0);
      range.setEnd(first, end === -1 ? first.textContent.length : end);
    }
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    const overlaps = buttons
      .filter((button) => rects.some((r) => intersects(r, button.getBoundingClientRect())))
      .map((button) => button.getAttribute("aria-label") ?? "a button");
    return [{ line: range.toString().trim(), overlaps }];
  });
}

const SHOTS = fileURLToPath(new URL("../../screenshots", import.meta.url));
const CI = Boolean(process.env.CI) && process.env.CI !== "false";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

// In CI the browser test never skips: a missing browser fails it. .ci/run installs chromium.
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !CI)
  console.warn(`docs:test skipped: no ${CHROMIUM} (apt-get install -y chromium); in CI this is a failure`);

describe.skipIf(!haveChromium && !CI)("the built site in headless Chromium", () => {
  let server;
  let context;
  let profile;
  /** Every problem seen on any page: a request leaving 127.0.0.1, a console error, an uncaught error. */
  const problems = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`no ${CHROMIUM}: run apt-get install -y chromium (.ci/run does)`);
    if (!existsSync(join(SITE, "index.html")))
      throw new Error("no site/index.html: run pnpm docs:build first");
    mkdirSync(SHOTS, { recursive: true });
    server = await serveSite(SITE);
    profile = mkdtempSync(join(tmpdir(), "cskit-docs-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ARGS,
      viewport: { width: 1440, height: 960 },
    });
    const site = pathToFileURL(SITE).href;
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith(site)) return route.continue();
      problems.push(`request leaving 127.0.0.1: ${url}`);
      return route.abort();
    });
    context.on("page", watch);
    for (const page of context.pages()) watch(page);
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  function watch(page) {
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`uncaught error on ${page.url()}: ${error.message}`));
  }

  /** A fresh page; the problems it saw fail the test that opened it. */
  async function open(path) {
    const page = await context.newPage();
    const response = await page.goto(new URL(path, server.url).href);
    expect(response?.status(), path).toBe(200);
    return page;
  }

  function expectNoProblems() {
    expect(problems.splice(0)).toEqual([]);
  }

  it("the landing page links to every page, and each link opens", async () => {
    const page = await open("index.html");
    await page.screenshot({ path: join(SHOTS, "landing.png"), fullPage: true });
    const hrefs = await page.$$eval("a[href]", (links) => links.map((a) => a.href));
    const expected = [...API_PAGES, ...README_PAGES, ...GUIDES].map(
      (p) => new URL(`${p.dir}/index.html`, server.url).href,
    );
    expect(new Set(hrefs)).toEqual(new Set([new URL("index.html", server.url).href, ...expected]));
    for (const href of new Set(hrefs)) {
      const response = await page.goto(href);
      expect(response?.status(), href).toBe(200);
      expect(await page.title(), href).toMatch(/cskit docs/);
      await expect.poll(() => page.locator("h1").first().textContent(), { message: href }).not.toBe("");
    }
    await page.close();
    expectNoProblems();
  });

  it("the CLI reference holds every command of the README's reference", async () => {
    const page = await open("cli/index.html");
    const text = await page.locator("main").textContent();
    for (const command of [
      "cskit apideck customers list",
      "cskit deskero customers create",
      "cskit migrate status",
    ])
      expect(text).toContain(command);
    await page.screenshot({ path: join(SHOTS, "cli.png") });
    await page.close();
    expectNoProblems();
  });

  for (const { api, dir, title } of API_PAGES) {
    it(`${dir}: every operation is on the page with each of its cskit samples`, async () => {
      const page = await open(`${dir}/index.html`);
      await expect.poll(() => page.locator("h1").first().textContent()).toContain(title.split(" (")[0]);
      for (const op of operations(api)) {
        const section = await openOperation(page, api, op);
        const samples = samplesOf(api, op.operationId);
        for (const sample of samples) {
          if (samples.length > 1)
            await chooseSample(
              page,
              section,
              samples.map((s) => s.label),
              sample.label,
            );
          const lines = sample.source
            .split("\n")
            .map((line) => line.trim())
            .filter(Boolean);
          await expect
            .poll(
              async () => {
                const shown = await section
                  .locator('[data-component-name="CodeBlock/CodeBlockContainer"]')
                  .allInnerTexts();
                return lines.filter((line) => !shown.join("\n").includes(line));
              },
              { message: `${op.operationId} ${sample.label}` },
            )
            .toEqual([]);
        }
      }
      // The screenshot: a create, with the typed client's sample.
      const create = operations(api).find((op) => op.method === "POST");
      const section = await openOperation(page, api, create);
      const labels = samplesOf(api, create.operationId).map((s) => s.label);
      await chooseSample(page, section, labels, labels[0]);
      await page.screenshot({ path: join(SHOTS, `${dir}.png`) });
      await page.close();
      expectNoProblems();
    });

    it(`${dir}: the search box finds an operation by name`, async () => {
      const page = await open(`${dir}/index.html`);
      const op = operations(api).at(-1);
      const summary = summaryOf(api, op);
      await page
        .getByText(/^Search/)
        .first()
        .click();
      await page.getByPlaceholder("Search docs...").fill(summary);
      const hit = page
        .locator('[data-component-name="Search/SearchItem"]')
        .filter({ hasText: summary })
        .first();
      await expect.poll(() => hit.count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(SHOTS, `${dir}-search.png`) });
      await hit.click();
      await expect.poll(() => page.url()).toMatch(new RegExp(`/${op.operationId.toLowerCase()}$`));
      await expect.poll(() => headings(page, summary)).toBeGreaterThan(0);
      await page.close();
      expectNoProblems();
    });
  }

  // A reader of the site has no repository at hand: a page's text (code blocks aside: commands and
  // imports) names a repository file only as the text of a link to a page of the site or to an
  // absolute URL.
  it("no page names a repository path that is not a link to a page of the site", async () => {
    const names = repositoryNames();
    const found = [];
    const pages = ["", ...[...API_PAGES, ...README_PAGES, ...GUIDES].map((p) => p.dir)];
    for (const dir of pages) {
      const path = dir ? `${dir}/index.html` : "index.html";
      const page = await open(path);
      if (API_PAGES.some((p) => p.dir === dir))
        await expect.poll(() => page.locator("h1").count(), { message: path }).toBeGreaterThan(0);
      const texts = await page.evaluate(() => {
        const out = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const element = node.parentElement;
          if (!node.textContent.trim() || element.closest("pre, script, style, noscript, template")) continue;
          const link = element.closest("a[href]");
          out.push({ text: node.textContent, href: link ? link.href : null });
        }
        return out;
      });
      for (const { text, href } of texts) {
        const paths = repositoryPaths(text, names);
        if (paths.length === 0) continue;
        // A link to an absolute URL elsewhere, or to a page of this site that opens, is fine.
        if (href && !href.startsWith(server.url) && /^https?:/.test(href)) continue;
        if (href?.startsWith(server.url) && (await page.request.get(href)).status() === 200) continue;
        found.push(`${path}: ${paths.join(", ")} in "${text.trim().replace(/\s+/g, " ").slice(0, 100)}"`);
      }
      await page.close();
    }
    expect(found).toEqual([]);
    expectNoProblems();
  });

  // The API references carry the site's header: the logo leads home, and each link of the header's
  // navigation, clicked as a reader does, opens its page (URL and title).
  const TITLES = new Map([
    ["index.html", "cskit docs"],
    ...API_PAGES.map((p) => [`${p.dir}/index.html`, `${p.title} · cskit docs`]),
    ...README_PAGES.map((p) => [`${p.dir}/index.html`, `${p.title} · cskit docs`]),
    ...GUIDES.map((g) => [`${g.dir}/index.html`, `@cskit/${g.name} · cskit docs`]),
  ]);
  for (const { dir } of API_PAGES)
    it(`${dir}: the site's header leads to every page of the site`, async () => {
      const page = await open(`${dir}/index.html`);
      const header = page.locator("header.top");
      await expect.poll(() => header.isVisible()).toBe(true);
      const links = await header
        .locator("a[href]")
        .evaluateAll((as) =>
          as.map((a) => ({ href: a.href, name: a.textContent.trim() || a.querySelector("img")?.alt })),
        );
      expect(new Set(links.map((l) => l.href))).toEqual(
        new Set([...TITLES.keys()].map((path) => new URL(path, server.url).href)),
      );
      expect(await header.locator('[aria-current="page"]').getAttribute("href")).toBe(`../${dir}/index.html`);
      for (const { href, name } of links) {
        if (page.url() !== new URL(`${dir}/index.html`, server.url).href)
          await page.goto(new URL(`${dir}/index.html`, server.url).href);
        const link = header.getByRole("link", { name, exact: true });
        await link.click();
        await expect.poll(() => page.url(), { message: name }).toBe(href);
        const path = href.slice(server.url.length);
        expect(await page.title(), name).toBe(TITLES.get(path));
      }
      await page.close();
      expectNoProblems();
    });

  // The first line of every code block (the cskit samples and the response examples) against its
  // copy button: the boxes of the line's text (a Range over its first line) and of each copy button
  // of the block may not intersect. Redoc's controls float over the top right of the code by default.
  for (const { api, dir } of API_PAGES)
    for (const viewport of [
      { name: "desktop", width: 1440, height: 960 },
      { name: "mobile", width: 375, height: 812 },
    ])
      it(`${dir}: no copy button covers the first line of a code block (${viewport.name}, ${viewport.width} px)`, async () => {
        // The sidebar's links (how openOperation opens an operation) are folded away on a narrow
        // screen: each operation and sample is chosen at the desktop width, then measured at the
        // viewport's.
        const page = await open(`${dir}/index.html`);
        const desktop = page.viewportSize();
        const overlaps = [];
        let checked = 0;
        for (const op of operations(api)) {
          await page.setViewportSize(desktop);
          const section = await openOperation(page, api, op);
          const samples = samplesOf(api, op.operationId);
          for (const sample of samples) {
            const labels = samples.map((s) => s.label);
            await page.setViewportSize(desktop);
            await section.scrollIntoViewIfNeeded();
            if (samples.length > 1) await chooseSample(page, section, labels, sample.label);
            await page.setViewportSize(viewport);
            const firstLine = sample.source.split("\n")[0].trim();
            await expect
              .poll(() => section.locator("pre").filter({ hasText: firstLine }).count(), {
                message: `${op.operationId} ${sample.label}`,
              })
              .toBeGreaterThan(0);
            for (const block of await section.evaluate(firstLinesUnderCopyButtons)) {
              checked++;
              if (block.overlaps.length > 0)
                overlaps.push(`${op.operationId} (${sample.label}): "${block.line}" under ${block.overlaps}`);
            }
          }
        }
        if (viewport.name === "mobile") await page.screenshot({ path: join(SHOTS, `${dir}-mobile.png`) });
        await page.close();
        // Each sample was measured (and a response example with it): the check cannot pass on nothing.
        const sampleCount = operations(api).reduce((n, op) => n + samplesOf(api, op.operationId).length, 0);
        expect(checked).toBeGreaterThanOrEqual(sampleCount);
        expect(overlaps).toEqual([]);
        expectNoProblems();
      });

  it("an API reference works opened from the folder (file://), with no server", async () => {
    const { dir, api } = API_PAGES[0];
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(SITE, dir, "index.html")).href);
    const op = operations(api)[0];
    const _summary = summaryOf(api, op);
    await openOperation(page, api, op);
    await page.close();
    expectNoProblems();
  });
});
