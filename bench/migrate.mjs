// pnpm bench -- --only=migrate. Migration between two sandboxes (each in its own process), Deskero ->
// Apideck with the defaults, against a raw list+create loop at the same concurrency, measured side by side.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const CONCURRENCY = 4;

function startSandbox(api, customers) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, "sandbox-server.mjs"), api, String(customers)], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    child.stdout.once("data", (chunk) =>
      resolve({
        url: chunk.toString().trim(),
        stop: () =>
          new Promise((done) => {
            child.once("exit", done);
            child.kill("SIGTERM");
          }),
      }),
    );
    child.once("error", reject);
  });
}

/**
 * One timed child: its own measure of the migration (ms) and its peak RSS (MB) up to the migration's
 * end (the child's check of the target afterwards, which reads every record, is not the migration).
 */
function child(mode, fromUrl, toUrl, state, env) {
  const result = spawnSync(
    process.execPath,
    [join(HERE, "migrate-child.mjs"), mode, fromUrl, toUrl, state, String(CONCURRENCY)],
    { cwd: HERE, env, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`migrate bench child failed (${mode}):\n${result.stderr}`);
  const run = JSON.parse(result.stdout);
  if (run.held !== run.records || run.distinct !== run.records)
    throw new Error(`migrate bench (${mode}): ${result.stdout}, expected each record once`);
  return { ...run, rssMb: run.rssKb / 1024 };
}

export async function migrationBench({ quick, row, stats, fmt, rotate, log, env }) {
  const dir = mkdtempSync(join(tmpdir(), "cskit-bench-migrate-"));
  const n = quick ? 300 : 10_000;
  const rounds = quick ? 1 : 3;
  const source = await startSandbox("deskero", n);
  const time = { raw: [], migrate: [], delta: [] };
  const cpu = { raw: [], migrate: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const mode of rotate(["raw", "migrate"], round)) {
        const target = await startSandbox("apideck", 0);
        const state = join(dir, `throughput-${round}.sqlite`);
        const run = child(mode, source.url, target.url, state, env);
        time[mode].push(run.ms);
        cpu[mode].push(run.cpuMs);
        // A rerun with nothing changed: reads the source, writes nothing.
        if (mode === "migrate") time.delta.push(child(mode, source.url, target.url, state, env).ms);
        await target.stop();
      }
    }
    const ratio = stats(time.raw.map((raw, i) => raw / time.migrate[i]));
    const perSecond = (ms) => stats(ms.map((t) => (n * 1000) / t));
    row(
      "migration throughput",
      `deskero → apideck sandboxes, ${n} records, concurrency ${CONCURRENCY}: ${fmt(perSecond(time.migrate), 0)} records/s vs raw list+create loop ${fmt(perSecond(time.raw), 0)}`,
      "reported",
      `${fmt(ratio)}×`,
      "–",
    );
    // CPU time of each process, paired the same way: less sensitive to other load than the clock.
    const cpuRatio = stats(cpu.raw.map((raw, i) => raw / cpu.migrate[i]));
    row(
      "migration CPU",
      `CPU time (user + system) of the migrating process: ${fmt(stats(cpu.migrate.map((t) => t / 1000)), 2, " s")} vs raw loop ${fmt(stats(cpu.raw.map((t) => t / 1000)), 2, " s")}`,
      "reported",
      `${fmt(cpuRatio)}×`,
      "–",
    );
    const delta = stats(time.delta.map((d, i) => d / time.migrate[i]));
    row(
      "migration delta rerun",
      `rerun with no change: ${fmt(stats(time.delta.map((t) => t / 1000)), 2, " s")} vs full run ${fmt(stats(time.migrate.map((t) => t / 1000)), 2, " s")}`,
      "reported",
      `${(delta.median * 100).toFixed(1)}% of the full run (${(delta.min * 100).toFixed(1)}–${(delta.max * 100).toFixed(1)}%)`,
      "–",
    );
  } finally {
    await source.stop();
  }

  // Peak RSS of the migrating process at two source sizes, and of the raw loop beside it: V8 grows
  // its young generation as a long run goes on, whatever the process keeps.
  const sizes = quick ? [300, 1500] : [10_000, 100_000];
  const rss = { migrate: {}, raw: {} };
  for (const size of sizes) {
    const from = await startSandbox("deskero", size);
    for (const mode of ["migrate", "raw"]) {
      const target = await startSandbox("apideck", 0);
      rss[mode][size] = child(mode, from.url, target.url, join(dir, `rss-${size}.sqlite`), env).rssMb;
      await target.stop();
    }
    await from.stop();
  }
  const [small, large] = sizes;
  const growth = rss.migrate[large] / rss.migrate[small];
  const rawGrowth = rss.raw[large] / rss.raw[small];
  row(
    "migration memory",
    `peak RSS ${rss.migrate[small].toFixed(0)} MB at ${small} records → ${rss.migrate[large].toFixed(0)} MB at ${large}; ` +
      `the raw loop beside it ${rss.raw[small].toFixed(0)} → ${rss.raw[large].toFixed(0)} MB (${rawGrowth.toFixed(2)}×)`,
    "≤ 1.2×",
    `${growth.toFixed(2)}×`,
    growth <= 1.2 ? "yes" : "no",
  );
  log(`migration: ${n} records × ${rounds} rounds per contender, RSS at ${sizes.join(" and ")}`);
  rmSync(dir, { recursive: true, force: true });
}
