#!/usr/bin/env node
// `pnpm verify`: every check the repository has, in order, stopping at the first that fails. At the
// end (or at the failure) it prints how long each step took and its share of the whole, and the
// slowest turbo tasks (from turbo's run summary), so a slow step shows where the minutes go.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const repo = join(import.meta.dirname, "..");
const TURBO_RUNS = join(repo, ".turbo/runs");

/** [name, command, args]: the steps, in the order they run. */
const STEPS = [
  ["lint", "pnpm", ["lint"]],
  ["generate:check", "pnpm", ["generate:check"]],
  [
    "turbo: build typecheck test conformance",
    "pnpm",
    ["exec", "turbo", "run", "build", "typecheck", "test", "conformance", "--concurrency=4", "--summarize"],
  ],
  ["api:check", "pnpm", ["api:check"]],
  ["scripts' tests", "pnpm", ["exec", "vitest", "run", "--root", "scripts"]],
  ["bench --quick", "node", ["bench/run.mjs", "--quick"]],
  ["docs:build", "pnpm", ["docs:build"]],
  ["docs:test", "pnpm", ["docs:test"]],
  ["no-orphans", "node", ["scripts/no-orphans.mjs"]],
  ["packed-install", "node", ["scripts/packed-install.mjs"]],
];

const seconds = (ms) => `${(ms / 1000).toFixed(0).padStart(4)} s`;

/** The slowest tasks of the newest turbo run summary written since `since` (ms since the epoch). */
function slowestTurboTasks(since, count = 8) {
  let newest;
  try {
    newest = readdirSync(TURBO_RUNS)
      .map((file) => join(TURBO_RUNS, file))
      .filter((file) => statSync(file).mtimeMs >= since)
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  } catch {
    return [];
  }
  if (!newest) return [];
  const summary = JSON.parse(readFileSync(newest, "utf8"));
  return summary.tasks
    .map((task) => ({ id: task.taskId, ms: task.execution.endTime - task.execution.startTime }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

const timings = [];
let failed;
for (const [name, command, args] of STEPS) {
  console.log(`\n== verify: ${name}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: repo, stdio: "inherit" });
  timings.push({ name, ms: Date.now() - started, started });
  if (result.status !== 0) {
    failed = name;
    break;
  }
}

const total = timings.reduce((sum, { ms }) => sum + ms, 0);
console.log(`\n== verify: ${failed ? `FAILED at ${failed}` : "passed"} in ${seconds(total).trim()}`);
for (const { name, ms, started } of timings) {
  console.log(`  ${seconds(ms)}  ${String(Math.round((100 * ms) / total)).padStart(3)}%  ${name}`);
  if (name.startsWith("turbo"))
    for (const task of slowestTurboTasks(started))
      console.log(`  ${" ".repeat(13)}${seconds(task.ms)}  ${task.id}`);
}
process.exitCode = failed ? 1 : 0;
