// The "field" section: cskit against sandboxes that behave like real vendors (latency, rate limits),
// each sandbox and each contender in its own process. Every figure is a ratio against a baseline
// measured in the same run.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, "../apps/cli/bin/cskit.js");

/** Starts `bench/sandbox-server.mjs` in its own process, with faults (`latency=40,rate=200`). */
export function startFieldSandbox(api, customers, faults) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(HERE, "sandbox-server.mjs"), api, String(customers), faults],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    child.stdout.once("data", (chunk) =>
      resolve({ url: chunk.toString().trim(), stop: () => child.kill("SIGTERM") }),
    );
    child.once("exit", (code) => reject(new Error(`field sandbox exited with ${code}`)));
  });
}

/** Runs `node args...` to its end: seconds from outside, and what it printed. */
export function timedChild(args, env) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: HERE, env, encoding: "utf8", maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`field child failed: ${args.join(" ")}\n${result.stderr}`);
  return { seconds, stdout: result.stdout };
}

/** Count and order of the ids the CLI printed as ndjson, in the form field-child.mjs prints. */
async function cliDigest(stdout) {
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256");
  let count = 0;
  for (const line of stdout.split("\n")) {
    if (line === "") continue;
    hash.update(`${JSON.parse(line).id}\n`);
    count++;
  }
  return `${count} ${hash.digest("hex")}`;
}

export async function fieldBench({ quick, row, stats, fmt, rotate, log, env }) {
  const customers = quick ? 500 : 2500;
  const faults = "latency=40,rate=200";
  const sandbox = await startFieldSandbox("deskero", customers, faults);
  const rounds = quick ? 1 : 3;
  try {
    const cliEnv = {
      ...env,
      DESKERO_CLIENT_ID: "sandbox-client",
      DESKERO_API_TOKEN: "c2FuZGJveDpzYW5kYm94",
      DESKERO_BASE_URL: sandbox.url,
    };
    /** An export timed from inside its process: start-up is the same for both and not the point. */
    const inside = (kind) => {
      const [digest, seconds] = timedChild(["field-child.mjs", kind, sandbox.url], env)
        .stdout.trim()
        .split("\n");
      return { seconds: Number(seconds), stdout: digest };
    };
    const kinds = {
      raw: async () => inside("raw"),
      iterate: async () => inside("iterate"),
      cli: async () => {
        const run = timedChild([CLI, "deskero", "customers", "list", "--all", "-o", "ndjson"], cliEnv);
        return { seconds: run.seconds, stdout: await cliDigest(run.stdout) };
      },
    };
    const seconds = { raw: [], iterate: [], cli: [] };
    for (let round = 0; round < rounds; round++) {
      const outputs = {};
      for (const kind of rotate(Object.keys(kinds), round)) {
        const run = await kinds[kind]();
        seconds[kind].push(run.seconds);
        outputs[kind] = run.stdout.trim();
      }
      // The API's order: the same ids in the same order as the raw serial loop read them.
      for (const kind of ["iterate", "cli"])
        if (outputs[kind] !== outputs.raw)
          throw new Error(`field: ${kind} read "${outputs[kind]}", the raw loop "${outputs.raw}"`);
      log(
        `field round ${round + 1}/${rounds}: ${Object.entries(seconds)
          .map(([k, s]) => `${k} ${s.at(-1).toFixed(2)} s`)
          .join(", ")}`,
      );
    }
    const what = `Deskero export, ${customers} customers, 40 ms latency, 200 req/s limit`;
    const speedup = (kind) => stats(seconds.raw.map((raw, i) => raw / seconds[kind][i]));
    row(
      "field",
      `${what}: raw sequential fetch loop ${fmt(stats(seconds.raw), 2, " s")} (baseline)`,
      "reference",
      "1×",
      "–",
    );
    const iterate = speedup("iterate");
    row(
      "field",
      `${what}: deskero iterate, defaults, ${fmt(stats(seconds.iterate), 2, " s")}, same ids in the same order`,
      "≥ 4× raw",
      `${fmt(iterate)}×`,
      iterate.median >= 4 ? "yes" : "no",
    );
    const cli = speedup("cli");
    row(
      "field",
      `${what}: cskit deskero customers list --all -o ndjson, ${fmt(stats(seconds.cli), 2, " s")} with Node's start-up, same order`,
      "reported",
      `${fmt(cli)}×`,
      "–",
    );
  } finally {
    sandbox.stop();
  }
  await migrationRows({ quick, row, fmt, stats, log, env });
}

/**
 * Deskero → Apideck with default flags, into a target that allows `limit` requests a second (a 429
 * with Retry-After above it) at 40 ms latency: creates a second against the limit, measured from
 * inside the migrating process. Each record once, none failed (the child checks and says).
 */
async function migrationRows({ quick, row, fmt, stats, log, env }) {
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const cases = quick
    ? [{ limit: 100, records: 300 }]
    : [
        { limit: 100, records: 1500 },
        { limit: 300, records: 3000 },
        { limit: 20, records: 200 },
      ];
  for (const { limit, records } of cases) {
    const ratios = [];
    for (let round = 0; round < (quick ? 1 : 2); round++) {
      const source = await startFieldSandbox("deskero", records, "latency=40");
      const target = await startFieldSandbox("apideck", 0, `latency=40,rate=${limit}`);
      const dir = mkdtempSync(join(tmpdir(), "cskit-field-"));
      try {
        const run = timedChild(
          ["migrate-child.mjs", "migrate", source.url, target.url, join(dir, "s.sqlite"), "default"],
          env,
        );
        const result = JSON.parse(run.stdout);
        if (result.records !== records || result.held !== records || result.distinct !== records)
          throw new Error(`field migration at ${limit} req/s: ${run.stdout}, expected ${records} once each`);
        const floor = records / limit; // seconds the limit itself needs for the creates
        ratios.push(floor / (result.ms / 1000));
        log(`field migration at ${limit} req/s: ${records} records in ${(result.ms / 1000).toFixed(2)} s`);
      } finally {
        source.stop();
        target.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const share = stats(ratios);
    const what = `Migration Deskero → Apideck, ${records} records, 40 ms latency, target limit ${limit} req/s, default flags`;
    if (limit === 20)
      row(
        "field",
        `${what}: time against the ${records / limit} s the limit needs`,
        "≤ 1.5×",
        `${fmt(stats(ratios.map((r) => 1 / r)))}×`,
        1 / share.median <= 1.5 ? "yes" : "no",
      );
    else
      row(
        "field",
        `${what}: creates a second, share of the limit`,
        "≥ 0.85",
        fmt(share),
        share.median >= 0.85 ? "yes" : "no",
      );
  }
}
