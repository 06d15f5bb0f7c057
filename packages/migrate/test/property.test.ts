// Property: whatever the source does between pages and the target does to writes, clean reruns end
// with each live source record in the target exactly once, and nothing else the migration created.
import { join } from "node:path";
import type { Helpdesk } from "@cskit/helpdesk";
import { copiesOf, createSandbox, type Sandbox } from "@cskit/sandbox";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MigrateError } from "../src/index.js";
import { coin, ignoringKeys, losingCreates, sandboxWith } from "./doubles.sandbox.js";
import { runMigration, tempDir } from "./helpers.js";
import { type Cue, cuedFetch, helpdeskOf, noContent, recordsOf } from "./shifting.sandbox.js";

type Change =
  | { kind: "insert" | "delete" | "edit"; pick: number }
  | { kind: "repeat" } // the next page starts with the last record of this one again
  | { kind: "empty" }; // the next page answers as if there were nothing (Deskero 204, Apideck [])

interface FaultyRun {
  propagateDeletes: boolean;
  /** Changes made right after the given page of the listing was read. */
  changes: { afterPage: number; change: Change }[];
  target: { rate429: number; lost: number; slowCreatesMs: number };
}

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constantFrom("insert", "delete", "edit"), pick: fc.nat(10_000) }),
  fc.constant({ kind: "repeat" as const }),
  fc.constant({ kind: "empty" as const }),
);

const faultyRun: fc.Arbitrary<FaultyRun> = fc.record({
  propagateDeletes: fc.boolean(),
  changes: fc.array(fc.record({ afterPage: fc.integer({ min: 1, max: 3 }), change }), { maxLength: 6 }),
  target: fc.record({
    rate429: fc.constantFrom(0, 0.1),
    lost: fc.constantFrom(0, 0.1, 0.3),
    slowCreatesMs: fc.constantFrom(0, 5),
  }),
});

const scenario = fc.record({
  direction: fc.constantFrom("deskero->apideck", "apideck->deskero"),
  customers: fc.integer({ min: 5, max: 70 }),
  seed: fc.integer({ min: 1, max: 1_000 }),
  runs: fc.array(faultyRun, { minLength: 1, maxLength: 3 }),
});

const tooMany = () =>
  new Response('{"message":"Too Many Requests"}', {
    status: 429,
    headers: { "content-type": "application/json", "retry-after-ms": "0" },
  });

/** The source of one faulty run: its listing shifts, repeats and glitches on cue. */
function shiftingSource(from: Sandbox, admin: Helpdesk, run: FaultyRun, inserted: { n: number }): Cue {
  let repeatNext: Record<string, unknown> | undefined;
  let emptyNext = false;
  return {
    before: (request) => {
      const url = new URL(request.url);
      const isList = url.pathname === "/customer/list" || url.pathname === "/customer-support/customers";
      if (!isList || request.method !== "GET" || !emptyNext) return undefined;
      emptyNext = false;
      if (from.api === "deskero") return noContent();
      return undefined; // Apideck: emptied after the sandbox answers (below), keeping its cursor
    },
    afterList: async (page, n) => {
      const records = recordsOf(page.body);
      if (repeatNext) records.unshift(repeatNext);
      repeatNext = undefined;
      if (from.api === "apideck" && emptyNext) {
        emptyNext = false;
        records.splice(0);
      }
      const last = records.at(-1);
      for (const { afterPage, change } of run.changes) {
        if (afterPage !== n.lists) continue;
        const all = [...from.records()] as { id: string }[];
        const picked = "pick" in change && all.length > 0 ? all[change.pick % all.length]?.id : undefined;
        if (change.kind === "insert") {
          const i = inserted.n++;
          await admin.customers.create({
            first_name: `Inserted${i}`,
            last_name: "Between Pages",
            emails: [{ email: `inserted-${i}@between.example`, type: "primary" }],
          });
        } else if (change.kind === "delete" && picked) await admin.customers.delete(picked).catch(gone);
        else if (change.kind === "edit" && picked)
          await admin.customers.update(picked, { notes: `edited after page ${n.lists}` }).catch(gone);
        else if (change.kind === "repeat") repeatNext = last;
        else if (change.kind === "empty") emptyNext = true;
      }
    },
  };
}

/** A change to a record that an earlier change of the same page deleted: nothing to do. */
const gone = () => undefined;

/** The target of one faulty run: 429s, lost answers and slow creates. */
function faultyTarget(run: FaultyRun, seed: number): Cue {
  const chance = coin(seed);
  return {
    async before(request) {
      if (new URL(request.url).pathname.startsWith("/oauth")) return undefined;
      if (request.method === "POST" && run.target.slowCreatesMs > 0)
        await new Promise((resolve) => setTimeout(resolve, run.target.slowCreatesMs));
      return chance(run.target.rate429) ? tooMany() : undefined;
    },
    loseAnswer: (request) => request.method !== "GET" && chance(run.target.lost),
  };
}

describe("property: a shifting source and a faulty target, then clean reruns", () => {
  it("leave each live source record in the target exactly once, and nothing else", {
    timeout: 600_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ direction, customers, seed, runs }) => {
        const [source, target] = direction.split("->") as ["deskero" | "apideck", "deskero" | "apideck"];
        const from = createSandbox(source, { customers, seed });
        const to = createSandbox(target, { customers: 0, seed });
        const admin = helpdeskOf(from);
        const state = join(tempDir(), "s.sqlite");
        const inserted = { n: 0 };
        for (const [i, run] of runs.entries()) {
          // A faulty run may end early with an error (a listing that loops, a page the client gave up on).
          await runMigration({
            from: helpdeskOf(from, cuedFetch(from, shiftingSource(from, admin, run, inserted))),
            to: helpdeskOf(to, cuedFetch(to, faultyTarget(run, seed * 31 + i))),
            state,
            propagateDeletes: run.propagateDeletes,
          }).catch((error: unknown) => {
            if (!(error instanceof MigrateError)) throw error;
          });
          // Whatever happened, nothing is ever doubled, even before the clean runs.
          expect(copiesOf(from, to).doubled).toEqual([]);
        }
        let last = await runMigration({
          from: helpdeskOf(from),
          to: helpdeskOf(to),
          state,
          propagateDeletes: true,
          maxDeletes: Number.POSITIVE_INFINITY,
        });
        if (last.summary.failed > 0)
          last = await runMigration({
            from: helpdeskOf(from),
            to: helpdeskOf(to),
            state,
            propagateDeletes: true,
          });
        expect(last.summary.failed).toBe(0);
        expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
        expect(to.size()).toBe(from.size());
      }),
      { seed: 20261202, numRuns: 40, endOnFailure: true },
    );
  });
});

/** An email in a casing drawn from `seed`: `Ab.C3@Example.ORG`, never two people with one address. */
function casedEmail(i: number, seed: number): string {
  const chance = coin(seed * 7919 + i);
  const plain = `person.${i}@example.org`;
  return [...plain].map((ch) => (chance(0.5) ? ch.toUpperCase() : ch)).join("");
}

const caseScenario = fc.record({
  target: fc.constantFrom("apideck" as const, "deskero" as const),
  customers: fc.integer({ min: 3, max: 40 }),
  seed: fc.integer({ min: 1, max: 1_000 }),
  match: fc.constantFrom("email" as const, "none" as const),
  /** Apideck only: whether it honours X-Unique-Transaction-ID (its documentation: "upcoming"). */
  honoursKey: fc.boolean(),
  /** Shares of create answers lost in each faulty run, before the clean reruns. */
  lost: fc.array(fc.constantFrom(0.1, 0.3, 0.5), { minLength: 1, maxLength: 3 }),
});

describe("property: mixed-case emails and lost create answers, on both targets", () => {
  it("never double a record and, after clean reruns, lose none", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(caseScenario, async ({ target, customers, seed, match, honoursKey, lost }) => {
        const people = Array.from({ length: customers }, (_, i) => ({
          first_name: `Cased${i}`,
          emails: [{ email: casedEmail(i, seed), type: "primary" as const }],
        }));
        const from = await sandboxWith(target === "apideck" ? "deskero" : "apideck", people, seed);
        const to = createSandbox(target, { customers: 0, seed });
        const state = join(tempDir(), "s.sqlite");
        const fetchOf = (cue: Cue) => {
          const fetch = cuedFetch(to, cue);
          return target === "apideck" && !honoursKey ? ignoringKeys(fetch) : fetch;
        };
        for (const [i, share] of lost.entries()) {
          await runMigration({
            from: helpdeskOf(from),
            to: helpdeskOf(to, fetchOf(losingCreates(share, seed * 31 + i))),
            state,
            match,
          });
          expect(copiesOf(from, to).doubled).toEqual([]);
        }
        let failed = 1;
        for (let run = 0; run < 3 && failed > 0; run++)
          ({ failed } = (
            await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to, fetchOf({})), state, match })
          ).summary);
        expect(failed).toBe(0);
        expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
        expect(to.size()).toBe(customers);
      }),
      { seed: 20261207, numRuns: 30, endOnFailure: true },
    );
  });
});
