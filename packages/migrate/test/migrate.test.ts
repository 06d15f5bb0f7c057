import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { UnifiedCustomer } from "@cskit/helpdesk";
import { describe, expect, it } from "vitest";
import { contentHash, idempotencyKey, migrate, readStatus, writeReport } from "../src/index.js";
import { createFakeHelpdesk, customers } from "./fake-helpdesk.js";
import { runMigration, sameRecordsOnce, tempDir } from "./helpers.js";

const pair = (count: number, to: "apideck" | "deskero" = "apideck") => ({
  from: createFakeHelpdesk({ provider: to === "apideck" ? "deskero" : "apideck", records: customers(count) }),
  to: createFakeHelpdesk({ provider: to }),
});

describe("migrate with the defaults", () => {
  it("moves every record once, and a rerun with no change writes nothing", async () => {
    const { from, to } = pair(120);
    const state = join(tempDir(), "state.sqlite");
    const first = await runMigration({ from, to, state });
    expect(first.summary).toMatchObject({ seen: 120, created: 120, failed: 0, unchanged: 0, dryRun: false });
    expect(sameRecordsOnce(from, to)).toEqual({ missing: [], doubled: [] });
    expect(to.records()).toHaveLength(120);

    const writes = to.stats.creates + to.stats.updates;
    const second = await runMigration({ from, to, state });
    expect(second.summary).toMatchObject({ seen: 120, created: 0, updated: 0, unchanged: 120, failed: 0 });
    expect(to.stats.creates + to.stats.updates).toBe(writes);
  });

  it("writes at most 32 records at a time by default (the target client paces below that)", async () => {
    const { from, to } = pair(40);
    const create = to.customers.create.bind(to.customers);
    let active = 0;
    let most = 0;
    to.customers.create = async (input, options) => {
      most = Math.max(most, ++active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      try {
        return await create(input, options);
      } finally {
        active--;
      }
    };
    await runMigration({ from, to, state: join(tempDir(), "s.sqlite") });
    expect(most).toBe(32);
  });

  it("emits a plan, then one event per record with done/total", async () => {
    const { from, to } = pair(30);
    const { events } = await runMigration({ from, to, state: join(tempDir(), "s.sqlite") });
    const plan = events.find((e) => e.type === "plan");
    expect(plan).toMatchObject({ seen: 30, todo: 30, unchanged: 0 });
    const records = events.filter((e) => e.type === "record");
    expect(records).toHaveLength(30);
    expect(records.at(-1)).toMatchObject({ done: 30, total: 30, action: "created" });
    expect(new Set(records.map((e) => e.type === "record" && e.sourceId)).size).toBe(30);
  });

  it("keeps state in a WAL-mode SQLite file: one row per record, one per run", async () => {
    const { from, to } = pair(10);
    const state = join(tempDir(), "s.sqlite");
    await runMigration({ from, to, state });
    await runMigration({ from, to, state });
    const db = new DatabaseSync(state, { readOnly: true });
    try {
      expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
      const rows = db.prepare("SELECT * FROM records ORDER BY source_id").all() as Record<string, unknown>[];
      expect(rows).toHaveLength(10);
      const first = from.records()[0];
      const row = rows.find((r) => r.source_id === first?.id);
      expect(row).toMatchObject({ status: "done", action: "unchanged", attempts: 1, unsure: 0 });
      expect(row?.content_hash).toBe(contentHash(first?.content ?? {}));
      expect(typeof row?.target_id).toBe("string");
      expect(typeof row?.first_seen_at).toBe("string");
      const runs = db.prepare("SELECT status FROM runs").all();
      expect(runs).toEqual([{ status: "done" }, { status: "done" }]);
    } finally {
      db.close();
    }
  });

  it("refuses a state file of another pair of providers", async () => {
    const state = join(tempDir(), "s.sqlite");
    const { from, to } = pair(3);
    await runMigration({ from, to, state });
    await expect(runMigration({ from: to, to: from, state })).rejects.toThrow(
      /belongs to a migration from deskero to apideck/,
    );
  });
});

describe("no duplicates", () => {
  it("derives the idempotency key from provider, id and content", () => {
    expect(idempotencyKey("deskero", "1", "h")).toBe(idempotencyKey("deskero", "1", "h"));
    expect(idempotencyKey("deskero", "1", "h")).not.toBe(idempotencyKey("apideck", "1", "h"));
    expect(idempotencyKey("deskero", "1", "h")).not.toBe(idempotencyKey("deskero", "2", "h"));
    expect(idempotencyKey("deskero", "1", "h")).not.toBe(idempotencyKey("deskero", "1", "g"));
  });

  for (const target of ["apideck", "deskero"] as const)
    it(`${target} target: lost create answers never double a record; what stays unsure is settled on rerun`, async () => {
      const from = createFakeHelpdesk({
        provider: target === "apideck" ? "deskero" : "apideck",
        records: customers(100),
      });
      const to = createFakeHelpdesk({ provider: target, faults: { lost: 0.5, seed: 3 } });
      const state = join(tempDir(), "s.sqlite");
      let created = 0;
      let runs = 0;
      for (let failed = -1; failed !== 0 && runs < 8; runs++) {
        const { summary } = await runMigration({ from, to, state });
        created += summary.created;
        failed = summary.failed;
        expect(sameRecordsOnce(from, to).doubled).toEqual([]);
        if (failed > 0)
          expect(readStatus(state).failures[0]?.reason).toMatch(
            /outcome unknown \(.+\); the next run settles it/,
          );
      }
      expect(to.stats.faults).toBeGreaterThan(20);
      expect(created).toBe(100);
      expect(sameRecordsOnce(from, to)).toEqual({ missing: [], doubled: [] });
      // No idempotency key is trusted (Apideck's is "upcoming" in its own documentation): on both
      // targets, each create whose answer was lost is looked up by email at once, before any resend.
      expect(to.stats.searches).toBeGreaterThanOrEqual(to.stats.faults);
    });

  it("Deskero target: an unsure record without an email is failed, not sent again", async () => {
    const from = createFakeHelpdesk({
      provider: "apideck",
      records: [{ first_name: "No", last_name: "Email" }],
    });
    const to = createFakeHelpdesk({ provider: "deskero", faults: { lost: 1 } });
    const { summary } = await runMigration({ from, to, state: join(tempDir(), "s.sqlite") });
    expect(summary.failed).toBe(1);
    expect(to.records()).toHaveLength(1);
    expect(to.stats.creates).toBe(1);
    const status = readStatus(summary.state);
    expect(status.unsure).toBe(1);
    expect(status.failures[0]?.reason).toMatch(/no email to look it up/);
  });

  it("never merges two source records into one target record", async () => {
    const twins = customers(2).map((c) => ({
      ...c,
      emails: [{ email: "same@example.com", type: "primary" as const }],
    }));
    const from = createFakeHelpdesk({ provider: "deskero", records: twins });
    const to = createFakeHelpdesk({
      provider: "apideck",
      records: [{ first_name: "Existing", emails: twins[0]?.emails }],
    });
    const { summary } = await runMigration({ from, to, state: join(tempDir(), "s.sqlite") });
    expect(summary).toMatchObject({ linked: 1, created: 1, failed: 0 });
    expect(to.records()).toHaveLength(2);
  });
});

describe("match by email", () => {
  it("links a source record to a target record with its email (the default), and reports it", async () => {
    const source = customers(10);
    const from = createFakeHelpdesk({ provider: "deskero", records: source });
    const existing = {
      first_name: "Already",
      emails: [{ email: "C3@Example.com", type: "primary" as const }],
    };
    const to = createFakeHelpdesk({ provider: "apideck", records: [existing] });
    const dir = tempDir();
    const { summary } = await runMigration({ from, to, state: join(dir, "s.sqlite") });
    expect(summary).toMatchObject({ created: 9, linked: 1 });
    expect(to.records()).toHaveLength(10);
    writeReport(summary.state, join(dir, "r.json"));
    const rows = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as {
      action: string;
      target_id: string;
    }[];
    expect(rows.filter((r) => r.action === "linked")).toEqual([
      { source_id: from.records()[3]?.id, target_id: to.records()[0]?.id, action: "linked", reason: null },
    ]);
  });

  it("match none creates a second record", async () => {
    const from = createFakeHelpdesk({ provider: "deskero", records: customers(3) });
    const to = createFakeHelpdesk({
      provider: "apideck",
      records: [{ emails: [{ email: "c1@example.com" }] }],
    });
    const { summary } = await runMigration({ from, to, state: join(tempDir(), "s.sqlite"), match: "none" });
    expect(summary).toMatchObject({ created: 3, linked: 0 });
    expect(to.records()).toHaveLength(4);
  });
});

describe("delta runs", () => {
  it("writes only new and changed records, updating the stored target id", async () => {
    const { from, to } = pair(50);
    const state = join(tempDir(), "s.sqlite");
    await runMigration({ from, to, state });
    const [a, b] = from.records();
    from.edit(a?.id ?? "", { last_name: "Changed" });
    from.edit(b?.id ?? "", { notes: "changed too" });
    for (const c of customers(3, { prefix: "new" })) from.add(c);
    const creates = to.stats.creates;
    const { summary } = await runMigration({ from, to, state });
    expect(summary).toMatchObject({ seen: 53, created: 3, updated: 2, unchanged: 48, failed: 0 });
    expect(to.stats.creates - creates).toBe(3);
    expect(to.stats.updates).toBe(2);
    expect(to.records().filter((r) => r.content.last_name === "Changed")).toHaveLength(1);
    expect(sameRecordsOnce(from, to)).toEqual({ missing: [], doubled: [] });
  });

  it("reports disappeared records without deleting; propagateDeletes deletes them after a dry-run count", async () => {
    const { from, to } = pair(20);
    const state = join(tempDir(), "s.sqlite");
    await runMigration({ from, to, state });
    const [a, b] = from.records();
    from.remove(a?.id ?? "");
    from.remove(b?.id ?? "");
    const report = await runMigration({ from, to, state });
    expect(report.summary).toMatchObject({ disappeared: 2, deleted: 0 });
    expect(to.records()).toHaveLength(20);

    const dry = await runMigration({ from, to, state, dryRun: true, propagateDeletes: true });
    expect(dry.summary.plan?.disappeared).toBe(2);
    expect(to.records()).toHaveLength(20);

    const del = await runMigration({ from, to, state, propagateDeletes: true });
    expect(del.summary).toMatchObject({ disappeared: 2, deleted: 2 });
    expect(to.records()).toHaveLength(18);
    expect(sameRecordsOnce(from, to)).toEqual({ missing: [], doubled: [] });
    const again = await runMigration({ from, to, state, propagateDeletes: true });
    expect(again.summary).toMatchObject({ disappeared: 0, deleted: 0, unchanged: 18 });
  });
});

describe("nothing dropped silently", () => {
  const source = customers(40);
  const expected = {
    "emails[1]": source.filter((c) => (c.emails?.length ?? 0) > 1).length,
    bank_accounts: source.filter((c) => c.bank_accounts).length,
  };

  it("counts dropped fields per field", async () => {
    const from = createFakeHelpdesk({ provider: "apideck", records: source });
    const to = createFakeHelpdesk({ provider: "deskero" });
    const { summary } = await runMigration({ from, to, state: join(tempDir(), "s.sqlite") });
    expect(expected["emails[1]"]).toBeGreaterThan(0);
    expect(expected.bank_accounts).toBeGreaterThan(0);
    expect(summary.dropped).toEqual(expected);
    expect(summary.leftovers).toBe("report");
  });

  for (const withPreview of [true, false])
    it(`leftovers notes appends dropped fields as key: value lines (${withPreview ? "with" : "without"} a preview)`, async () => {
      const from = createFakeHelpdesk({ provider: "apideck", records: source });
      const to = createFakeHelpdesk({ provider: "deskero" });
      const preview = (c: (typeof source)[number]) => ({
        record: c,
        dropped: [
          ...(c.bank_accounts ? ["bank_accounts"] : []),
          ...((c.emails?.length ?? 0) > 1 ? ["emails[1]"] : []),
        ],
      });
      const { summary } = await runMigration({
        from,
        to,
        state: join(tempDir(), "s.sqlite"),
        leftovers: "notes",
        preview: withPreview ? preview : undefined,
      });
      expect(summary.failed).toBe(0);
      const withBank = source.findIndex((c) => c.bank_accounts);
      const target = to.records().find((r) => r.content.emails?.[0]?.email === `c${withBank}@example.com`);
      expect(target?.content.notes).toContain(`bank_accounts: {"iban":"GB00TEST${withBank}"}`);
      const withAlt = source.findIndex((c) => (c.emails?.length ?? 0) > 1);
      const alt = to.records().find((r) => r.content.emails?.[0]?.email === `c${withAlt}@example.com`);
      expect(alt?.content.notes).toContain(
        `emails[1]: {"email":"c${withAlt}.alt@example.com","type":"work"}`,
      );
    });
});

describe("dry run", () => {
  it("writes nothing (no state file, no target request) and reports counts, coverage and 5 samples", async () => {
    const { from, to } = pair(30);
    const state = join(tempDir(), "sub", "s.sqlite");
    const preview = (c: object) => ({ record: { mapped: true, ...c }, dropped: ["bank_accounts"] });
    const { summary } = await runMigration({ from, to, state, dryRun: true, preview });
    expect(existsSync(state)).toBe(false);
    expect(to.stats.requests).toBe(0);
    expect(summary).toMatchObject({ dryRun: true, seen: 30, plan: { create: 30, update: 0, unchanged: 0 } });
    expect(summary.coverage?.first_name).toBe(30);
    expect(summary.coverage?.emails).toBe(30);
    expect(summary.coverage?.company_name).toBe(customers(30).filter((c) => c.company_name).length);
    expect(summary.dropped).toEqual({ bank_accounts: 30 });
    expect(summary.samples).toHaveLength(5);
    expect(summary.samples?.[0]).toMatchObject({
      sourceId: from.records()[0]?.id,
      source: { first_name: "First0" },
      target: { mapped: true, first_name: "First0" },
    });
  });

  it("against an existing state, counts what a delta run would do, and changes nothing", async () => {
    const { from, to } = pair(10);
    const state = join(tempDir(), "s.sqlite");
    await runMigration({ from, to, state });
    from.edit(from.records()[0]?.id ?? "", { first_name: "Edited" });
    from.add(customers(1, { prefix: "extra" })[0] ?? {});
    const before = readFileSync(state);
    const requests = to.stats.requests;
    const { summary } = await runMigration({ from, to, state, dryRun: true });
    expect(summary.plan).toEqual({ create: 1, update: 1, unchanged: 9, disappeared: 0 });
    expect(to.stats.requests).toBe(requests);
    expect(readFileSync(state).equals(before)).toBe(true);
  });
});

describe("memory", () => {
  it("streams the source into the state file instead of holding it", async () => {
    const state = join(tempDir(), "s.sqlite");
    const to = createFakeHelpdesk({ provider: "apideck" });
    let yielded = 0;
    let maxAhead = 0;
    const source = createFakeHelpdesk({ provider: "deskero" });
    const from = {
      ...source,
      customers: {
        ...source.customers,
        async *iterate() {
          for (let start = 0; start < 3000; start += 200) yield* page(start);
        },
      },
    };
    function page(start: number) {
      const peek = existsSync(state) ? new DatabaseSync(state, { readOnly: true }) : undefined;
      try {
        const stored = (peek?.prepare("SELECT count(*) AS n FROM records").get() as { n: number } | undefined)
          ?.n;
        maxAhead = Math.max(maxAhead, yielded - (stored ?? 0));
      } finally {
        peek?.close();
      }
      const items = [];
      for (let i = start; i < Math.min(start + 200, 3000); i++) {
        const remote = { provider: "deskero" as const, id: `s${i}`, data: { id: i, name: `n${i}` } };
        items.push({ id: `s${i}`, first_name: `n${i}`, remote } as unknown as UnifiedCustomer);
      }
      yielded += items.length;
      return items;
    }
    const { summary } = await runMigration({ from, to, state });
    expect(summary.created).toBe(3000);
    expect(maxAhead).toBeLessThanOrEqual(200);
  });
});

describe("the generator", () => {
  it("can be stopped early by the caller, leaving a state the next run resumes from", async () => {
    const { from, to } = pair(60);
    const state = join(tempDir(), "s.sqlite");
    const run = migrate({ from, to, state, concurrency: 2 });
    let records = 0;
    for await (const event of run) if (event.type === "record" && ++records === 10) break;
    const status = readStatus(state);
    expect(status.running).toBeUndefined();
    expect(status.lastRun?.status).toBe("interrupted");
    expect(status.byStatus.done).toBeGreaterThanOrEqual(10);
    expect(status.byStatus.done).toBeLessThan(20);
    expect(to.records().length).toBe(status.byStatus.done);
    const { summary } = await runMigration({ from, to, state });
    expect(summary.created + summary.unchanged).toBe(60);
    expect(sameRecordsOnce(from, to)).toEqual({ missing: [], doubled: [] });
  });

  it("a signal stops the run between records and the summary says so", async () => {
    const { from, to } = pair(60);
    const state = join(tempDir(), "s.sqlite");
    const controller = new AbortController();
    const run = migrate({ from, to, state, concurrency: 2, signal: controller.signal });
    let step = await run.next();
    let records = 0;
    for (; !step.done; step = await run.next())
      if (step.value.type === "record" && ++records === 5) controller.abort();
    expect(step.value).toMatchObject({ interrupted: true });
    expect(step.value.created).toBeLessThan(10);
    expect(readStatus(state).lastRun?.status).toBe("interrupted");
  });
});
