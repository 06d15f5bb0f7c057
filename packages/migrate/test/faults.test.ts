import { readFileSync } from "node:fs";
import { join } from "node:path";
import { csvField } from "@cskit/http/internal";
import { copiesOf, createSandbox } from "@cskit/sandbox";
import { describe, expect, it } from "vitest";
import { readStatus, writeReport } from "../src/index.js";
import { createFakeHelpdesk, customers } from "./fake-helpdesk.js";
import { runMigration, sameRecordsOnce, tempDir } from "./helpers.js";
import { helpdeskOf } from "./shifting.sandbox.js";

describe("rate-aware", () => {
  it("a rate-limited target: the client's policy holds and paces, the run reports it, and no record fails", async () => {
    const from = createSandbox("deskero", { customers: 150, seed: 11 });
    const to = createSandbox("apideck", { customers: 0, seed: 11, faults: { ratePerSecond: 200, burst: 5 } });
    const { events, summary } = await runMigration({
      from: helpdeskOf(from),
      to: helpdeskOf(to),
      state: join(tempDir(), "s.sqlite"),
    });
    expect(summary).toMatchObject({ created: 150, failed: 0 });
    expect(to.stats().tooManyRequests).toBeGreaterThan(0);
    // The holds come from the target client's traffic policy, as migrate events.
    expect(events.some((e) => e.type === "slowdown" && e.waitMs > 0)).toBe(true);
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
  });

  it("waits on no 429 itself: a 429 the client gave up on fails the record (created nothing), and a rerun writes it", async () => {
    const from = createFakeHelpdesk({ provider: "deskero", records: customers(30) });
    const to = createFakeHelpdesk({ provider: "apideck", faults: { rate429: 0.3, seed: 1 } });
    const state = join(tempDir(), "s.sqlite");
    const { events, summary } = await runMigration({ from, to, state });
    expect(summary.failed).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === "slowdown")).toHaveLength(0);
    const { failures, unsure } = readStatus(state);
    expect(failures[0]?.reason).toMatch(/HTTP 429/);
    // A 429 on the create created nothing: not unsure. Only a 429 on the get that confirms a created
    // id (Apideck may replay a key) leaves its record unsure, looked up by email on the next run.
    const confirming = failures.filter((f) => /checking that it exists failed/.test(f.reason));
    expect(unsure).toBe(confirming.length);
    expect(failures.length).toBeGreaterThan(confirming.length);
    let created = summary.created;
    for (let i = 0; i < 10 && readStatus(state).byStatus.failed; i++)
      created += (await runMigration({ from, to, state })).summary.created;
    expect(created).toBe(30);
    expect(sameRecordsOnce(from, to)).toEqual({ missing: [], doubled: [] });
  });

  it("503s are retried; a record that still fails is marked with its reason and the run goes on", async () => {
    for (const target of ["apideck", "deskero"] as const) {
      const from = createFakeHelpdesk({
        provider: target === "apideck" ? "deskero" : "apideck",
        records: customers(80),
      });
      const to = createFakeHelpdesk({ provider: target, faults: { rate503: 0.5, seed: 4 } });
      const state = join(tempDir(), "s.sqlite");
      const first = await runMigration({ from, to, state });
      expect(first.summary.failed).toBeGreaterThan(0);
      expect(first.summary.created + first.summary.failed).toBe(80);
      const status = readStatus(state);
      expect(status.byStatus.failed).toBe(first.summary.failed);
      expect(status.failures[0]?.reason).toMatch(/HTTP 503/);
      expect(sameRecordsOnce(from, to).doubled).toEqual([]);
      let total = first.summary.created;
      // Apideck: each create is followed by a get that confirms its id, which may meet a 503 too.
      for (let i = 0; i < 30 && readStatus(state).byStatus.failed; i++)
        total += (await runMigration({ from, to, state })).summary.created;
      expect(total).toBe(80);
      expect(sameRecordsOnce(from, to)).toEqual({ missing: [], doubled: [] });
    }
  });

  it("a refused record (422) fails at once with the server's reason, cleaned; the others go through", async () => {
    const source = customers(10);
    const from = createFakeHelpdesk({ provider: "deskero", records: source });
    const to = createFakeHelpdesk({
      provider: "apideck",
      faults: { refuse: (c) => c.emails?.[0]?.email === "c4@example.com" },
    });
    const dir = tempDir();
    const { summary } = await runMigration({ from, to, state: join(dir, "s.sqlite") });
    expect(summary).toMatchObject({ created: 9, failed: 1 });
    // 10 creates (the 422 not repeated), and a get confirming each of the 9 created ids.
    expect(to.stats.requests - to.stats.lists).toBe(10 + 9);
    const status = readStatus(summary.state);
    expect(status.failures).toEqual([
      {
        sourceId: from.records()[4]?.id,
        reason: "CskitError (HTTP 422): Unprocessable Entity: invalid email",
        attempts: 1,
      },
    ]);
    expect(status.unsure).toBe(0);
    expect(writeReport(summary.state, join(dir, "r.csv"))).toBe(10);
    const csv = readFileSync(join(dir, "r.csv"), "utf8").trim().split("\r\n");
    expect(csv[0]).toBe("source_id,target_id,action,reason");
    expect(csv).toContain(
      `${from.records()[4]?.id},,failed,CskitError (HTTP 422): Unprocessable Entity: invalid email`,
    );
    expect(csv.filter((l) => l.includes(",created,"))).toHaveLength(9);
  });
});

describe("report", () => {
  it("neutralises spreadsheet formulas and quotes csv cells", () => {
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("@x")).toBe("'@x");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });

  it("refuses an unknown report extension", () => {
    expect(() => writeReport("x.sqlite", "out.txt")).toThrow(/\.csv or \.json/);
  });

  it("strips control characters from a server's reason", async () => {
    const from = createFakeHelpdesk({ provider: "deskero", records: customers(1) });
    const to = createFakeHelpdesk({ provider: "apideck" });
    to.customers.create = async () => {
      const { CskitError } = await import("@cskit/http");
      throw new CskitError(`bad\u001b[31m red\u0007 ${"x".repeat(1000)}`, { status: 400 });
    };
    const { summary } = await runMigration({ from, to, state: join(tempDir(), "s.sqlite") });
    const reason = readStatus(summary.state).failures[0]?.reason ?? "";
    expect([...reason].some((ch) => ch.charCodeAt(0) < 0x20)).toBe(false);
    expect(reason.length).toBeLessThanOrEqual(300);
    expect(reason).toMatch(/^CskitError \(HTTP 400\): bad ?\[31m red +x/);
  });
});
