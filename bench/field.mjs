// The "field" section: cskit against sandboxes that behave like real vendors (latency, rate limits),
// each sandbox and each contender in its own process. Every figure is a ratio against a baseline
// measured in the same run.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, "../apps/cli/bin/cskit.js");

/**
 * Starts `bench/sandbox-server.mjs` in its own process, with faults (`latency=40,rate=200`).
 * `stop()` resolves with the sandbox's `stats()` (requests, tooManyRequests, ...).
 */
export function startFieldSandbox(api, customers, faults) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(HERE, "sandbox-server.mjs"), api, String(customers), faults],
      {
        stdio: ["pipe", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => (out += chunk));
    const exited = new Promise((done) => child.once("exit", done));
    const stop = async () => {
      child.kill("SIGTERM");
      await exited;
      const stats = out.trim().split("\n")[1];
      return stats ? JSON.parse(stats) : undefined;
    };
    child.stdout.once("data", () => resolve({ url: out.split("\n")[0].trim(), stop }));
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
    await sandbox.stop();
  }
  await migrationRows({ quick, row, fmt, stats, log, env });
  await randomRow({ quick, row, fmt, stats, log, env });
}

/**
 * One migration (Deskero → Apideck, default flags) into a target that refuses 1% of requests at
 * random, whatever the rate, with `Retry-After: 1`. Each 429 holds the client a second, so the
 * most it can reach is 1 / (0.01 x 1 s) = 100 creates a second (the simulator's target for random
 * 429s: at least 0.8 of that). The sandbox draws the 429s from a fixed seed: each run meets the same ones.
 */
async function randomRow({ quick, row, fmt, stats, log, env }) {
  const records = quick ? 300 : 2000;
  const [p, holdSeconds, floor] = [0.01, 1, 0.8];
  const most = 1 / (p * holdSeconds);
  const shares = [];
  const refusals = [];
  for (let round = 0; round < (quick ? 1 : 2); round++) {
    const result = await fieldMigration(records, `latency=40,429=${p},retry-after=1000,whole-seconds=1`, env);
    refusals.push(result.tooMany);
    shares.push(records / (result.ms / 1000) / most);
    log(
      `field migration with random 429s: ${records} records in ${(result.ms / 1000).toFixed(2)} s, ` +
        `${refusals.at(-1)} 429s, load average ${loadavg()[0].toFixed(2)}`,
    );
  }
  const share = stats(shares);
  row(
    "field",
    `Migration Deskero → Apideck, ${records} records, 40 ms latency, target answering ${p * 100}% of requests 429 at random with Retry-After: ${holdSeconds}, default flags: creates a second against the ${most} the holds allow (${fmt(stats(refusals), 0)} 429s)`,
    `≥ ${floor}`,
    fmt(share),
    share.median >= floor ? "yes" : "no",
  );
}

/**
 * One migration Deskero → Apideck with default flags (`migrate-child.mjs ... default`): a Deskero
 * source of `records` (`latency=40`) and an empty Apideck target with `targetFaults`, each in its
 * own process. Throws unless the target holds each record once. Returns the child's ms and the
 * 429s the target answered.
 */
async function fieldMigration(records, targetFaults, env) {
  const source = await startFieldSandbox("deskero", records, "latency=40");
  const dir = mkdtempSync(join(tmpdir(), "cskit-field-"));
  let target;
  let result;
  let counts;
  try {
    target = await startFieldSandbox("apideck", 0, targetFaults);
    const run = timedChild(
      ["migrate-child.mjs", "migrate", source.url, target.url, join(dir, "s.sqlite"), "default"],
      env,
    );
    result = JSON.parse(run.stdout);
    if (result.records !== records || result.held !== records || result.distinct !== records)
      throw new Error(`field migration (${targetFaults}): ${run.stdout}, expected ${records} once each`);
  } finally {
    await source.stop();
    counts = await target?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { ms: result.ms, tooMany: counts?.tooManyRequests ?? Number.NaN };
}

/** The target's two limiters: as most vendors answer a 429, and one that says the exact wait. */
const LIMITERS = {
  "Retry-After: 1": "whole-seconds=1",
  "retry-after-ms": "",
};

/**
 * Deskero → Apideck with default flags, into a target that allows `limit` requests a second at 40 ms
 * latency, against both limiters, side by side in each round: creates a second against the limit (or
 * the time against what the limit needs), and the 429s the target answered. Each record once, none
 * failed (the child checks and says).
 */
async function migrationRows({ quick, row, fmt, stats, log, env }) {
  const cases = quick
    ? [
        { limit: 300, records: 300, floor: 0.9 },
        { limit: 20, records: 40, ceiling: 1.3, max429: 3 },
      ]
    : [
        { limit: 300, records: 6000, floor: 0.9 },
        { limit: 20, records: 200, ceiling: 1.3, max429: 3 },
      ];
  for (const { limit, records, floor, ceiling, max429 } of cases) {
    const shares = Object.fromEntries(Object.keys(LIMITERS).map((k) => [k, []]));
    const refusals = Object.fromEntries(Object.keys(LIMITERS).map((k) => [k, []]));
    const rounds = quick ? 1 : 2;
    for (let round = 0; round < rounds; round++) {
      const kinds = Object.keys(LIMITERS);
      for (const kind of round % 2 ? kinds.reverse() : kinds) {
        const faults = `latency=40,rate=${limit}${LIMITERS[kind] ? `,${LIMITERS[kind]}` : ""}`;
        const result = await fieldMigration(records, faults, env);
        refusals[kind].push(result.tooMany);
        // The limit's share reached: the seconds the limit itself needs for the creates, over the run's.
        shares[kind].push(records / limit / (result.ms / 1000));
        log(
          `field migration at ${limit} req/s (${kind}): ${records} records in ${(result.ms / 1000).toFixed(2)} s, ` +
            `${refusals[kind].at(-1)} 429s, load average ${loadavg()[0].toFixed(2)}`,
        );
      }
    }
    for (const kind of Object.keys(LIMITERS)) {
      const what = `Migration Deskero → Apideck, ${records} records, 40 ms latency, target limit ${limit} req/s answering 429 with ${kind}, default flags`;
      const share = stats(shares[kind]);
      const tooMany = stats(refusals[kind]);
      const count429 = `${fmt(tooMany, 0)} 429s`;
      if (ceiling !== undefined) {
        const times = stats(shares[kind].map((r) => 1 / r));
        const met = times.median <= ceiling && tooMany.median <= max429;
        row(
          "field",
          `${what}: time against the ${records / limit} s the limit needs, and the 429s`,
          `≤ ${ceiling}× with ≤ ${max429} 429s`,
          `${fmt(times)}×, ${count429}`,
          met ? "yes" : "no",
        );
      } else {
        row(
          "field",
          `${what}: creates a second, share of the limit (${count429})`,
          `≥ ${floor}`,
          fmt(share),
          share.median >= floor ? "yes" : "no",
        );
      }
    }
  }
}
