// What the migration reads of an Apideck target: its ids and emails to match (email-match.ts), and, to
// read back the creates (confirm.ts), listings of its ids only: one that trails the writes, and past a
// few left after them, one more.
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { copiesOf, createSandbox } from "@cskit/sandbox";
import { describe, expect, it } from "vitest";
import { mixedCase, sandboxWith } from "./doubles.sandbox.js";
import { runMigration, tempDir } from "./helpers.js";
import { cuedFetch, helpdeskOf } from "./shifting.sandbox.js";

describe("listings of an Apideck target", () => {
  it("confirms 100 creates with one listing that asks for the ids only, and no get per record", async () => {
    const from = createSandbox("deskero", { customers: 100, seed: 5 });
    const to = createSandbox("apideck", { customers: 0, seed: 5 });
    const listed: URL[] = [];
    let details = 0;
    const watching = cuedFetch(to, {
      before: (request, n) => {
        const url = new URL(request.url);
        if (request.method === "GET" && url.pathname === "/customer-support/customers") listed.push(url);
        details = n.details;
        return undefined;
      },
    });
    const state = join(tempDir(), "s.sqlite");
    const { summary } = await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to, watching), state });
    expect(summary).toMatchObject({ created: 100, failed: 0 });
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
    // The first listing reads the target's emails (empty); the last one, after the creates, the ids.
    expect(listed.at(-1)?.searchParams.get("fields")).toBe("id");
    expect(details).toBe(0);
    expect(unconfirmedIn(state)).toBe(0);
  });

  it("reads the creates back while it writes: once the writes end, a page or two of ids is left to read", async () => {
    const from = createSandbox("deskero", { customers: 1000, seed: 6 });
    const to = createSandbox("apideck", { customers: 0, seed: 6 });
    // Each listing of ids, with the creates sent before it.
    const idPages: number[] = [];
    let creates = 0;
    let details = 0;
    const watching = cuedFetch(to, {
      before: (request, n) => {
        const url = new URL(request.url);
        if (url.searchParams.get("fields") === "id") idPages.push(n.creates);
        creates = n.creates;
        details = n.details;
        return undefined;
      },
    });
    const state = join(tempDir(), "s.sqlite");
    const { summary } = await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to, watching), state });
    expect(summary).toMatchObject({ created: 1000, failed: 0 });
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
    expect(creates).toBe(1000);
    expect(details).toBe(0);
    // After the last create: the last page the trail reached, and what grew past it.
    expect(idPages.filter((sent) => sent === 1000).length).toBeLessThanOrEqual(2);
    // During the writes: about one and a half readings of each id, never the whole target per pass.
    expect(idPages.length).toBeLessThanOrEqual(12);
    expect(unconfirmedIn(state)).toBe(0);
  });

  it("a target that lists in another order: what the trail did not show is read back after the writes", async () => {
    const from = createSandbox("deskero", { customers: 600, seed: 7 });
    const to = createSandbox("apideck", { customers: 0, seed: 7 });
    let details = 0;
    // While the creates go on, the target's pages of ids show none of them (as one listing newest
    // last, or by name, would show few); once they are over, everything.
    const writing = { done: false };
    const watching = cuedFetch(to, {
      before: (_request, n) => {
        details = n.details;
        return undefined;
      },
      afterList: (page, n) => {
        if (page.url.searchParams.get("fields") === "id" && n.creates < 600) page.body.data = [];
        else writing.done = true;
      },
    });
    const state = join(tempDir(), "s.sqlite");
    const { summary } = await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to, watching), state });
    expect(summary).toMatchObject({ created: 600, failed: 0 });
    expect(writing.done).toBe(true);
    expect(details).toBe(0);
    expect(unconfirmedIn(state)).toBe(0);
  });

  it("a target whose pages of ids point further forever, empty: the trail ends, and the run too", async () => {
    const from = createSandbox("deskero", { customers: 500, seed: 9 });
    const to = createSandbox("apideck", { customers: 0, seed: 9 });
    // While the creates go on, each page of ids is empty and points to a new cursor (a server
    // that pages forever); the trail must give up, not follow it.
    let fakes = 0;
    const endless = cuedFetch(to, {
      before: async (request, n) => {
        const url = new URL(request.url);
        if (url.searchParams.get("fields") !== "id" || n.creates >= 500) return undefined;
        url.searchParams.delete("cursor");
        const real = await to.fetch(new Request(url, { headers: request.headers }));
        const body = (await real.json()) as { data: unknown[]; meta: { cursors: { next: unknown } } };
        body.data = [];
        body.meta.cursors.next = `fake-${++fakes}`;
        return new Response(JSON.stringify(body), { status: 200, headers: real.headers });
      },
    });
    const state = join(tempDir(), "s.sqlite");
    const { summary } = await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to, endless), state });
    expect(summary).toMatchObject({ created: 500, failed: 0 });
    expect(fakes).toBeGreaterThan(0);
    expect(fakes).toBeLessThanOrEqual(2);
    expect(unconfirmedIn(state)).toBe(0);
  });

  it("matches emails from a listing of ids and emails only: records the target holds are linked", async () => {
    const people = mixedCase(5, "Held.H");
    const from = await sandboxWith("deskero", people);
    const to = await sandboxWith("apideck", people.slice(0, 3));
    const listed: URL[] = [];
    const watching = cuedFetch(to, {
      before: (request) => {
        const url = new URL(request.url);
        if (request.method === "GET" && url.pathname === "/customer-support/customers") listed.push(url);
        return undefined;
      },
    });
    const state = join(tempDir(), "s.sqlite");
    const { summary } = await runMigration({ from: helpdeskOf(from), to: helpdeskOf(to, watching), state });
    expect(summary).toMatchObject({ linked: 3, created: 2, failed: 0 });
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
    expect(listed[0]?.searchParams.get("fields")).toBe("id,emails");
  });
});

/** Creates in a state file not read back yet. */
function unconfirmedIn(state: string): number {
  const db = new DatabaseSync(state, { readOnly: true });
  const row = db.prepare("SELECT count(*) AS n FROM records WHERE unconfirmed = 1").get() as { n: number };
  db.close();
  return row.n;
}
