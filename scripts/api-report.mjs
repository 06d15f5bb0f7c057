#!/usr/bin/env node
// The API reports: one API Extractor `.api.md` per public entry point (every `exports` entry with
// `types` of every non-private package), committed in `<package>/etc/`. Built from `dist`: run
// `pnpm build` first.
//
//   node scripts/api-report.mjs           writes the reports (`pnpm api:update`)
//   node scripts/api-report.mjs --check   fails when a report differs from the committed one, or
//                                         when a report changed since the merge base with main
//                                         and no changeset added since then names its package
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";

// `--root <dir>`: another checkout (the script's own test uses a scratch repository).
const rootAt = process.argv.indexOf("--root");
const ROOT = rootAt > 0 ? process.argv[rootAt + 1] : fileURLToPath(new URL("..", import.meta.url));
const UPDATE = "pnpm build && pnpm api:update";

/** Every public entry point: package folder, name, the `.d.ts` it exports, and the report's file. */
export function entryPoints(root = ROOT) {
  const found = [];
  for (const group of ["packages", "apps"]) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const dir = join(root, group, name);
      const file = join(dir, "package.json");
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, "utf8"));
      if (pkg.private) continue;
      for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
        if (typeof target !== "object" || !target.types) continue;
        // `./internal` is shared between cskit's own packages only: no semver, so no report.
        if (subpath === "./internal") continue;
        const base = pkg.name.replace(/^@[^/]+\//, "");
        const suffix = subpath === "." ? "" : `-${subpath.replace(/^\.\//, "").replaceAll("/", "-")}`;
        found.push({
          dir,
          packageName: pkg.name,
          types: join(dir, target.types),
          report: join(dir, "etc", `${base}${suffix}.api.md`),
        });
      }
    }
  }
  return found;
}

/** The report of one entry point, as text (API Extractor, on the built `.d.ts`). */
function generate(entry, scratch) {
  if (!existsSync(entry.types)) {
    throw new Error(`${relative(ROOT, entry.types)} is missing: run pnpm build first`);
  }
  const out = mkdtempSync(join(scratch, "report-"));
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: entry.dir,
      mainEntryPointFilePath: entry.types,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: "es2022",
            module: "nodenext",
            moduleResolution: "nodenext",
            lib: ["es2023", "dom"],
            strict: true,
            skipLibCheck: true,
          },
        },
      },
      apiReport: { enabled: true, reportFolder: out, reportTempFolder: out, reportFileName: "report" },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: "warning" } },
        extractorMessageReporting: { default: { logLevel: "none" } },
        tsdocMessageReporting: { default: { logLevel: "none" } },
      },
    },
    configObjectFullPath: join(entry.dir, "api-extractor.json"),
    packageJsonFullPath: join(entry.dir, "package.json"),
  });
  const problems = [];
  const result = Extractor.invoke(config, {
    localBuild: true,
    messageCallback(message) {
      message.handled = true;
      if (message.logLevel === "error" || message.logLevel === "warning") problems.push(message.text);
    },
  });
  if (!result.succeeded || problems.length > 0) {
    throw new Error(`API Extractor failed on ${entry.packageName}:\n${problems.join("\n")}`);
  }
  return readFileSync(join(out, "report.api.md"), "utf8");
}

const git = (...args) =>
  execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();

/** The commit this branch left main at: origin/main's merge base, else main's; undefined without either. */
function mergeBase() {
  for (const ref of ["origin/main", "main"]) {
    try {
      return git("merge-base", "HEAD", ref);
    } catch {}
  }
  return undefined;
}

/** The package names a changeset's frontmatter names. */
export function packagesNamed(text) {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
  return [...front.matchAll(/^\s*["']?([^"':\s]+)["']?\s*:/gm)].map((m) => m[1]);
}

/** Changesets added or changed since `base`, committed or not. */
function changesetsSince(base) {
  const changed = git("diff", "--name-only", base, "--", ".changeset").split("\n");
  const untracked = git("ls-files", "--others", "--exclude-standard", "--", ".changeset").split("\n");
  return [...changed, ...untracked].filter((f) => f.endsWith(".md") && existsSync(join(ROOT, f)));
}

/** The report as committed at `base`, or undefined when it did not exist then. */
function reportAt(base, file) {
  try {
    return git("show", `${base}:${relative(ROOT, file)}`);
  } catch {
    return undefined;
  }
}

function main() {
  const check = process.argv.includes("--check");
  const scratch = mkdtempSync(join(tmpdir(), "cskit-api-"));
  const failures = [];
  const reports = [];
  try {
    for (const entry of entryPoints()) {
      const text = generate(entry, scratch);
      reports.push({ entry, text });
      const committed = existsSync(entry.report) ? readFileSync(entry.report, "utf8") : undefined;
      if (committed === text) continue;
      if (check)
        failures.push(`${relative(ROOT, entry.report)} differs from the exports of ${entry.packageName}`);
      else {
        mkdirSync(join(entry.dir, "etc"), { recursive: true });
        writeFileSync(entry.report, text);
        console.log(`wrote ${relative(ROOT, entry.report)}`);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.error(`${failures.join("\n")}\nThe public API changed: update the reports with\n  ${UPDATE}`);
    process.exit(1);
  }
  const base = mergeBase();
  if (base === undefined) {
    console.log(`API reports: ${reports.length} up to date (no main branch here: changesets not checked)`);
    return;
  }
  const named = new Set(
    changesetsSince(base).flatMap((file) => packagesNamed(readFileSync(join(ROOT, file), "utf8"))),
  );
  const unnamed = reports.filter(({ entry, text }) => {
    const before = reportAt(base, entry.report);
    return before !== undefined && before.trim() !== text.trim() && !named.has(entry.packageName);
  });
  if (unnamed.length > 0) {
    const names = [...new Set(unnamed.map(({ entry }) => entry.packageName))];
    console.error(
      `The public API of ${names.join(", ")} changed since main, and no changeset added on this branch names it.\n` +
        "Add one: .changeset/<name>.md with the package in its frontmatter (patch, minor or major) and a sentence.",
    );
    process.exit(1);
  }
  console.log(`API reports: ${reports.length} up to date; every changed one has a changeset`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
