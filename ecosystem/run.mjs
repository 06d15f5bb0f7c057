#!/usr/bin/env node
// The ecosystem test: the packed @cskit packages in every runtime users deploy them to.
//
// Packs the public packages that @cskit/helpdesk and @cskit/sandbox need (scripts/pack.mjs), installs
// the tarballs with npm into a project in the temp directory, outside this repository, with
// miniflare and esbuild, and starts the sandboxes of both APIs (from the installed @cskit/sandbox)
// over HTTP on 127.0.0.1 in this process. Then runs one program, program.mjs, under each runtime
// below: Node (main.mjs), Bun and Deno (the same main.mjs), and workerd, as a Worker bundled by esbuild
// for workers (worker.mjs) and run by miniflare, with and without nodejs_compat. Each runtime gets
// fresh sandboxes, and its one JSON line must equal `expected(runtime)` exactly. The runtimes come
// from the npm registry into a cache outside the repository, fetched once. Needs `pnpm build` first.
//   node ecosystem/run.mjs [--keep] [--only node22,bun,...]
// Cache: $CSKIT_RUNTIME_CACHE, else $CSKIT_NODE_CACHE (.ci/run's), else /tmp/cskit-ci-cache.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { parse } from "yaml";
import { pack, publicPackages, repo, withDependencies } from "../scripts/pack.mjs";
import {
  BUN,
  bunBinary,
  runtimeCache as cache,
  DENO,
  denoBinary,
  NODE_MAJORS,
  nodeBinary,
} from "../scripts/runtimes.mjs";

/** Node, Bun and Deno are pinned in scripts/runtimes.mjs; miniflare (and its workerd) and esbuild in the catalog. */
const COMPATIBILITY_DATE = "2026-07-01"; // of the Worker, in workerd
const CUSTOMERS = 60; // seeded in each sandbox: 3 pages of both APIs

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"), // `pnpm ecosystem -- --only bun` passes the `--`
  options: { keep: { type: "boolean", default: false }, only: { type: "string" } },
});
const started = performance.now();
const seconds = (since) => ((performance.now() - since) / 1000).toFixed(1);
const catalog = parse(readFileSync(join(repo, "pnpm-workspace.yaml"), "utf8")).catalog;
// The READMEs name the versions tested: the pins above, so that a new pin updates them.
for (const readme of ["README.md", "packages/http/README.md"]) {
  const text = readFileSync(join(repo, readme), "utf8").replace(/\s+/g, " ");
  const missing = [`Bun ${BUN}`, `Deno ${DENO}`, `miniflare ${catalog.miniflare}`].filter(
    (v) => !text.includes(v),
  );
  if (missing.length > 0) {
    console.error(`ecosystem: ${readme} does not name the versions tested: ${missing.join(", ")}`);
    process.exit(1);
  }
}

/** What program.mjs must print for each provider, in every runtime. */
const provider = (name, { listed, status, operation }) => ({
  listed,
  listRequestId: true,
  iterated: CUSTOMERS,
  pages: 3,
  createdId: true,
  createRequestId: true,
  got: { sameId: true, name: "Ada Lovelace", email: "ada@example.com", provider: name },
  afterCreate: CUSTOMERS + 1,
  error: {
    providerClass: true,
    cskitClass: true,
    name: name === "apideck" ? "ApideckError" : "DeskeroError",
    status,
    notFound: true,
    operation,
    requestId: true, // every answer of the sandboxes carries one, as both APIs' do
  },
  helpdeskNotFound: true,
});
const EXPECTED = {
  apideck: provider("apideck", { listed: 20, status: 404, operation: "customersOne" }),
  // Deskero answers a missing customer with a 204 and no body.
  deskero: provider("deskero", { listed: 25, status: 204, operation: "getCustomer" }),
};

/**
 * What program.mjs must print in every runtime. `unreachable`: a refused connection is a
 * ConnectionError `refused` (never reached the server: a plain POST may be retried), but in workerd,
 * whose fetch says only "Network connection lost." and cannot be told from a dropped answer.
 */
const expected = ({ userAgent, unreachable }) => ({
  userAgent,
  apideck: { ...EXPECTED.apideck, unreachable },
  deskero: { ...EXPECTED.deskero, unreachable },
});
const REFUSED = { connectionClass: true, cskitClass: true, kind: "refused", code: "ECONNREFUSED" };
const LOST = { connectionClass: true, cskitClass: true, kind: "retryable", code: null };

class StepError extends Error {
  constructor(step, message, output = "") {
    super(message);
    this.step = step;
    this.output = output;
  }
}

/** Runs a command to its end without blocking this process (the sandboxes answer meanwhile). */
function run(step, command, args, { timeoutMs = 300_000, ...options } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new StepError(step, `\`${command}\` did not start: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else {
        const why = signal ? `killed by ${signal}` : `exit code ${code}`;
        const output = `${stdout}${stderr}`.trim();
        reject(new StepError(step, `\`${[command, ...args].join(" ")}\` failed (${why})`, output));
      }
    });
  });
}

/** Packs the synchronous way packed-install does: a failure throws with the command's output. */
function runSync(command, args, options) {
  const result = spawnSync(command, args, { encoding: "utf8", ...options });
  if (result.status !== 0)
    throw new StepError(
      "pack",
      `\`${[command, ...args].join(" ")}\` failed`,
      `${result.stdout}${result.stderr}`,
    );
  return result.stdout;
}

/** The URL of a port on 127.0.0.1 that nobody listens on (it was free a moment ago). */
async function closedUrl() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** The paths at which `got` differs from `expected`, each with both values. */
function differences(got, expected, path = "") {
  if (isDeepStrictEqual(got, expected)) return [];
  const objects = [got, expected].every((v) => typeof v === "object" && v !== null && !Array.isArray(v));
  if (!objects)
    return [`${path || "(the result)"}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`];
  const keys = new Set([...Object.keys(got), ...Object.keys(expected)]);
  return [...keys].flatMap((key) => differences(got[key], expected[key], path ? `${path}.${key}` : key));
}

/** The result line of a program's output: the last line, as JSON. */
function resultOf(step, stdout, stderr) {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line);
  } catch {
    throw new StepError(step, "the program printed no JSON line", `${stdout}${stderr}`.trim());
  }
}

/** Every runtime: how to get it, its version, and how to run the program with `config`. */
function runtimes() {
  const env = (config) => ({
    ...process.env,
    CSKIT_ECOSYSTEM_CONFIG: JSON.stringify(config),
    DO_NOT_TRACK: "1",
    NO_COLOR: "1",
  });
  const cli = (name, userAgent, prepare, args) => ({
    name,
    userAgent,
    unreachable: REFUSED,
    async prepare() {
      this.bin = await prepare();
      const { stdout } = await run(`${name}: version`, this.bin, ["--version"]);
      this.version = stdout.trim().split("\n")[0];
    },
    async run(config) {
      const { stdout, stderr } = await run(`${name}: run the program`, this.bin, [...args, "main.mjs"], {
        cwd: project,
        env: { ...env(config), DENO_DIR: join(cache, "deno-dir"), DENO_NO_UPDATE_CHECK: "1" },
        timeoutMs: 120_000,
      });
      // A warning the runtime prints about our packages (a deprecation, a permission) fails the test.
      if (stderr.trim() !== "") throw new StepError(`${name}: run the program`, "it wrote to stderr", stderr);
      return resultOf(`${name}: run the program`, stdout, stderr);
    },
  });
  const workerd = (name, compatibilityFlags) => ({
    name,
    userAgent: "Cloudflare-Workers",
    unreachable: LOST,
    async prepare() {
      const require = createRequire(join(project, "package.json"));
      const { build } = await import(pathToFileURL(require.resolve("esbuild")).href);
      const bundle = await build({
        entryPoints: [join(project, "worker.mjs")],
        bundle: true,
        format: "esm",
        platform: "neutral",
        conditions: ["workerd", "worker", "browser"],
        mainFields: ["module", "main"],
        write: false,
        logLevel: "silent",
      });
      // The fetch sender only: no node:http, not even behind process.getBuiltinModule (package.json
      // `imports` give a bundle for workers pick-fetch.js), and nothing left for the runtime to resolve.
      const script = bundle.outputFiles[0].text;
      const builtins = [...new Set(script.match(/["']node:[a-z_/]+["']/g))];
      if (builtins.length > 0)
        throw new StepError(`${name}: bundle`, `the Worker bundle names ${builtins.join(", ")}`);
      this.script = script;
      this.Miniflare = (await import(pathToFileURL(require.resolve("miniflare")).href)).Miniflare;
      const version = (pkg) =>
        JSON.parse(readFileSync(join(project, "node_modules", pkg, "package.json"))).version;
      this.version = `workerd ${version("workerd")}, miniflare ${version("miniflare")}, esbuild ${version("esbuild")}, compatibility date ${COMPATIBILITY_DATE}${compatibilityFlags.map((f) => `, ${f}`).join("")}`;
    },
    async run(config) {
      const mf = new this.Miniflare({
        modules: true,
        script: this.script,
        compatibilityDate: COMPATIBILITY_DATE,
        compatibilityFlags,
        bindings: { CONFIG: JSON.stringify(config) },
      });
      try {
        const answer = await mf.dispatchFetch("http://worker/", { signal: AbortSignal.timeout(120_000) });
        const text = await answer.text();
        if (answer.status !== 200)
          throw new StepError(`${name}: run the program`, `the Worker answered ${answer.status}`, text);
        return resultOf(`${name}: run the program`, text, "");
      } finally {
        await mf.dispose();
      }
    },
  });
  return [
    ...NODE_MAJORS.map((major) => cli(`node${major}`, `Node.js/${major}`, () => nodeBinary(major), [])),
    cli("bun", `Bun/${BUN}`, bunBinary, ["--no-install"]),
    cli(
      "deno",
      `Deno/${DENO}`,
      denoBinary,
      // No more than the program needs: the packages ask for no other permission (no file, no variable).
      ["run", "--no-prompt", "--no-lock", "--allow-net=127.0.0.1", "--allow-env=CSKIT_ECOSYSTEM_CONFIG"],
    ),
    workerd("workerd", []),
    workerd("workerd+nodejs_compat", ["nodejs_compat"]),
  ];
}

const all = runtimes();
const only = values.only?.split(",") ?? all.map(({ name }) => name);
const unknown = only.filter((name) => !all.some((runtime) => runtime.name === name));
if (unknown.length > 0) {
  console.error(`ecosystem: no runtime ${unknown.join(", ")} (${all.map(({ name }) => name).join(", ")})`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "cskit-ecosystem-"));
const project = join(work, "project");
for (const dir of [work, cache])
  if (!relative(repo, dir).startsWith("..")) throw new Error(`${dir} is inside the repository`);

let failed = 0;
try {
  console.log(`ecosystem: the packed packages in every runtime (${work}, runner node ${process.version})`);
  let since = performance.now();
  const tarballs = join(work, "tarballs");
  const packages = withDependencies(publicPackages(), ["@cskit/helpdesk", "@cskit/sandbox"]);
  const packed = pack(packages, tarballs, (command, args, options) => runSync(command, args, options));
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "cskit-ecosystem", private: true, type: "module" }, null, 2),
  );
  const tools = ["miniflare", "esbuild"].map((name) => `${name}@${catalog[name]}`);
  await run(
    "npm install",
    "npm",
    ["install", "--no-audit", "--no-fund", "--loglevel=error", ...packed, ...tools],
    {
      cwd: project,
      timeoutMs: 1_200_000,
    },
  );
  for (const file of ["program.mjs", "main.mjs", "worker.mjs"])
    copyFileSync(join(import.meta.dirname, file), join(project, file));
  console.log(
    `  ${seconds(since)}s  packed and installed ${packages.map((p) => p.manifest.name).join(", ")}`,
  );

  const require = createRequire(join(project, "package.json"));
  const { SANDBOX_CREDENTIALS, startSandbox } = await import(
    pathToFileURL(require.resolve("@cskit/sandbox")).href
  );
  for (const runtime of all.filter(({ name }) => only.includes(name))) {
    since = performance.now();
    const sandboxes = {};
    try {
      await runtime.prepare();
      const config = { closedUrl: await closedUrl() };
      for (const name of ["apideck", "deskero"]) {
        sandboxes[name] = await startSandbox(name, { customers: CUSTOMERS });
        config[name] = { baseUrl: sandboxes[name].url, credentials: SANDBOX_CREDENTIALS[name] };
      }
      const result = await runtime.run(config);
      const wrong = differences(result, expected(runtime));
      if (wrong.length > 0)
        throw new StepError(
          `${runtime.name}: compare`,
          "the program's result is not the expected one",
          `${wrong.join("\n")}\nthe whole result: ${JSON.stringify(result)}`,
        );
      for (const [name, sandbox] of Object.entries(sandboxes))
        if (sandbox.size() !== CUSTOMERS + 1)
          throw new StepError(
            `${runtime.name}: ${name} sandbox`,
            `holds ${sandbox.size()} customers, not ${CUSTOMERS + 1}`,
          );
      console.log(`  ok  ${runtime.name.padEnd(22)} ${seconds(since).padStart(5)}s  ${runtime.version}`);
    } catch (error) {
      failed++;
      const step = error.step ?? `${runtime.name}: harness`;
      console.error(
        `  FAIL ${runtime.name} (${step}): ${error.message}\n${error.output ?? error.stack ?? ""}`,
      );
    } finally {
      for (const sandbox of Object.values(sandboxes)) await sandbox.stop();
    }
  }
} catch (error) {
  failed++;
  console.error(
    `  FAIL (${error.step ?? "harness"}): ${error.message}\n${error.output ?? error.stack ?? ""}`,
  );
}
if (failed > 0) {
  console.error(`ecosystem: ${failed} failed in ${seconds(started)} s (the temp project is kept in ${work})`);
  process.exitCode = 1;
} else {
  console.log(`ecosystem: every runtime passed in ${seconds(started)} s`);
  if (values.keep) console.log(`ecosystem: the project is kept in ${project}`);
  else rmSync(work, { recursive: true, force: true });
}
