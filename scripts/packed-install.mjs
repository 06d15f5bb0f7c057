#!/usr/bin/env node
// The packages as a user gets them from npm. Packs every public package (pnpm pack rewrites
// `workspace:` and `catalog:` ranges), lints the tarballs (publint, attw --profile esm-only), installs
// them with plain npm into an empty project in the temp directory, outside this repository, and there:
// imports every entry point, compiles and runs a small program under moduleResolution NodeNext and
// Bundler, runs the CLI on the sandbox, the Prism mock and a sandbox migration, and checks that Prism's
// internals are the versions the catalog pins. Then installs the CLI alone with npm, pnpm 10 and Bun
// (scripts/runtimes.mjs fetches it), each with its default settings: at most 25 MB, no install script, no telemetry package, `--mock`
// says how to add @cskit/prism, a sandbox migration works; then, with @cskit/prism added, Prism's
// internals are the pinned versions and `--mock` lists customers.
// A package that reads a file it does not ship fails here. Needs `pnpm build` first; runs on the
// `node` that runs it.
//   node scripts/packed-install.mjs [--keep]   (--keep leaves the temp project for a look)
// Its last line names the folder it keeps (with --keep, or after a failure, for a look); Ctrl-C
// deletes the folder unless --keep.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { diskUse, installedPackages, installScripts } from "./installed.mjs";
import { publicPackages as listPublicPackages, pack, repo, tarballName } from "./pack.mjs";
import { bunBinary } from "./runtimes.mjs";

const { values } = parseArgs({ options: { keep: { type: "boolean", default: false } } });
const bin = (name) => join(repo, "node_modules/.bin", name);
// The CLI's own install (without the optional @cskit/prism), and packages that report installs.
const CLI_INSTALL_BUDGET = 25 * 1000 * 1000;
const TELEMETRY = ["@scarf/scarf"];
const catalog = parse(readFileSync(join(repo, "pnpm-workspace.yaml"), "utf8")).catalog;
// The CLI's shebang runs the `node` first on PATH: make it this one.
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };

// The user's program: type-checked against the shipped declarations, then run.
const PROGRAM = `import { createHelpdesk, type UnifiedCustomer } from "@cskit/helpdesk";
import { createSandbox, IN_PROCESS_URL, SANDBOX_CREDENTIALS } from "@cskit/sandbox";
import { validators } from "@cskit/specs";

const sandbox = createSandbox("deskero", { customers: 3 });
const helpdesk = createHelpdesk({
  provider: "deskero",
  ...SANDBOX_CREDENTIALS.deskero,
  baseUrl: IN_PROCESS_URL,
  fetch: sandbox.fetch,
});
// Never called: it only has to fail to compile (were the types \`any\`, tsc would flag the unused directive).
export function misuse() {
  // @ts-expect-error an unknown provider
  createHelpdesk({ provider: "zendesk" });
}
const customers: UnifiedCustomer[] = [];
for await (const customer of helpdesk.customers.iterate()) customers.push(customer);
const validate = validators("deskero").component("Customer");
const valid = [...sandbox.records()].filter((c) => validate(c) === true).length;
console.log(\`\${customers.length} customers, \${valid} valid\`);
`;

const work = mkdtempSync(join(tmpdir(), "cskit-packed-"));
if (!relative(repo, work).startsWith("..")) throw new Error(`${work} is inside the repository`);
const tarballs = join(work, "tarballs");
const project = join(work, "project");
let step = "";
// Ctrl-C reaches the command that runs too: it ends, and run() reports how, so the cleanup below
// runs. (This process's own handler runs only once the command has ended: spawnSync blocks.)
const SIGNAL_CODE = { SIGINT: 130, SIGTERM: 143 };
let interrupted;
for (const signal of Object.keys(SIGNAL_CODE))
  process.on(signal, () => {
    interrupted ??= { signal, code: SIGNAL_CODE[signal] };
  });
/** The last line: where the projects are, to look at them. */
const keptLine = () =>
  `packed-install: kept in ${work} (project/ with everything from npm; npm-cli/, pnpm-cli/, bun-cli/ with the CLI alone; tarballs/)`;

/** Runs a command; on failure prints its output and stops. Returns stdout. */
function run(command, args, { quiet = false, ...options } = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: "utf8", env, timeout: 300_000, ...options });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const killedBy = result.error?.code === "ETIMEDOUT" ? undefined : result.signal;
  if (killedBy in SIGNAL_CODE) interrupted ??= { signal: killedBy, code: SIGNAL_CODE[killedBy] };
  if (interrupted) throw new Error(`${step}: stopped by ${interrupted.signal}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
    const why = result.error ? result.error.message : `exit code ${result.status ?? result.signal}`;
    throw new Error(`${step}: \`${[command, ...args].join(" ")}\` failed (${why}):\n${output}`);
  }
  if (!quiet)
    console.log(`  ok ${seconds}s  ${[command, ...args].map((a) => a.replace(work, "$TMP")).join(" ")}`);
  return result.stdout;
}

/** Every Prism package installed is the version our catalog pins (newer ones need Node 24.18+). */
function checkPrismPins(packages) {
  const prism = packages.filter(({ name }) => name.startsWith("@stoplight/prism-"));
  check(prism.length >= 4, `Prism is not installed: ${prism.map(({ name }) => name).join(", ")}`);
  for (const { name, version } of prism)
    check(version === catalog[name], `${name}@${version} is installed; the catalog pins ${catalog[name]}`);
}

function check(condition, message) {
  if (!condition) throw new Error(`${step}: ${message}`);
}

const publicPackages = listPublicPackages();

try {
  step = "pack";
  console.log(`Packing ${publicPackages.length} public packages into ${work} (node ${process.version})`);
  const packed = pack(publicPackages, tarballs, run);

  step = "lint tarballs";
  for (const tarball of packed) {
    const manifest = run("tar", ["-xzOf", tarball, "package/package.json"], { quiet: true });
    check(!/"(workspace|catalog):/.test(manifest), `${tarball} keeps a workspace: or catalog: range`);
    const listing = run("tar", ["-tzf", tarball], { quiet: true }).split("\n");
    const shipped = listing.filter((f) => /\.(js|json|yaml)$/.test(f)).map((f) => `package/${f.slice(8)}`);
    const text = run("tar", ["-xzOf", tarball, ...new Set(shipped)], {
      quiet: true,
      maxBuffer: 64 * 1024 * 1024,
    });
    check(!text.includes(repo), `${tarball} names a path in the repository (${repo})`);
    run(bin("publint"), ["run", tarball, "--strict"]);
    if (JSON.parse(manifest).exports) run(bin("attw"), [tarball, "--profile", "esm-only", "--no-emoji"]);
  }

  step = "npm install";
  mkdirSync(join(project, "src"), { recursive: true });
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "cskit-packed-install", private: true, type: "module" }, null, 2),
  );
  const tools = ["typescript", "@types/node", "fast-check"].map((name) => `${name}@${catalog[name]}`);
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...packed, ...tools], {
    cwd: project,
    timeout: 1_200_000,
  });

  step = "import every entry point";
  const entryPoints = publicPackages.flatMap(({ manifest }) =>
    Object.keys(manifest.exports ?? {}).map((key) => manifest.name + key.slice(1)),
  );
  const imports = entryPoints.map(
    (name) =>
      `if (Object.keys(await import(${JSON.stringify(name)})).length === 0) throw new Error("${name} exports nothing");`,
  );
  writeFileSync(
    join(project, "imports.mjs"),
    `${imports.join("\n")}\nconsole.log("imported ${entryPoints.length}");\n`,
  );
  run(process.execPath, ["imports.mjs"], { cwd: project });

  step = "compile under NodeNext and Bundler";
  writeFileSync(join(project, "src/program.ts"), PROGRAM);
  const compilerOptions = { target: "ES2022", strict: true, types: ["node"], skipLibCheck: false };
  const tsconfig = (options) =>
    JSON.stringify({ compilerOptions: { ...compilerOptions, ...options }, include: ["src"] });
  writeFileSync(join(project, "tsconfig.nodenext.json"), tsconfig({ module: "NodeNext", outDir: "dist" }));
  writeFileSync(
    join(project, "tsconfig.bundler.json"),
    tsconfig({ module: "Preserve", moduleResolution: "Bundler", noEmit: true }),
  );
  const tsc = join(project, "node_modules/typescript/bin/tsc");
  run(process.execPath, [tsc, "-p", "tsconfig.nodenext.json"], { cwd: project });
  run(process.execPath, [tsc, "-p", "tsconfig.bundler.json"], { cwd: project });
  const listed = run(process.execPath, ["dist/program.js"], { cwd: project });
  check(listed.trim() === "3 customers, 3 valid", `the program printed ${JSON.stringify(listed)}`);

  step = "cskit";
  const cskit = (...args) => run(join(project, "node_modules/.bin/cskit"), args, { cwd: project });
  const cli = publicPackages.find(({ manifest }) => manifest.bin?.cskit)?.manifest;
  check(cskit("--version").trim() === cli?.version, "cskit --version does not print the CLI's version");
  check(cskit("deskero", "customers", "list", "--sandbox").trim() !== "", "no customers from the sandbox");
  check(cskit("apideck", "customers", "list", "--mock").trim() !== "", "no customers from the mock");
  cskit("migrate", "--from", "deskero", "--to", "apideck", "--sandbox");

  step = "Prism as tested";
  // @cskit/prism pins Prism's internals itself: a user's install must resolve the versions we test.
  checkPrismPins(installedPackages(join(project, "node_modules")));

  // The CLI alone, as `npm install`, `pnpm add` and `bun add @cskit/cli` give it with their default
  // settings: the other @cskit tarballs stand in for the registry through overrides.
  const overrides = Object.fromEntries(
    publicPackages.map(({ manifest }) => [manifest.name, `file:${join(tarballs, tarballName(manifest))}`]),
  );
  const dependencies = { "@cskit/cli": overrides["@cskit/cli"] };
  const cliAlone = {
    npm: {
      manifest: { dependencies, overrides },
      command: "npm",
      install: ["install", "--no-audit", "--no-fund", "--loglevel=error"],
    },
    // --no-frozen-lockfile: pnpm freezes the lockfile when CI is set; a user adding a package does not.
    pnpm: {
      manifest: { dependencies, pnpm: { overrides } },
      command: "pnpm",
      install: ["install", "--no-frozen-lockfile"],
    },
    bun: { manifest: { dependencies, overrides }, command: bunBinary(), install: ["install"] },
  };
  for (const [manager, { manifest, command, install }] of Object.entries(cliAlone)) {
    step = `${manager}: the CLI alone, default settings`;
    const alone = join(work, `${manager}-cli`);
    const installAlone = (more = {}) => {
      const withMore = { ...manifest, dependencies: { ...manifest.dependencies, ...more } };
      const name = `cskit-${manager}-cli`;
      writeFileSync(
        join(alone, "package.json"),
        JSON.stringify({ name, private: true, ...withMore }, null, 2),
      );
      run(command, install, { cwd: alone, timeout: 600_000 });
      return installedPackages(join(alone, "node_modules"));
    };
    mkdirSync(alone);
    const packages = installAlone();
    const bytes = diskUse(join(alone, "node_modules"));
    console.log(
      `  ${manager}: the CLI installs ${packages.length} packages, ${(bytes / 1e6).toFixed(1)} MB on disk`,
    );
    check(bytes <= CLI_INSTALL_BUDGET, `node_modules takes ${bytes} bytes, over ${CLI_INSTALL_BUDGET}`);
    const scripts = installScripts(packages);
    check(scripts.length === 0, `install scripts: ${scripts.join(", ")}`);
    const telemetry = packages.filter(({ name }) => TELEMETRY.includes(name)).map(({ name }) => name);
    check(telemetry.length === 0, `telemetry packages: ${telemetry.join(", ")}`);

    const cskitAlone = (...args) => run(join(alone, "node_modules/.bin/cskit"), args, { cwd: alone });
    const mockArgs = ["apideck", "customers", "list", "--mock", "-o", "json"];
    const mock = spawnSync(join(alone, "node_modules/.bin/cskit"), mockArgs, { encoding: "utf8", env });
    check(
      mock.status === 2 &&
        /^cskit: mocks need Prism, which is not installed: npm install @cskit\/prism@/.test(mock.stderr),
      `--mock without @cskit/prism: exit ${mock.status}, ${JSON.stringify(mock.stderr)}`,
    );
    const sandboxMigration = ["migrate", "--from", "deskero", "--to", "apideck", "--sandbox"];
    const migrated = cskitAlone("-o", "json", ...sandboxMigration, "--sandbox-customers", "20");
    const summary = JSON.parse(migrated);
    check(summary.created + summary.linked === 20 && summary.failed === 0, `migrate printed ${migrated}`);

    step = `${manager}: the CLI with @cskit/prism added`;
    checkPrismPins(installAlone({ "@cskit/prism": overrides["@cskit/prism"] }));
    check(JSON.parse(cskitAlone(...mockArgs)).length > 0, "no customers from the mock");
  }

  console.log(`packed-install: ${publicPackages.length} packages install and work outside the workspace`);
  if (values.keep) console.log(keptLine());
  else rmSync(work, { recursive: true, force: true });
} catch (error) {
  console.error(`packed-install failed: ${error.message}`);
  process.exitCode = interrupted?.code ?? 1;
  // A failure keeps the projects for a look; an interrupted run keeps them only with --keep.
  if (interrupted && !values.keep) {
    rmSync(work, { recursive: true, force: true });
    console.error(`packed-install: deleted ${work}`);
  } else console.error(keptLine());
}
