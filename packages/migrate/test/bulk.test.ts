// bulkCreate against real HTTP servers: two @cskit/sandbox APIs on 127.0.0.1, the real clients.
import { join } from "node:path";
import {
  createHelpdesk,
  type Helpdesk,
  type Provider,
  toUnifiedInput,
  type UnifiedCustomerInput,
} from "@cskit/helpdesk";
import { type Faults, type RunningSandbox, SANDBOX_CREDENTIALS, startSandbox } from "@cskit/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { bulkCreate, bulkKey, MigrateError, readStatus } from "../src/index.js";
import { tempDir } from "./helpers.js";

const started: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function sandbox(api: Provider, faults: Faults = {}) {
  const s = await startSandbox(api, { customers: 0, faults });
  started.push(s);
  return s;
}

function helpdesk(s: RunningSandbox, extra: { clientId?: string } = {}): Helpdesk {
  const common = { baseUrl: s.url, retry: { maxAttempts: 3, baseDelayMs: 1 } };
  return s.api === "apideck"
    ? createHelpdesk({ provider: "apideck", ...SANDBOX_CREDENTIALS.apideck, ...common })
    : createHelpdesk({ provider: "deskero", ...SANDBOX_CREDENTIALS.deskero, ...common, ...extra });
}

/** `n` people in the unified model. */
const people = (n: number): UnifiedCustomerInput[] =>
  Array.from({ length: n }, (_, i) => ({
    first_name: `P${i}`,
    last_name: "Bulk",
    emails: [{ email: `p${i}@example.com`, type: "primary" as const }],
  }));

/** The first names in the sandbox: a record created twice shows up twice. */
const firstNames = (s: RunningSandbox) =>
  [...s.records()].map((r) => {
    const record = r as { first_name?: string; name?: string };
    return record.first_name ?? record.name?.split(" ")[0];
  });

describe.each(["apideck", "deskero"] as const)("bulkCreate on %s", (api) => {
  it("creates each record, and a rerun with the same ledger sends nothing", async () => {
    const s = await sandbox(api);
    const ledger = join(tempDir(), "ledger.sqlite");
    const first = await bulkCreate(helpdesk(s), people(5), { ledger });
    expect(first.created.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
    expect(first.failed).toEqual([]);
    expect(s.size()).toBe(5);
    const requests = s.stats().requests;
    const again = await bulkCreate(helpdesk(s), people(5), { ledger });
    expect(again.created).toEqual([]);
    expect(again.skipped).toEqual(first.created.map(({ index, id }) => ({ index, id })));
    expect(s.stats().requests).toBe(requests);
    expect(readStatus(ledger).byStatus).toEqual({ done: 5 });
  });

  it("with lost answers and 503s: reruns leave no record doubled", async () => {
    const s = await sandbox(api, { lostAnswer: 0.3, rate503: 0.2, retryAfterMs: 0 });
    const ledger = join(tempDir(), "ledger.sqlite");
    const records = people(30);
    let last = await bulkCreate(helpdesk(s), records, { ledger });
    for (let run = 0; run < 10 && last.failed.length > 0; run++) {
      // A create that may have happened is never sent blindly again: it is looked up by email first.
      for (const f of last.failed.filter((f) => !f.sent))
        expect((f.error as Error).message).toMatch(/may have reached (Apideck|Deskero)/);
      last = await bulkCreate(helpdesk(s), records, { ledger });
      const names = firstNames(s);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(s.stats().lostAnswers).toBeGreaterThan(0);
    // On both helpdesks (no idempotency key is trusted), reruns settle every line, each once.
    expect(last.failed).toEqual([]);
    expect(firstNames(s).sort()).toEqual(records.map((r) => r.first_name).sort());
  });

  it("refuses a second run on the ledger while the first runs", async () => {
    const s = await sandbox(api, { latencyMs: 20 });
    const ledger = join(tempDir(), "ledger.sqlite");
    const first = bulkCreate(helpdesk(s), people(20), { ledger });
    while (s.stats().requests === 0) await new Promise((r) => setTimeout(r, 5));
    await expect(bulkCreate(helpdesk(s), people(20), { ledger })).rejects.toThrow(
      new RegExp(`another cskit ${api} customers create \\(pid ${process.pid}`),
    );
    expect((await first).created).toHaveLength(20);
    expect(s.size()).toBe(20);
  });

  it("stops on abort; the next run creates only the rest", async () => {
    const s = await sandbox(api, { latencyMs: 10 });
    const ledger = join(tempDir(), "ledger.sqlite");
    const controller = new AbortController();
    const run = bulkCreate(helpdesk(s), people(20), { ledger, signal: controller.signal });
    while (s.size() < 3) await new Promise((r) => setTimeout(r, 2));
    controller.abort();
    await expect(run).rejects.toThrow();
    const rest = await bulkCreate(helpdesk(s), people(20), { ledger });
    expect(rest.skipped.length).toBeGreaterThanOrEqual(2);
    // The create in flight at the abort may have happened: Deskero's is reported, not sent again.
    expect(rest.failed.every((f) => !f.sent && api === "deskero")).toBe(true);
    expect(rest.failed.length).toBeLessThanOrEqual(1);
    expect(rest.created.length + rest.skipped.length + rest.failed.length).toBe(20);
    const names = firstNames(s);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(19);
  });
});

describe("bulkCreate's ledger", () => {
  it("belongs to one account: another Deskero client id is refused", async () => {
    const s = await sandbox("deskero");
    const ledger = join(tempDir(), "ledger.sqlite");
    await bulkCreate(helpdesk(s), people(1), { ledger });
    const other = helpdesk(s, { clientId: "another-client" });
    await expect(bulkCreate(other, people(1), { ledger })).rejects.toBeInstanceOf(MigrateError);
    expect(s.size()).toBe(1);
  });

  it("keeps native records whole: two lines that differ in a field without a unified home are both created", async () => {
    const s = await sandbox("deskero");
    const ledger = join(tempDir(), "ledger.sqlite");
    const lines = [
      { name: "Ada Bulk", email: "ada@example.com", birthDate: -4_855_000_000_000 },
      { name: "Ada Bulk", email: "ada@example.com", birthDate: -4_800_000_000_000 },
    ].map((r) => toUnifiedInput("deskero", r));
    const result = await bulkCreate(helpdesk(s), lines, { ledger });
    expect(result.created).toHaveLength(2);
    expect([...s.records()].map((r) => (r as { birthDate?: number }).birthDate).sort()).toEqual([
      -4_800_000_000_000, -4_855_000_000_000,
    ]);
  });
});

describe("bulkKey", () => {
  it("is stable across key order, and differs across content", () => {
    const key = bulkKey("apideck", {
      first_name: "Ada",
      emails: [{ email: "a@example.com", type: "primary" }],
    });
    expect(key).toMatch(/^cskit-migrate-[0-9a-f]{40}$/);
    expect(
      bulkKey("apideck", { emails: [{ type: "primary", email: "a@example.com" }], first_name: "Ada" }),
    ).toBe(key);
    expect(
      bulkKey("apideck", { first_name: "Bea", emails: [{ email: "a@example.com", type: "primary" }] }),
    ).not.toBe(key);
  });

  it("takes a hostile, 100,000-deep record without overflowing the stack", () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(bulkKey("deskero", { first_name: "Ada", notes: deep as never })).toMatch(/^cskit-migrate-/);
  });
});
