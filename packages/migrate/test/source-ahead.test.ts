// The source is read at most SOURCE_PAGES_AHEAD pages ahead of the one being stored: pages that
// arrive faster than they are stored grow V8's young generation (bench/README.md, "Migration").
// Writers waiting for work get it a page at a time.
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { copiesOf, createSandbox } from "@cskit/sandbox";
import { describe, expect, it } from "vitest";
import { SOURCE_PAGES_AHEAD } from "../src/run/read-source.js";
import { runMigration, tempDir } from "./helpers.js";
import { cuedFetch, helpdeskOf } from "./shifting.sandbox.js";

describe("reading the source", () => {
  it(`asks for at most ${SOURCE_PAGES_AHEAD} Deskero pages at once`, async () => {
    expect(SOURCE_PAGES_AHEAD).toBeLessThan(8); // the Deskero client's own default
    const from = createSandbox("deskero", { customers: 300, seed: 4 });
    const to = createSandbox("apideck", { customers: 0, seed: 4 });
    let now = 0;
    let most = 0;
    const slowPages = cuedFetch(from, {
      before: async (request) => {
        if (new URL(request.url).pathname !== "/customer/list") return undefined;
        most = Math.max(most, ++now);
        await sleep(20);
        now--;
        return undefined;
      },
    });
    const state = join(tempDir(), "s.sqlite");
    const { summary } = await runMigration({ from: helpdeskOf(from, slowPages), to: helpdeskOf(to), state });
    expect(summary).toMatchObject({ created: 300, failed: 0 });
    expect(copiesOf(from, to)).toEqual({ missing: [], doubled: [] });
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(SOURCE_PAGES_AHEAD);
  });

  it("writes while a slow source is still being read: writers waiting for work get each page", async () => {
    const from = createSandbox("deskero", { customers: 100, seed: 8 });
    const to = createSandbox("apideck", { customers: 0, seed: 8 });
    let created = false;
    // Each list page after the first waits for a create to reach the target (at most 2 s), and
    // notes whether one had.
    const afterCreate: boolean[] = [];
    const waitingPages = cuedFetch(from, {
      before: async (request) => {
        const url = new URL(request.url);
        if (url.pathname !== "/customer/list" || url.searchParams.get("page") === "1") return undefined;
        for (let waited = 0; !created && waited < 2000; waited += 10) await sleep(10);
        afterCreate.push(created);
        return undefined;
      },
    });
    const watching = cuedFetch(to, {
      before: (request) => {
        if (request.method === "POST") created = true;
        return undefined;
      },
    });
    const state = join(tempDir(), "s.sqlite");
    const { summary } = await runMigration({
      from: helpdeskOf(from, waitingPages),
      to: helpdeskOf(to, watching),
      state,
    });
    expect(summary).toMatchObject({ created: 100, failed: 0 });
    expect(afterCreate.length).toBeGreaterThan(0);
    expect(afterCreate.every(Boolean)).toBe(true);
  });
});
