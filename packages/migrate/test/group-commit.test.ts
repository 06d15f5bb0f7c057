// New records are marked in flight a batch at a time, in one commit, before any of their creates is
// sent: fewer commits than records, and still each mark durable before its request leaves.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MigrateSummary } from "../src/index.js";
import { MARK_BATCH, MARKS_PER_WRITER } from "../src/run/writer.js";
import { createFakeHelpdesk, customers } from "./fake-helpdesk.js";
import { filePair, runMigration, sameRecordsOnce, tempDir } from "./helpers.js";

const FIXTURE = join(import.meta.dirname, "fixtures", "crash-run.mjs");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("group commits", () => {
  it("far fewer commits than records, and each create's in-flight mark committed before it is sent", async () => {
    const state = join(tempDir(), "s.sqlite");
    const from = createFakeHelpdesk({ provider: "deskero", records: customers(600) });
    const to = createFakeHelpdesk({ provider: "apideck" });
    // Another connection sees only committed data: each create's record must be in flight there.
    const create = to.customers.create;
    const notCommitted: string[] = [];
    let reader: DatabaseSync | undefined;
    to.customers.create = async (input, options) => {
      reader ??= new DatabaseSync(state, { readOnly: true });
      const email = input.emails?.[0]?.email ?? "";
      const row = reader.prepare("SELECT status, unsure FROM records WHERE email = ?").get(email);
      if (row?.status !== "in_flight" || row.unsure !== 1) notCommitted.push(email);
      return create(input, options);
    };
    let commits = 0;
    const exec = DatabaseSync.prototype.exec;
    vi.spyOn(DatabaseSync.prototype, "exec").mockImplementation(function (this: DatabaseSync, sql: string) {
      if (/^\s*COMMIT/i.test(sql)) commits++;
      return exec.call(this, sql);
    });
    // The default concurrency (32): batches of 64.
    const { summary } = await runMigration({ from, to, state });
    reader?.close();
    expect(summary).toMatchObject({ created: 600, failed: 0 });
    expect(notCommitted).toEqual([]);
    // One commit per record would be 600 or more.
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThan(600 / 10);
  });

  for (const target of ["apideck", "deskero"] as const)
    it(`${target}: SIGKILL in the middle of a batch, then a rerun: each record once, the unsent ones looked up, not doubled`, {
      timeout: 120_000,
    }, async () => {
      const n = 3 * MARK_BATCH;
      // Killed after the 30th create of 192, at concurrency 4 (the fixture).
      const { state, sourceFile, targetFile, source } = filePair(target, customers(n));
      // Request 1 lists the target's emails; the creates follow. Killed after the 30th create.
      const killed = await new Promise<{ signal: string | null }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [FIXTURE, state, sourceFile, targetFile, target, "31", "after"],
          {
            stdio: ["ignore", "ignore", "inherit"],
          },
        );
        child.once("error", reject);
        child.once("exit", (_code, signal) => resolve({ signal }));
      });
      expect(killed.signal).toBe("SIGKILL");
      const after = createFakeHelpdesk({ provider: target, file: targetFile });
      const sent = after.records().length;
      expect(sent).toBe(30);
      // Every record sent is known to the state: recorded as created, or marked in flight (unsure).
      // A batch is at most 4 records per writer (4 writers here), so a crash leaves at most that
      // and one in each writer's hands unsure.
      const db = new DatabaseSync(state, { readOnly: true });
      const unsure = db.prepare("SELECT email FROM records WHERE unsure = 1").all() as { email: string }[];
      const created = db
        .prepare("SELECT email FROM records WHERE status = 'done' AND target_id IS NOT NULL")
        .all() as { email: string }[];
      db.close();
      expect(unsure.length).toBeGreaterThan(0);
      expect(unsure.length).toBeLessThanOrEqual((MARKS_PER_WRITER + 1) * 4);
      const known = new Set([...unsure, ...created].map((r) => r.email));
      for (const r of after.records()) expect(known.has(r.content.emails?.[0]?.email as string)).toBe(true);

      const to = createFakeHelpdesk({ provider: target, file: targetFile });
      const { summary } = await runMigration({ from: source, to, state, concurrency: 4 });
      expect(summary).toMatchObject({ failed: 0 } satisfies Partial<MigrateSummary>);
      expect(sameRecordsOnce(source, to)).toEqual({ missing: [], doubled: [] });
      expect(to.records()).toHaveLength(n);
      // Each record the crash left unsure was looked up once by email, and created only if not found.
      expect(to.stats.searches).toBe(unsure.length);
      expect(to.stats.creates).toBe(n - sent);
    });
});
