import { spawn } from "node:child_process";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { breakLock, type MigrateSummary, migrate, readStatus } from "../src/index.js";
import { createFakeHelpdesk, customers, random } from "./fake-helpdesk.js";
import { filePair, runMigration, sameRecordsOnce, tempDir } from "./helpers.js";

const FIXTURE = join(import.meta.dirname, "fixtures", "crash-run.mjs");

function runChild(args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FIXTURE, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal, stdout }));
  });
}

describe("SIGKILL at any point, then rerun", () => {
  for (const target of ["apideck", "deskero"] as const)
    it(`${target} target holds each source record exactly once`, { timeout: 240_000 }, async () => {
      const { state, sourceFile, targetFile, source } = filePair(target, customers(40));
      const next = random(target === "apideck" ? 101 : 202);
      let kills = 0;
      let finished: MigrateSummary | undefined;
      for (let round = 0; round < 30 && !finished; round++) {
        const killAt = 1 + Math.floor(next() * 30);
        const when = next() < 0.5 ? "before" : "after";
        const result = await runChild([state, sourceFile, targetFile, target, String(killAt), when]);
        if (result.signal === "SIGKILL") kills++;
        else {
          expect(result.code).toBe(0);
          finished = JSON.parse(result.stdout) as MigrateSummary;
        }
        const now = createFakeHelpdesk({ provider: target, file: targetFile });
        expect(sameRecordsOnce(source, now).doubled).toEqual([]);
      }
      expect(kills).toBeGreaterThanOrEqual(3);
      expect(finished?.failed).toBe(0);
      const to = createFakeHelpdesk({ provider: target, file: targetFile });
      expect(sameRecordsOnce(source, to)).toEqual({ missing: [], doubled: [] });
      expect(to.records()).toHaveLength(40);
      const last = await runMigration({ from: source, to, state });
      expect(last.summary).toMatchObject({ unchanged: 40, created: 0, updated: 0, failed: 0 });
    });
});

describe("one run at a time", () => {
  it("a second migrate on the same state refuses with a clear message", async () => {
    const state = join(tempDir(), "s.sqlite");
    const from = createFakeHelpdesk({ provider: "deskero", records: customers(30) });
    const to = createFakeHelpdesk({ provider: "apideck" });
    const first = migrate({ from, to, state });
    await first.next(); // holds the lock from here
    await expect(runMigration({ from, to, state })).rejects.toThrow(
      /another cskit migrate \(pid \d+ on .+, since .+\) is using .*s\.sqlite/,
    );
    expect(readStatus(state).running?.pid).toBe(process.pid);
    for await (const _ of first);
    expect(readStatus(state).running).toBeUndefined();
    expect(to.records()).toHaveLength(30);
  });

  it("a run's lock ends with its process: refused while it lives (unlock too), free once it is SIGKILLed", async () => {
    const state = join(tempDir(), "s.sqlite");
    const from = createFakeHelpdesk({ provider: "deskero", records: customers(5) });
    const to = createFakeHelpdesk({ provider: "apideck" });
    await runMigration({ from, to, state });
    // A process that holds the run lock as a run does: the OS lock on <state>.lock, a run row "running".
    const holder = spawn(
      process.execPath,
      [
        "--no-warnings",
        "-e",
        `const { DatabaseSync } = require("node:sqlite");
         const lock = new DatabaseSync(process.argv[1] + ".lock");
         lock.exec("BEGIN EXCLUSIVE");
         new DatabaseSync(process.argv[1]).prepare(
           "INSERT INTO runs (started_at, status, pid, host) VALUES ('2026-01-01', 'running', ?, 'box')").run(process.pid);
         process.stdout.write("held\\n");
         setInterval(() => {}, 1000);`,
        state,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise((resolve) => holder.stdout.once("data", resolve));
    expect(readStatus(state).running).toEqual({ pid: holder.pid, host: "box", since: "2026-01-01" });
    await expect(runMigration({ from, to, state })).rejects.toThrow(
      new RegExp(`another cskit migrate \\(pid ${holder.pid} on box, since 2026-01-01\\) is using`),
    );
    expect(() => breakLock(state)).toThrow(/another cskit migrate \(pid \d+/);
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    expect(readStatus(state)).toMatchObject({ running: undefined, lastRun: { status: "interrupted" } });
    const { summary } = await runMigration({ from, to, state });
    expect(summary.unchanged).toBe(5);
    const check = new DatabaseSync(state, { readOnly: true });
    expect(
      check
        .prepare("SELECT status FROM runs ORDER BY id")
        .all()
        .map((r) => r.status),
    ).toEqual(["done", "interrupted", "done"]);
    check.close();
  });
});
