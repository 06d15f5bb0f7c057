#!/usr/bin/env node
// pnpm bench [-- --quick] [-- --only=overhead,streaming,bundle,startup,build,migrate,field]
// Every figure is a ratio against a baseline measured side by side in this run: interleaved
// batches, rotating order, the median quoted with the min–max range. Nothing here asserts a time;
// --quick is a smoke run (tiny sizes) that CI uses so the benchmarks cannot rot.
import { spawn, spawnSync } from "node:child_process";
import { openSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";
import { createDeskeroClient } from "@cskit/deskero";
import { build } from "esbuild";
import createClient from "openapi-fetch";
import { fieldBench } from "./field.mjs";
import { migrationBench } from "./migrate.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const CLI = join(ROOT, "apps/cli/bin/cskit.js");
const MAX_RSS = pathToFileURL(join(HERE, "max-rss.mjs")).href;
const quick = process.argv.includes("--quick");
const onlyArg = process.argv.find((a) => a.startsWith("--only="));
const only = onlyArg ? new Set(onlyArg.slice(7).split(",")) : undefined;
const wanted = (section) => !only || only.has(section);
const ROUNDS = 3 + (quick ? 0 : 2);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };

const rows = [];
// A quick run's sizes are too small to judge anything: its Met column says so.
const row = (benchmark, figure, target, result, met) =>
  rows.push({ benchmark, figure, target, result, met: quick && met !== "–" ? "not judged (--quick)" : met });
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
const loadAtStart = load();

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1) };
}
const fmt = (s, digits = 2, unit = "") =>
  `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);
const log = (line) => process.stderr.write(`bench: ${line}\n`);

function startServer(total) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, "server.mjs"), String(total)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout.once("data", (chunk) =>
      resolve({ url: chunk.toString().trim(), stop: () => child.kill("SIGTERM") }),
    );
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

// 1. Per-request overhead against raw fetch.
async function overhead() {
  const server = await startServer(0);
  const url = server.url;
  const apideckHeaders = { authorization: "Bearer k", "x-apideck-app-id": "a", "x-apideck-consumer-id": "c" };
  const cs = createApideckCustomerSupport({ apiKey: "k", appId: "a", consumerId: "c", baseUrl: url });
  // The same client handed the global fetch: the path taken off Node, or with a fetch of the user's.
  const csOverFetch = createApideckCustomerSupport({
    apiKey: "k",
    appId: "a",
    consumerId: "c",
    baseUrl: url,
    fetch: (input, init) => fetch(input, init),
  });
  const dk = createDeskeroClient({ clientId: "c", accessToken: "t", baseUrl: url });
  const bare = createClient({ baseUrl: url, headers: apideckHeaders });
  const contenders = {
    "raw fetch (apideck)": async () =>
      (await fetch(`${url}/customer-support/customers?limit=20`, { headers: apideckHeaders })).json(),
    "openapi-fetch": async () =>
      (await bare.GET("/customer-support/customers", { params: { query: { limit: 20 } } })).data,
    "apideck client": () => cs.customers.list({ limit: 20 }),
    "apideck client over fetch": () => csOverFetch.customers.list({ limit: 20 }),
    "raw fetch (deskero)": async () =>
      (await fetch(`${url}/customer/list`, { headers: { authorization: "Bearer t", clientId: "c" } })).json(),
    "deskero client": () => dk.customers.list(),
  };
  const baselineOf = (name) =>
    name.startsWith("deskero") || name === "raw fetch (deskero)"
      ? "raw fetch (deskero)"
      : "raw fetch (apideck)";
  // Fine interleaving: many short batches pair each contender with its baseline under the same
  // machine load, which matters on a shared, noisy machine.
  const total = quick ? 300 : 5000;
  const rounds = quick ? ROUNDS : 20;
  const perBatch = Math.ceil(total / rounds);
  const bodyBytes = JSON.stringify(await contenders["apideck client"]()).length;

  for (const [mode, concurrency] of [
    ["sequential", 1],
    ["concurrency 32", 32],
  ]) {
    for (const call of Object.values(contenders)) await runBatch(call, quick ? 50 : 500, concurrency); // warm up
    const rps = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
    const cpu = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const name of rotate(Object.keys(contenders), round)) {
        const batch = await runBatch(contenders[name], perBatch, concurrency);
        rps[name].push(batch.rps);
        cpu[name].push(batch.cpuUsPerRequest);
      }
    }
    for (const name of Object.keys(contenders)) {
      if (name.startsWith("raw")) continue;
      const ratios = rps[name].map((r, i) => r / rps[baselineOf(name)][i]);
      const ratio = stats(ratios);
      // Requests per CPU-second of this process, relative to raw fetch: the client's own cost.
      const cpuRatio = stats(cpu[name].map((c, i) => cpu[baselineOf(name)][i] / c));
      // The default clients: ≥ 0.95× sequentially, ≥ 0.90× at concurrency 32, and ahead of bare
      // openapi-fetch in the same run. Over fetch they are a reference: fetch is the floor there.
      const reference = name === "openapi-fetch" || name.endsWith("over fetch");
      const floor = concurrency === 1 ? 0.95 : 0.9;
      const bare = stats(rps["openapi-fetch"].map((r, i) => r / rps["raw fetch (apideck)"][i])).median;
      const target = reference ? "reference" : `≥ ${floor.toFixed(2)}× and > openapi-fetch`;
      row(
        "per-request overhead",
        `${name}, ${mode}: req/s ${fmt(stats(rps[name]), 0)} vs raw ${fmt(stats(rps[baselineOf(name)]), 0)}`,
        target,
        `${fmt(ratio)}× req/s; ${fmt(cpuRatio)}× per CPU-s (${stats(cpu[name]).median.toFixed(0)} vs ${stats(cpu[baselineOf(name)]).median.toFixed(0)} µs/req)`,
        reference ? "–" : ratio.median >= floor && ratio.median > bare ? "yes" : "no",
      );
    }
  }
  log(
    `overhead: ${total} requests per contender and mode in ${rounds} interleaved batches, apideck page ${bodyBytes} B`,
  );
  server.stop();
}

async function runBatch(call, count, concurrency) {
  let next = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const worker = async () => {
    while (next++ < count) await call();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const { user, system } = process.cpuUsage(cpuBefore);
  return { rps: count / ((performance.now() - started) / 1000), cpuUsPerRequest: (user + system) / count };
}

// 2. Streaming pagination: records/s and peak RSS, each run in its own process.
function childRun(args, extraEnv = {}) {
  const rssFile = join(tmpdir(), `cskit-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const devNull = openSync("/dev/null", "w");
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--import", MAX_RSS, ...args], {
    cwd: HERE,
    env: { ...env, ...extraEnv, BENCH_RSS_FILE: rssFile },
    stdio: ["ignore", args[0] === CLI ? devNull : "pipe", "pipe"],
    encoding: "utf8",
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`bench child failed: ${args.join(" ")}\n${result.stderr}`);
  const rssKb = Number(readFileSync(rssFile, "utf8"));
  rmSync(rssFile, { force: true });
  return { seconds, rssMb: rssKb / 1024 };
}

async function streaming() {
  const sizes = quick ? [500, 2500] : [10_000, 100_000];
  const server = await startServer(sizes[1]);
  const cliEnv = {
    APIDECK_API_KEY: "k",
    APIDECK_APP_ID: "a",
    APIDECK_CONSUMER_ID: "c",
    APIDECK_BASE_URL: server.url,
    DESKERO_ACCESS_TOKEN: "t",
    DESKERO_CLIENT_ID: "c",
    DESKERO_BASE_URL: server.url,
  };
  const rounds = quick ? 1 : 3;
  for (const api of ["apideck", "deskero"]) {
    const kinds = {
      raw: (n) => ["stream.mjs", api, "raw", server.url, String(n)],
      iterate: (n) => ["stream.mjs", api, "client", server.url, String(n)],
      export: (n) => ["stream.mjs", api, "export", server.url, String(n)],
      cli: (n) => [
        CLI,
        api,
        "customers",
        "list",
        "--all",
        "--max-items",
        String(n),
        "-o",
        "ndjson",
        ...(api === "apideck" ? ["--limit", "200"] : []),
      ],
    };
    const results = {};
    for (let round = 0; round < rounds; round++) {
      for (const kind of rotate(Object.keys(kinds), round)) {
        for (const n of sizes) {
          const run = childRun(kinds[kind](n), cliEnv);
          const key = `${kind} ${n}`;
          results[key] ??= { rps: [], rss: [] };
          results[key].rps.push(n / run.seconds);
          results[key].rss.push(run.rssMb);
        }
      }
    }
    const [small, large] = sizes;
    const rawRss = stats(results[`raw ${large}`].rss.map((r, i) => r / results[`raw ${small}`].rss[i]));
    row(
      "streaming memory",
      `${api} raw fetch loop (baseline): peak RSS ${fmt(stats(results[`raw ${small}`].rss), 0, " MB")} at ${small} → ${fmt(stats(results[`raw ${large}`].rss), 0, " MB")} at ${large}`,
      "reference",
      `${fmt(rawRss)}×`,
      "–",
    );
    // The CLI against the loop a user would write instead: iterate, each record an NDJSON line.
    const cliVsExport = stats(
      results[`cli ${large}`].rps.map((r, i) => r / results[`export ${large}`].rps[i]),
    );
    row(
      "streaming throughput",
      `${api} cli list --all -o ndjson at ${large}: ${fmt(stats(results[`cli ${large}`].rps), 0)} records/s vs iterate writing the same NDJSON ${fmt(stats(results[`export ${large}`].rps), 0)}`,
      "≥ 0.90×",
      `${fmt(cliVsExport)}×`,
      cliVsExport.median >= 0.9 ? "yes" : "no",
    );
    for (const kind of ["iterate", "cli"]) {
      const rssRatio = stats(
        results[`${kind} ${large}`].rss.map((r, i) => r / results[`${kind} ${small}`].rss[i]),
      );
      row(
        "streaming memory",
        `${api} ${kind}: peak RSS ${fmt(stats(results[`${kind} ${small}`].rss), 0, " MB")} at ${small} → ${fmt(stats(results[`${kind} ${large}`].rss), 0, " MB")} at ${large}`,
        "≤ 1.2×",
        `${fmt(rssRatio)}×`,
        rssRatio.median <= 1.2 ? "yes" : "no",
      );
      const throughput = stats(
        results[`${kind} ${large}`].rps.map((r, i) => r / results[`raw ${large}`].rps[i]),
      );
      row(
        "streaming throughput",
        `${api} ${kind} at ${large}: ${fmt(stats(results[`${kind} ${large}`].rps), 0)} records/s vs raw loop ${fmt(stats(results[`raw ${large}`].rps), 0)}`,
        "reported",
        `${fmt(throughput)}×`,
        "–",
      );
    }
  }
  server.stop();
}

// 3. Bundle size of a one-call program per client.
async function bundles() {
  const programs = {
    "apideck list": `import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";
      const cs = createApideckCustomerSupport({ apiKey: "k", appId: "a", consumerId: "c" });
      console.log(await cs.customers.list({ limit: 10 }));`,
    "deskero list": `import { createDeskeroClient } from "@cskit/deskero";
      const dk = createDeskeroClient({ clientId: "c", apiToken: "t" });
      console.log(await dk.customers.list());`,
    "openapi-fetch alone": `import createClient from "openapi-fetch";
      const c = createClient({ baseUrl: "https://x" });
      console.log(await c.GET("/customers", {}));`,
  };
  for (const [name, contents] of Object.entries(programs)) {
    const out = await build({
      stdin: { contents, resolveDir: HERE, loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "neutral",
      mainFields: ["module", "main"],
      write: false,
    });
    const bytes = out.outputFiles[0].contents;
    const gz = gzipSync(bytes, { level: 9 }).length;
    const reference = name === "openapi-fetch alone";
    row(
      "bundle size",
      `${name}: ${bytes.length} B min`,
      reference ? "reference" : "≤ 12288 B gz",
      `${gz} B gz`,
      reference ? "–" : gz <= 12288 ? "yes" : "no",
    );
  }
}

// 4. CLI start-up against a bare node.
function startup() {
  const time = (args) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { env, stdio: "ignore" });
    if (result.status !== 0) throw new Error(`failed: node ${args.join(" ")}`);
    return performance.now() - started;
  };
  const perRound = quick ? 3 : 10;
  const ratios = [];
  const cliMs = [];
  const nodeMs = [];
  for (let round = 0; round < ROUNDS; round++) {
    const cli = [];
    const bare = [];
    for (let i = 0; i < perRound; i++) {
      const order = (round + i) % 2 ? ["node", "cli"] : ["cli", "node"];
      for (const which of order)
        (which === "cli" ? cli : bare).push(time(which === "cli" ? [CLI, "--version"] : ["-e", "0"]));
    }
    cliMs.push(stats(cli).median);
    nodeMs.push(stats(bare).median);
    ratios.push(stats(cli).median / stats(bare).median);
  }
  const ratio = stats(ratios);
  row(
    "CLI start-up",
    `cskit --version ${fmt(stats(cliMs), 0, " ms")} vs node -e 0 ${fmt(stats(nodeMs), 0, " ms")}`,
    "≤ 2.5×",
    `${fmt(ratio)}×`,
    ratio.median <= 2.5 ? "yes" : "no",
  );
}

// 5. Regeneration and build.
function buildTimes() {
  const timeCommand = (command, args) => {
    const started = performance.now();
    const result = spawnSync(command, args, { cwd: ROOT, env, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`failed: ${command} ${args.join(" ")}\n${result.stderr}`);
    return { seconds: (performance.now() - started) / 1000, output: result.stdout };
  };
  const generate = [];
  for (let i = 0; i < (quick ? 1 : ROUNDS); i++)
    generate.push(timeCommand(process.execPath, ["scripts/generate.mjs"]).seconds);
  row("regeneration", "pnpm generate (both specs)", "reported", fmt(stats(generate), 2, " s"), "–");
  const turbo = join(ROOT, "node_modules/.bin/turbo");
  const cold = [];
  const cached = [];
  let fullTurbo = true;
  for (let i = 0; i < (quick ? 0 : ROUNDS); i++)
    cold.push(timeCommand(turbo, ["run", "build", "--force"]).seconds);
  for (let i = 0; i < ROUNDS; i++) {
    const run = timeCommand(turbo, ["run", "build"]);
    cached.push(run.seconds);
    fullTurbo &&= run.output.includes("FULL TURBO");
  }
  if (cold.length) {
    row(
      "build",
      `cold pnpm build (turbo --force) ${fmt(stats(cold), 1, " s")} vs cached`,
      "reported",
      `${fmt(stats(cold.map((c, i) => c / cached[i])), 0)}× slower`,
      "–",
    );
  }
  row(
    "build",
    `cached pnpm build ${fmt(stats(cached), 2, " s")}`,
    "full turbo hit",
    fullTurbo ? "FULL TURBO" : "cache miss",
    fullTurbo ? "yes" : "no",
  );
}

log(
  `${quick ? "quick smoke run (nothing is judged)" : "full run"} on ${cpus().length} cores, Node ${process.version}, load average ${loadAtStart}`,
);
if (wanted("overhead")) await overhead();
if (wanted("streaming")) await streaming();
if (wanted("bundle")) await bundles();
if (wanted("startup")) startup();
if (wanted("build")) buildTimes();
if (wanted("migrate")) await migrationBench({ quick, row, stats, fmt, rotate, log, env });
if (wanted("field")) await fieldBench({ quick, row, stats, fmt, rotate, log, env });

console.log(`\n| Benchmark | Figure (median, min–max) | Target | Result | Met |\n|---|---|---|---|---|`);
for (const r of rows) console.log(`| ${r.benchmark} | ${r.figure} | ${r.target} | ${r.result} | ${r.met} |`);
console.log(
  `\n${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), Node ${process.version}, ${quick ? "--quick" : "full"} run, ${ROUNDS} rounds; load average (1, 5, 15 min) ${loadAtStart} at the start, ${load()} at the end.`,
);
if (quick) console.log("--quick is a smoke run with tiny sizes: it judges nothing (Met: not judged).");
