// Issue 22, "Trust, round 4": no doubled record, no false "created". Real parts: the sandboxes of
// @cskit/sandbox through the real clients, with answers lost after the sandbox stored the record.
import { join } from "node:path";
import type { Helpdesk, UnifiedCustomerInput } from "@cskit/helpdesk";
import { CskitError } from "@cskit/http";
import { copiesOf, createSandbox } from "@cskit/sandbox";
import { describe, expect, it } from "vitest";
import { bulkCreate, readStatus } from "../src/index.js";
import { ignoringKeys, losingCreates, mixedCase, sandboxWith } from "./doubles.sandbox.js";
import { runMigration, tempDir } from "./helpers.js";
import { cuedFetch, helpdeskOf } from "./shifting.sandbox.js";

describe("item 3: email case and lost answers", () => {
  it("apideck -> deskero, match none, mixed-case emails, a third of the insert answers lost: reruns double nothing", async () => {
    const from = await sandboxWith("apideck", mixedCase(40));
    const to = createSandbox("deskero", { customers: 0, seed: 3 });
    const state = join(tempDir(), "s.sqlite");
    const lost = losingCreates(1 / 3, 7);
    for (let run = 0; run < 4; run++) {
      const { summary } = await runMigration({
        from: helpdeskOf(from),
        to: helpdeskOf(to, cuedFetch(to, run === 0 ? lost : {})),
        state,
        match: "none",
      });
      if (summary.failed === 0) break;
    }
    expect(to.size()).toBe(40);
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
    expect(readStatus(state).byStatus).toEqual({ done: 40 });
    // The state keeps the email as the source wrote it.
    const emails = [...to.records()].map((r) => (r as { email: string }).email);
    expect(emails.every((e) => /^Mixed\.M\d+@Example\.ORG$/.test(e))).toBe(true);
  });
});

describe("item 4: the migration and bulk create do not rest on Apideck's idempotency key", () => {
  it("migrate to an Apideck that ignores the key and loses a third of the create answers: no doubles across reruns", async () => {
    const from = await sandboxWith("deskero", mixedCase(40, "Key.K"));
    const to = createSandbox("apideck", { customers: 0, seed: 5 });
    const state = join(tempDir(), "s.sqlite");
    for (let run = 0; run < 4; run++) {
      const lost = losingCreates(run < 2 ? 1 / 3 : 0, 11 + run);
      const { summary } = await runMigration({
        from: helpdeskOf(from),
        to: helpdeskOf(to, ignoringKeys(cuedFetch(to, lost))),
        state,
        match: "none",
      });
      expect(copiesOf(from, to).doubled).toEqual([]);
      if (run >= 2 && summary.failed === 0) break;
    }
    expect(to.size()).toBe(40);
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
    expect(readStatus(state).byStatus).toEqual({ done: 40 });
  });

  it("bulkCreate on an Apideck that ignores the key and loses a third of the create answers: no doubles across reruns", async () => {
    const to = createSandbox("apideck", { customers: 0, seed: 6 });
    const ledger = join(tempDir(), "ledger.sqlite");
    const records = mixedCase(30, "Bulk.B");
    let last: Awaited<ReturnType<typeof bulkCreate>> | undefined;
    for (let run = 0; run < 4; run++) {
      const lost = losingCreates(run < 2 ? 1 / 3 : 0, 21 + run);
      last = await bulkCreate(helpdeskOf(to, ignoringKeys(cuedFetch(to, lost))), records, { ledger });
      expect(copiesOf({ api: "apideck", records: () => records.values() as never }, to).doubled).toEqual([]);
      if (run >= 2 && last.failed.length === 0) break;
    }
    expect(last?.failed).toEqual([]);
    expect(to.size()).toBe(30);
  });
});

describe('item 5: no "created" for a record that does not exist', () => {
  it("bulkCreate with a fresh ledger, after the record was deleted: the replayed id is reported, and the next run creates it", async () => {
    const to = createSandbox("apideck", { customers: 0, seed: 8 });
    const hd = helpdeskOf(to);
    const dir = tempDir();
    const records = mixedCase(2, "Gone.G");
    const first = await bulkCreate(hd, records, { ledger: join(dir, "one.sqlite") });
    const gone = first.created[0]?.id as string;
    await hd.customers.delete(gone);
    // The ledger deleted (a new one): the same content keys, which the Apideck sandbox replays.
    const ledger = join(dir, "two.sqlite");
    const again = await bulkCreate(hd, records, { ledger });
    expect(again.created.map((c) => c.id)).not.toContain(gone);
    expect(again.created.map((c) => c.index)).toEqual([1]);
    expect(again.failed.map((f) => [f.index, (f.error as Error).message])).toEqual([
      [
        0,
        expect.stringMatching(
          new RegExp(
            `an earlier create \\(id ${gone}\\) was replayed; ${gone} no longer exists; nothing created`,
          ),
        ),
      ],
    ]);
    for (const c of again.created) await expect(hd.customers.get(c.id)).resolves.toBeDefined();
    // The next run with that ledger sends a new key: the record is created, once.
    const third = await bulkCreate(hd, records, { ledger });
    expect(third.failed).toEqual([]);
    expect(third.created.map((c) => c.index)).toEqual([0]);
    await expect(hd.customers.get(third.created[0]?.id as string)).resolves.toBeDefined();
    expect(copiesOf({ api: "apideck", records: () => records.values() as never }, to)).toEqual({
      missing: [],
      doubled: [],
    });
  });

  it("migrate with a fresh state file, after the target copy was deleted: not reported created; the next run creates it", async () => {
    const from = await sandboxWith("deskero", mixedCase(5, "Fresh.F"));
    const to = createSandbox("apideck", { customers: 0, seed: 9 });
    const dir = tempDir();
    await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state: join(dir, "one.sqlite") });
    const [victim] = [...to.records()] as { id: string }[];
    await helpdeskOf(to).customers.delete(victim?.id as string);
    const state = join(dir, "two.sqlite");
    const { summary, events } = await runMigration({
      from: helpdeskOf(from),
      to: helpdeskOf(to),
      state,
      match: "none",
    });
    // A create is read back before the run ends: its last event is what the run concluded.
    const last = new Map(events.flatMap((e) => (e.type === "record" ? [[e.sourceId, e] as const] : [])));
    const claimed = [...last.values()].flatMap((e) => (e.action === "created" ? [e.targetId] : []));
    expect(claimed).not.toContain(victim?.id);
    expect(summary.failed).toBe(1);
    expect(readStatus(state).failures[0]?.reason).toMatch(
      new RegExp(
        `an earlier create \\(id ${victim?.id}\\) was replayed; ${victim?.id} no longer exists; nothing created`,
      ),
    );
    const next = await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state, match: "none" });
    expect(next.summary).toMatchObject({ failed: 0 });
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
  });

  it("a read-back that fails leaves the create unconfirmed: the next run reads it back, then creates it anew", async () => {
    const from = await sandboxWith("deskero", mixedCase(3, "Later.L"));
    const to = createSandbox("apideck", { customers: 0, seed: 9 });
    const dir = tempDir();
    await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state: join(dir, "one.sqlite") });
    const [victim] = [...to.records()] as { id: string }[];
    await helpdeskOf(to).customers.delete(victim?.id as string);
    const real = helpdeskOf(to);
    let failing = true;
    const flaky: Helpdesk = {
      ...real,
      customers: {
        ...real.customers,
        get: (id, options) =>
          failing
            ? Promise.reject(new CskitError("Service Unavailable", { status: 503 }))
            : real.customers.get(id, options),
      },
    };
    const state = join(dir, "two.sqlite");
    const run = (to: Helpdesk) => runMigration({ from: helpdeskOf(from), to, state, match: "none" });
    expect((await run(flaky)).summary).toMatchObject({ created: 3, failed: 0 }); // replayed, not yet known
    failing = false;
    expect((await run(flaky)).summary).toMatchObject({ unchanged: 2, failed: 1 }); // read back: gone
    expect((await run(flaky)).summary).toMatchObject({ created: 1, failed: 0 });
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
  });

  it("a get that lags behind the create (404 for a record that exists): the next run finds it by email, nothing doubled", async () => {
    const from = await sandboxWith("deskero", mixedCase(4, "Lag.L"));
    const to = createSandbox("apideck", { customers: 0, seed: 9 });
    const real = helpdeskOf(to);
    let lagging = true;
    const laggy: Helpdesk = {
      ...real,
      customers: {
        ...real.customers,
        // A real "not found" from the sandbox, for an id it does hold.
        get: (id, options) => real.customers.get(lagging ? `lagging-${id}` : id, options),
      },
    };
    const state = join(tempDir(), "s.sqlite");
    const first = await runMigration({ from: helpdeskOf(from), to: laggy, state, match: "none" });
    expect(first.summary).toMatchObject({ created: 0, failed: 4 });
    expect(to.size()).toBe(4);
    lagging = false;
    const next = await runMigration({ from: helpdeskOf(from), to: laggy, state, match: "none" });
    expect(next.summary).toMatchObject({ failed: 0 });
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
  });
});

/** A source listing these records under these ids (a Helpdesk written elsewhere may hold any string). */
function sourceWithIds(records: { id: string; customer: UnifiedCustomerInput }[]): Helpdesk {
  const base = helpdeskOf(createSandbox("apideck", { customers: 0 }));
  const unified = records.map(({ id, customer }) => ({
    ...customer,
    id,
    remote: { provider: "apideck" as const, id, data: { id } },
  }));
  return {
    ...base,
    customers: {
      ...base.customers,
      async *iterate() {
        yield* unified;
      },
    },
  };
}

describe("item 7: lone surrogates in what feeds a key", () => {
  it("ids x\\ud800, x\\ud801, x\\udfff are refused as failed records, named by their escaped id; reruns create no orphan", async () => {
    const people = mixedCase(5, "Sur.S");
    const ids = ["x\ud800", "x\ud801", "x\udfff", "x\ud83d\ude00", "plain"];
    const from = sourceWithIds(ids.map((id, i) => ({ id, customer: people[i] as UnifiedCustomerInput })));
    const to = createSandbox("deskero", { customers: 0, seed: 12 });
    const state = join(tempDir(), "s.sqlite");
    const sizes: number[] = [];
    let last: Awaited<ReturnType<typeof runMigration>> | undefined;
    for (let run = 0; run < 3; run++) {
      last = await runMigration({ from, to: helpdeskOf(to), state });
      sizes.push(to.size());
    }
    // Only the two well-formed ids are created (a surrogate pair is well formed), once.
    expect(sizes).toEqual([2, 2, 2]);
    expect(last?.summary).toMatchObject({ failed: 3, unchanged: 2 });
    const failures = readStatus(state).failures;
    expect(failures.map((f) => f.sourceId).sort()).toEqual(['"x\\ud800"', '"x\\ud801"', '"x\\udfff"']);
    for (const f of failures) expect(f.reason).toMatch(/lone UTF-16 surrogate/);
    const events = last?.events.filter((e) => e.type === "record" && e.action === "failed") ?? [];
    expect(events.map((e) => (e.type === "record" ? e.sourceId : "")).sort()).toEqual([
      '"x\\ud800"',
      '"x\\ud801"',
      '"x\\udfff"',
    ]);
  });

  it("a primary email with a lone surrogate is refused too: it is stored and searched for", async () => {
    const from = sourceWithIds([
      {
        id: "e1",
        customer: { first_name: "Bad", emails: [{ email: "bad\udc00@example.org", type: "primary" }] },
      },
      {
        id: "e2",
        customer: { first_name: "Good", emails: [{ email: "good@example.org", type: "primary" }] },
      },
    ]);
    const to = createSandbox("apideck", { customers: 0, seed: 13 });
    const state = join(tempDir(), "s.sqlite");
    const { summary } = await runMigration({ from, to: helpdeskOf(to), state });
    expect(summary).toMatchObject({ created: 1, failed: 1 });
    expect(readStatus(state).failures).toEqual([
      { sourceId: "e1", reason: expect.stringMatching(/email .*lone UTF-16 surrogate/), attempts: 0 },
    ]);
    expect(to.size()).toBe(1);
  });

  it("bulkCreate refuses a line whose email holds a lone surrogate (its lookup would search another address)", async () => {
    const to = createSandbox("deskero", { customers: 0, seed: 14 });
    const lines: UnifiedCustomerInput[] = [
      { first_name: "Bad", emails: [{ email: "bad\udc00@example.org", type: "primary" }] },
      { first_name: "Good", emails: [{ email: "good@example.org", type: "primary" }] },
    ];
    const result = await bulkCreate(helpdeskOf(to), lines, { ledger: join(tempDir(), "l.sqlite") });
    expect(result.created.map((c) => c.index)).toEqual([1]);
    expect(result.failed).toEqual([
      {
        index: 0,
        sent: false,
        error: expect.objectContaining({
          message: expect.stringContaining('"bad\\udc00@example.org" holds a lone UTF-16 surrogate'),
        }),
      },
    ]);
    expect(to.size()).toBe(1);
  });
});
