#!/usr/bin/env node
// `pnpm verify`: every check the repository has, stopping at the first that fails: lint, generation,
// turbo's build/typecheck/test/conformance, then the rest in two lanes side by side. At the end (or
// at the failure) it prints how long each step took and its share of the sum, and the slowest turbo
// tasks (from turbo's run summary), so a slow step shows where the minutes go.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const repo = join(import.meta.dirname, "..");
const TURBO_RUNS = join(repo, ".turbo/runs");

/** [name, command, args]: the steps that run one after the other, first. */
const FIRST = [
  ["lint", "pnpm", ["lint"]],
  ["generate:check", "pnpm", ["generate:check"]],
  [
    "turbo: build typecheck test conformance",
    "pnpm",
    ["exec", "turbo", "run", "build", "typecheck", "test", "conformance", "--concurrency=4", "--summarize"],
  ],
  ["no-orphans", "node", ["scripts/no-orphans.mjs"]],
];
/** Then two lanes side by side (the docs test drives a browser while the other lane mostly waits on npm and Prism). */
const LANES = [
  [
    ["api:check", "pnpm", ["api:check"]],
    ["scripts' tests", "pnpm", ["exec", "vitest", "run", "--root", "scripts"]],
    ["bench --quick", "node", ["bench/run.mjs", "--quick"]],
    ["packed-install", "node", ["scripts/packed-install.mjs"]],
  ],
  [
    ["docs:build", "pnpm", ["docs:build"]],
    ["docs:test", "pnpm", ["docs:test"]],
  ],
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

/** Runs one step; its output goes straight through, or (in a lane) is printed whole once it ends. */
function runStep([name, command, args], inLane) {
  console.log(`\n== verify: ${name}${inLane ? " (started; its output follows when it ends)" : ""}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repo, stdio: inLane ? ["ignore", "pipe", "pipe"] : "inherit" });
    const output = [];
    child.stdout?.on("data", (chunk) => output.push(chunk));
    child.stderr?.on("data", (chunk) => output.push(chunk));
    child.on("close", (code) => {
      if (inLane)
        console.log(`\n== verify: ${name} (its output)\n${Buffer.concat(output).toString().trimEnd()}`);
      timings.push({ name, ms: Date.now() - started, started });
      resolve(code === 0);
    });
  });
}

const timings = [];
const failures = [];
const began = Date.now();
for (const step of FIRST)
  if (!(await runStep(step, false))) {
    failures.push(step[0]);
    break;
  }
if (failures.length === 0)
  await Promise.all(
    LANES.map(async (lane) => {
      for (const step of lane)
        if (!(await runStep(step, true))) {
          failures.push(step[0]);
          return;
        }
    }),
  );

const total = Date.now() - began;
const summed = timings.reduce((sum, { ms }) => sum + ms, 0);
console.log(
  `\n== verify: ${failures.length > 0 ? `FAILED at ${failures.join(", ")}` : "passed"} in ${seconds(total).trim()}` +
    ` (the steps add up to ${seconds(summed).trim()}: the last ${LANES.flat().length} run in ${LANES.length} lanes)`,
);
for (const { name, ms, started } of timings) {
  console.log(`  ${seconds(ms)}  ${String(Math.round((100 * ms) / summed)).padStart(3)}%  ${name}`);
  if (name.startsWith("turbo"))
    for (const task of slowestTurboTasks(started))
      console.log(`  ${" ".repeat(13)}${seconds(task.ms)}  ${task.id}`);
}
process.exitCode = failures.length > 0 ? 1 : 0;
