import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { type MigrateEvent, type MigrateOptions, type MigrateSummary, migrate } from "../src/index.js";
import type { FakeHelpdesk } from "./fake-helpdesk.js";

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
