// What the migration reads of an Apideck target: its ids and emails to match (email-match.ts), and, to
// read back the creates (confirm.ts), past a few, one listing of its ids only.
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
    const db = new DatabaseSync(state, { readOnly: true });
    const left = db.prepare("SELECT count(*) AS n FROM records WHERE unconfirmed = 1").get();
    db.close();
    expect(left).toEqual({ n: 0 });
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
