import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Provider, UnifiedCustomerInput } from "@cskit/helpdesk";
import { afterEach } from "vitest";
import { type MigrateEvent, type MigrateOptions, type MigrateSummary, migrate } from "../src/index.js";
import { createFakeHelpdesk, type FakeFaults, type FakeHelpdesk } from "./fake-helpdesk.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cskit-migrate-"));
  dirs.push(dir);
  return dir;
}

/** Runs a migration to its end: every event, and the summary. */
export async function runMigration(
  options: MigrateOptions,
): Promise<{ events: MigrateEvent[]; summary: MigrateSummary }> {
  const events: MigrateEvent[] = [];
  const run = migrate(options);
  for (;;) {
    const step = await run.next();
    if (step.done) return { events, summary: step.value };
    events.push(step.value);
  }
}

/** How many target records carry each email: each source record must appear exactly once. */
export function emailCounts(target: FakeHelpdesk): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of target.records()) {
    const email = r.content.emails?.[0]?.email ?? "";
    counts.set(email, (counts.get(email) ?? 0) + 1);
  }
  return counts;
}

/** Asserts nothing is missing or doubled: the target's primary emails are exactly the source's. */
export function sameRecordsOnce(
  source: FakeHelpdesk,
  target: FakeHelpdesk,
): { missing: string[]; doubled: string[] } {
  const counts = emailCounts(target);
  const missing = source
    .records()
    .map((r) => r.content.emails?.[0]?.email ?? "")
    .filter((e) => !counts.has(e));
  const doubled = [...counts].filter(([, n]) => n > 1).map(([e]) => e);
  return { missing, doubled };
}

/** Rewrites a state file as a cskit of schema version 3 wrote it: `records` keyed by source id, not stored in read order. */
export function downgradeToSchema3(file: string): void {
  const db = new DatabaseSync(file);
  const columns = (db.prepare("SELECT name FROM pragma_table_info('records')").all() as { name: string }[])
    .map((c) => c.name)
    .join(", ");
  db.exec(`BEGIN;
    CREATE TABLE records_v3 (
      source_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, migrated_hash TEXT, target_id TEXT, status TEXT NOT NULL,
      action TEXT NOT NULL, reason TEXT, attempts INTEGER NOT NULL DEFAULT 0, unsure INTEGER NOT NULL DEFAULT 0,
      attempt_hash TEXT, email TEXT, payload TEXT, seen_run INTEGER NOT NULL, scan_seq INTEGER NOT NULL,
      action_run INTEGER NOT NULL, first_seen_at TEXT NOT NULL, updated_at TEXT NOT NULL,
      generation INTEGER NOT NULL DEFAULT 0, unconfirmed INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    INSERT INTO records_v3 (${columns}) SELECT ${columns} FROM records;
    DROP TABLE records;
    ALTER TABLE records_v3 RENAME TO records;
    CREATE INDEX records_seq ON records (scan_seq);
    CREATE INDEX records_target ON records (target_id);
    CREATE INDEX records_run ON records (action_run);
    PRAGMA user_version = 3;
    COMMIT;`);
  db.close();
}

/** Whether a state file's `records` table is stored in read order (schema 4), not keyed by source id. */
export function recordsInReadOrder(file: string): boolean {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const { sql } = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'records'").get() as {
      sql: string;
    };
    return /scan_seq INTEGER PRIMARY KEY/.test(sql) && !/WITHOUT ROWID/.test(sql);
  } finally {
    db.close();
  }
}

/** Rewrites a state file as a cskit of schema version 1 wrote it: no application_id, generation, run host, unconfirmed; a pid-row lock. */
export function downgradeToSchema1(file: string): void {
  downgradeToSchema3(file);
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA application_id = 0;
    ALTER TABLE records DROP COLUMN generation;
    ALTER TABLE runs DROP COLUMN host;
    ALTER TABLE records DROP COLUMN unconfirmed;
    CREATE TABLE lock (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, run_id INTEGER, since TEXT NOT NULL);
    PRAGMA user_version = 1;`);
  db.close();
}

/** One PRAGMA's value, read from a file without changing it. */
export function pragmaOf(file: string, name: string): unknown {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0];
  } finally {
    db.close();
  }
}

/**
 * A file-backed source of `records` and an empty file-backed `target`, in a fresh folder, for
 * migrations in child processes (`fixtures/crash-run.mjs`): the state file, the files, the source.
 */
export function filePair(
  target: Provider,
  records: UnifiedCustomerInput[],
  targetFaults?: FakeFaults,
): { state: string; sourceFile: string; targetFile: string; source: FakeHelpdesk } {
  const dir = tempDir();
  const sourceFile = join(dir, "source.json");
  const targetFile = join(dir, "target.json");
  const source = createFakeHelpdesk({
    provider: target === "apideck" ? "deskero" : "apideck",
    records,
    file: sourceFile,
  });
  createFakeHelpdesk({ provider: target, file: targetFile, faults: targetFaults });
  return { state: join(dir, "s.sqlite"), sourceFile, targetFile, source };
}
