// A source that changes, glitches or repeats itself while a migration reads it (issue: trust, round 3).
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { copiesOf, createSandbox } from "@cskit/sandbox";
import { describe, expect, it } from "vitest";
import { readStatus } from "../src/index.js";
import {
  downgradeToSchema1,
  downgradeToSchema3,
  pragmaOf,
  recordsInReadOrder,
  runMigration,
  tempDir,
} from "./helpers.js";
import { cuedFetch, helpdeskOf, hiding, noContent, recordsOf, slowCreates } from "./shifting.sandbox.js";

describe("propagateDeletes with a source that glitches", () => {
  it("an empty first page (204, once) deletes nothing, says what it held back, and the next run finds all", async () => {
    const from = createSandbox("deskero", { customers: 60, seed: 3 });
    const to = createSandbox("apideck", { customers: 0, seed: 3 });
    const state = join(tempDir(), "s.sqlite");
    await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state });
    expect(to.size()).toBe(60);

    let glitched = false;
    const glitch = cuedFetch(from, {
      before: (request) => {
        if (glitched || !new URL(request.url).pathname.endsWith("/customer/list")) return undefined;
        glitched = true;
        return noContent();
      },
    });
    const run2 = await runMigration({
      from: helpdeskOf(from, glitch),
      to: helpdeskOf(to),
      state,
      propagateDeletes: true,
    });
    expect(run2.summary).toMatchObject({ seen: 0, deleted: 0, deletesHeldBack: 60 });
    expect(run2.summary.deletesHeldBackReason).toMatch(/listed no record/);
    expect(run2.events).toContainEqual(expect.objectContaining({ type: "deletes-held-back", count: 60 }));
    expect(to.size()).toBe(60);

    const run3 = await runMigration({
      from: helpdeskOf(from),
      to: helpdeskOf(to),
      state,
      propagateDeletes: true,
    });
    expect(run3.summary).toMatchObject({ seen: 60, unchanged: 60, deleted: 0, disappeared: 0 });
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
  });

  it("more disappeared records than maxDeletes: none deleted, all reported", async () => {
    const from = createSandbox("deskero", { customers: 60, seed: 5 });
    const to = createSandbox("apideck", { customers: 0, seed: 5 });
    const state = join(tempDir(), "s.sqlite");
    await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state });
    // A listing that skips 30 records whose detail also answers "gone": a token that lost half its rights.
    const hidden = new Set([...from.records()].slice(0, 30).map((c) => c.id as string));
    const partial = cuedFetch(from, hiding(hidden));
    const run = await runMigration({
      from: helpdeskOf(from, partial),
      to: helpdeskOf(to),
      state,
      propagateDeletes: true,
    });
    expect(run.summary).toMatchObject({ deleted: 0, disappeared: 30, deletesHeldBack: 30 });
    expect(run.summary.deletesHeldBackReason).toMatch(/30 records disappeared, more than the 6/);
    expect(to.size()).toBe(60);
  });

  it("a create after a propagated delete makes a new record: Apideck does not replay the first create", async () => {
    const from = createSandbox("deskero", { customers: 60, seed: 7 });
    const to = createSandbox("apideck", { customers: 0, seed: 7 });
    const state = join(tempDir(), "s.sqlite");
    await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state });
    // Run 2: 5 live records look gone (skipped by the listing, 204 on their detail), and are deleted.
    const hidden = new Set([...from.records()].slice(10, 15).map((c) => c.id as string));
    const lying = cuedFetch(from, hiding(hidden));
    const run2 = await runMigration({
      from: helpdeskOf(from, lying),
      to: helpdeskOf(to),
      state,
      propagateDeletes: true,
    });
    expect(run2.summary).toMatchObject({ deleted: 5 });
    expect(to.size()).toBe(55);

    // Run 3 sees them again: they are created again, for real.
    const run3 = await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state });
    expect(run3.summary).toMatchObject({ created: 5, failed: 0 });
    expect(to.size()).toBe(60);
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
    expect(readStatus(state).byStatus).toEqual({ done: 60 });
  });
});

describe("a list that shifts while it is read", () => {
  it("Deskero source: a delete on page 1 after it was read moves a live record out of sight; only the deleted one goes", async () => {
    const from = createSandbox("deskero", { customers: 60, seed: 11 });
    const to = createSandbox("apideck", { customers: 0, seed: 11 });
    const state = join(tempDir(), "s.sqlite");
    await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state });

    const admin = helpdeskOf(from);
    const first = [...from.records()][0]?.id as string;
    const movedUp = [...from.records()][25]?.id as string; // first of page 2 (25 a page)
    const shifting = cuedFetch(from, {
      afterList: async (_page, n) => {
        if (n.lists === 1) await admin.customers.delete(first);
      },
    });
    const run = await runMigration({
      from: helpdeskOf(from, shifting),
      to: helpdeskOf(to),
      state,
      propagateDeletes: true,
    });
    // The deleted record was read before it went; the one moved up was never read: asked, it is live.
    expect(run.summary).toMatchObject({ seen: 59, deleted: 0, disappeared: 0, failed: 0 });
    expect(to.size()).toBe(60);
    expect([...from.records()].some((c) => c.id === movedUp)).toBe(true);
    // The next run sees the delete, and only it.
    const next = await runMigration({
      from: helpdeskOf(from),
      to: helpdeskOf(to),
      state,
      propagateDeletes: true,
    });
    expect(next.summary).toMatchObject({ seen: 59, deleted: 1, disappeared: 1, failed: 0 });
    expect(to.size()).toBe(59);
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
  });

  it("Apideck source listing a record twice (a shifted cursor window), slow Deskero inserts: created once, counted once", async () => {
    const from = createSandbox("apideck", { customers: 250, seed: 13 });
    const to = createSandbox("deskero", { customers: 0, seed: 13 });
    const state = join(tempDir(), "s.sqlite");
    let lastOfPage1: Record<string, unknown> | undefined;
    const repeating = cuedFetch(from, {
      afterList: (page, n) => {
        const records = recordsOf(page.body);
        if (n.lists === 1) lastOfPage1 = records.at(-1);
        else if (n.lists === 2 && lastOfPage1) records.unshift(lastOfPage1);
      },
    });
    const { summary } = await runMigration({
      from: helpdeskOf(from, repeating),
      to: helpdeskOf(to, cuedFetch(to, slowCreates(20))),
      state,
    });
    expect(summary).toMatchObject({ seen: 250, created: 250, failed: 0 });
    expect(to.size()).toBe(250);
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
  });
});

describe("an email that several target records share", () => {
  it("is not a match: the record fails naming the candidates, nothing is linked or created", async () => {
    const from = createSandbox("deskero", { customers: 20, seed: 17 });
    const to = createSandbox("apideck", { customers: 20, seed: 17 }); // the same 20 people
    const target = helpdeskOf(to);
    for (const person of [...from.records()]) {
      await target.customers.create({
        first_name: "Twin",
        emails: [{ email: String(person.email), type: "primary" }],
      });
    }
    expect(to.size()).toBe(40);
    const state = join(tempDir(), "s.sqlite");
    const { summary } = await runMigration({ from: helpdeskOf(from), to: target, state });
    expect(summary).toMatchObject({ linked: 0, created: 0, ambiguous: 20, failed: 20 });
    expect(to.size()).toBe(40);
    const [failure] = readStatus(state).failures;
    expect(failure?.reason).toMatch(/matches 2 target records \(.+, .+\): ambiguous, not linked/);

    // With match none, the user chose: one new record each.
    const again = await runMigration({ from: helpdeskOf(from), to: target, state, match: "none" });
    expect(again.summary).toMatchObject({ created: 20, ambiguous: 0, failed: 0 });
  });
});

describe("a state file of the schema before generations (1)", () => {
  it("is upgraded in place; its records keep their keys, so a lost create is still not repeated", async () => {
    const from = createSandbox("deskero", { customers: 30, seed: 19 });
    const to = createSandbox("apideck", { customers: 0, seed: 19 });
    const state = join(tempDir(), "s.sqlite");
    await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state });
    downgradeToSchema1(state);
    const db = new DatabaseSync(state);
    // A create whose answer was lost under the old cskit: in flight, unsure.
    db.prepare(
      "UPDATE records SET status = 'in_flight', unsure = 1, attempt_hash = content_hash, target_id = NULL",
    ).run();
    db.close();
    expect(readStatus(state).unsure).toBe(30);

    const { summary } = await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state });
    expect(summary).toMatchObject({ created: 30, failed: 0 });
    expect(to.size()).toBe(30); // each create replayed the first one's answer: no second record
    expect(pragmaOf(state, "user_version")).toBe(4);
    expect(recordsInReadOrder(state)).toBe(true);
  });
});

describe("a state file of the schema before read order (3)", () => {
  it("is read as it is, then rebuilt in read order on the next run; a lost create is still not repeated", async () => {
    const from = createSandbox("deskero", { customers: 30, seed: 23 });
    const to = createSandbox("apideck", { customers: 0, seed: 23 });
    const state = join(tempDir(), "s.sqlite");
    await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state });
    downgradeToSchema3(state);
    const db = new DatabaseSync(state);
    // Ten creates whose answers were lost under the old cskit: in flight, unsure.
    db.prepare(
      `UPDATE records SET status = 'in_flight', unsure = 1, attempt_hash = content_hash, target_id = NULL
       WHERE source_id IN (SELECT source_id FROM records ORDER BY scan_seq LIMIT 10)`,
    ).run();
    const order = () => db.prepare("SELECT source_id, scan_seq FROM records ORDER BY scan_seq").all();
    const before = order();
    db.close();
    expect(recordsInReadOrder(state)).toBe(false);
    // Read-only use reads the old layout and changes nothing.
    expect(readStatus(state)).toMatchObject({ unsure: 10, byStatus: { done: 20, in_flight: 10 } });
    expect(pragmaOf(state, "user_version")).toBe(3);

    const { summary } = await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state });
    expect(summary).toMatchObject({ created: 10, unchanged: 20, failed: 0 });
    expect(to.size()).toBe(30); // each unsure record found by email: no second record
    expect(pragmaOf(state, "user_version")).toBe(4);
    expect(recordsInReadOrder(state)).toBe(true);
    const after = new DatabaseSync(state, { readOnly: true });
    // The records that were done kept their read order; the ten written again were read again.
    const kept = after
      .prepare("SELECT source_id, scan_seq FROM records WHERE status = 'done' ORDER BY scan_seq")
      .all();
    after.close();
    expect(kept.slice(0, 20)).toEqual(before.slice(10));
  });

  it("is not rebuilt while a run holds it: the run refuses, and the file stays as it was", async () => {
    const from = createSandbox("deskero", { customers: 5, seed: 29 });
    const to = createSandbox("apideck", { customers: 0, seed: 29 });
    const state = join(tempDir(), "s.sqlite");
    await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state });
    downgradeToSchema3(state);
    // An older cskit's run: it holds <state>.lock as every run since schema 3 does.
    const lock = new DatabaseSync(`${state}.lock`);
    lock.exec("BEGIN EXCLUSIVE");
    try {
      await expect(runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state })).rejects.toThrow(
        /a run is using .* let it finish/,
      );
      expect(pragmaOf(state, "user_version")).toBe(3);
      expect(recordsInReadOrder(state)).toBe(false);
    } finally {
      lock.exec("ROLLBACK");
      lock.close();
    }
    const { summary } = await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to), state });
    expect(summary).toMatchObject({ unchanged: 5, failed: 0 });
    expect(recordsInReadOrder(state)).toBe(true);
  });
});
