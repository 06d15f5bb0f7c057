// Real parts: two @cskit/sandbox APIs, reached through createHelpdesk and the real clients.
import { join } from "node:path";
import { createHelpdesk, fromUnified, type Helpdesk, type Provider } from "@cskit/helpdesk";
import {
  copiesOf,
  createSandbox,
  type Faults,
  IN_PROCESS_URL,
  SANDBOX_CREDENTIALS,
  type Sandbox,
} from "@cskit/sandbox";
import { describe, expect, it } from "vitest";
import { migrate, readStatus } from "../src/index.js";
import { runMigration, tempDir } from "./helpers.js";

function helpdesk(
  sandbox: Sandbox,
  options: { retry?: { maxAttempts: number; baseDelayMs: number } } = {},
): Helpdesk {
  const common = { baseUrl: IN_PROCESS_URL, fetch: sandbox.fetch.bind(sandbox), ...options };
  return sandbox.api === "apideck"
    ? createHelpdesk({ provider: "apideck", ...SANDBOX_CREDENTIALS.apideck, ...common })
    : createHelpdesk({ provider: "deskero", ...SANDBOX_CREDENTIALS.deskero, ...common });
}

/**
 * Reruns allowed until nothing fails: 150 records each settled with chance 1/2 per run are all
 * settled within 40 runs but for a chance of 150 / 2^40. A cap of 10 failed about once in 60.
 */
const RERUNS = 40;

const other = (p: Provider): Provider => (p === "apideck" ? "deskero" : "apideck");

describe.each(["apideck", "deskero"] as const)("to %s, on sandboxes", (target) => {
  const source = other(target);

  it("migrates, links the people the target already has, and a rerun writes nothing", async () => {
    const from = createSandbox(source, { customers: 120, seed: 9 });
    const to = createSandbox(target, { customers: 15, seed: 9 });
    const state = join(tempDir(), "s.sqlite");
    const options = {
      from: helpdesk(from),
      to: helpdesk(to),
      state,
      preview: (c: object) => fromUnified(target, c),
    };
    const { summary } = await runMigration(options);
    expect(summary).toMatchObject({ seen: 120, created: 105, linked: 15, failed: 0 });
    expect(to.size()).toBe(120);
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
    const requests = to.stats().requests;
    const again = await runMigration(options);
    expect(again.summary).toMatchObject({ unchanged: 120, created: 0, updated: 0, linked: 0 });
    expect(to.stats().requests).toBe(requests);
  });

  it("with 429s, 503s and lost answers: no record doubled, none missing after reruns", async () => {
    const faults: Faults = { rate429: 0.1, rate503: 0.1, lostAnswer: 0.1, retryAfterMs: 0 };
    const from = createSandbox(source, { customers: 80, seed: 4 });
    const to = createSandbox(target, { customers: 0, seed: 4, faults });
    const state = join(tempDir(), "s.sqlite");
    let created = 0;
    // Each run settles a record with some chance p, so the last of n records needs about log(n)/-log(1-p)
    // runs, and a fixed small cap fails now and then; RERUNS keeps that chance below one in a million.
    for (let run = 0; run < RERUNS; run++) {
      const { summary } = await runMigration({ from: helpdesk(from), to: helpdesk(to), state });
      created += summary.created + summary.linked;
      expect(copiesOf(from, to).doubled).toEqual([]);
      if (summary.failed === 0) break;
    }
    const stats = to.stats();
    expect(stats.tooManyRequests + stats.unavailable + stats.lostAnswers).toBeGreaterThan(10);
    expect(readStatus(state).byStatus).toEqual({ done: 80 });
    expect(created).toBe(80);
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
  });

  it("with match none, lost answers and 503s on the lookups after them: still no record doubled", async () => {
    // A create whose answer is lost, then a failed lookup, must keep the record "outcome unknown".
    const faults: Faults = { rate503: 0.3, lostAnswer: 0.3, retryAfterMs: 0 };
    const from = createSandbox(source, { customers: 150, seed: 7 });
    const to = createSandbox(target, { customers: 0, seed: 7, faults });
    const state = join(tempDir(), "s.sqlite");
    // A run settles about half of what is left (lost answers, then failed lookups): see RERUNS.
    for (let run = 0; run < RERUNS; run++) {
      const { summary } = await runMigration({
        from: helpdesk(from),
        to: helpdesk(to),
        state,
        match: "none",
      });
      expect(copiesOf(from, to).doubled).toEqual([]);
      if (summary.failed === 0) break;
    }
    expect(to.stats().lostAnswers).toBeGreaterThan(10);
    expect(readStatus(state).byStatus).toEqual({ done: 150 });
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
  });

  it("a state file bound to one target account refuses another: records would go missing silently", async () => {
    const from = createSandbox(source, { customers: 20, seed: 3 });
    const state = join(tempDir(), "s.sqlite");
    await runMigration({
      from: helpdesk(from),
      to: helpdesk(createSandbox(target, { customers: 0 })),
      state,
    });
    const elsewhere = createSandbox(target, { customers: 0 });
    const other =
      target === "apideck"
        ? createHelpdesk({
            provider: "apideck",
            ...SANDBOX_CREDENTIALS.apideck,
            consumerId: "another",
            baseUrl: IN_PROCESS_URL,
            fetch: elsewhere.fetch.bind(elsewhere),
          })
        : createHelpdesk({
            provider: "deskero",
            ...SANDBOX_CREDENTIALS.deskero,
            clientId: "another",
            baseUrl: IN_PROCESS_URL,
            fetch: elsewhere.fetch.bind(elsewhere),
          });
    await expect(runMigration({ from: helpdesk(from), to: other, state })).rejects.toThrow(
      /belongs to another target account/,
    );
    expect(elsewhere.size()).toBe(0);
  });

  it("a rate-limited source is read to the end in one run: its client learns the rate", async () => {
    // Apideck's 200-record pages make 4 requests: a rate of 2 a second still makes it wait.
    const ratePerSecond = source === "apideck" ? 2 : 100;
    const from = createSandbox(source, { customers: 600, seed: 5, faults: { ratePerSecond, burst: 1 } });
    const to = createSandbox(target, { customers: 0, seed: 5 });
    const { summary } = await runMigration({
      from: helpdesk(from),
      to: helpdesk(to),
      state: join(tempDir(), "s.sqlite"),
    });
    expect(from.stats().tooManyRequests).toBeGreaterThan(0);
    expect(summary).toMatchObject({ seen: 600, failed: 0 });
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
  });

  it("a listing the client gives up on ends the run with one clear error; the next run goes on", async () => {
    const faults: Faults = { rate503: 1 };
    const broken = createSandbox(source, { customers: 50, seed: 6, faults });
    const to = createSandbox(target, { customers: 0, seed: 6 });
    const state = join(tempDir(), "s.sqlite");
    const quick = { retry: { maxAttempts: 2, baseDelayMs: 1 } };
    await expect(runMigration({ from: helpdesk(broken, quick), to: helpdesk(to), state })).rejects.toThrow(
      new RegExp(`^reading the source \\(${source}\\) failed: .*HTTP 503`),
    );
    expect(readStatus(state).lastRun?.status).toBe("failed");
    const from = createSandbox(source, { customers: 50, seed: 6 });
    const { summary } = await runMigration({ from: helpdesk(from), to: helpdesk(to), state });
    expect(summary).toMatchObject({ seen: 50, created: 50, failed: 0 });
  });

  it("a delta run updates changed records and creates new ones", async () => {
    const from = createSandbox(source, { customers: 40, seed: 2 });
    const to = createSandbox(target, { customers: 0 });
    const fromHd = helpdesk(from);
    const state = join(tempDir(), "s.sqlite");
    await runMigration({ from: fromHd, to: helpdesk(to), state });
    const first = await fromHd.customers.iterate().next();
    const id = first.value?.remote.id ?? "";
    await fromHd.customers.update(id, { ...first.value, notes: "changed at the source" });
    await fromHd.customers.create({
      first_name: "New",
      last_name: "Person",
      emails: [{ email: "new@example.com" }],
    });
    const { summary } = await runMigration({ from: fromHd, to: helpdesk(to), state });
    expect(summary).toMatchObject({ seen: 41, created: 1, updated: 1, unchanged: 39, failed: 0 });
    expect(to.size()).toBe(41);
    const notes = [...to.records()].map(
      (r) => (r as { notes?: string; memo?: string }).notes ?? (r as { memo?: string }).memo,
    );
    expect(notes).toContain("changed at the source");
  });
});

describe("on sandboxes, stopped by a signal", () => {
  it("a signal that aborts the source listing ends the run as interrupted, not failed", async () => {
    const from = createSandbox("deskero", { customers: 3000, seed: 5 });
    const to = createSandbox("apideck", { customers: 0 });
    const state = join(tempDir(), "s.sqlite");
    const controller = new AbortController();
    const run = migrate({ from: helpdesk(from), to: helpdesk(to), state, signal: controller.signal });
    let step = await run.next();
    for (; !step.done; step = await run.next()) if (step.value.type === "scan") controller.abort();
    expect(step.value.interrupted).toBe(true);
    expect(step.value.seen).toBeLessThan(3000);
    expect(readStatus(state).lastRun?.status).toBe("interrupted");
    const again = await runMigration({ from: helpdesk(from), to: helpdesk(to), state });
    expect(again.summary.created + (step.value.created ?? 0)).toBe(3000);
    expect(to.size()).toBe(3000);
  });
});
