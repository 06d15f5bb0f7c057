// `iterate({ ahead })`: how many pages are read before they are needed, on both providers (an
// in-process sandbox whose list pages each take a moment).
import { setTimeout as sleep } from "node:timers/promises";
import { createSandbox, IN_PROCESS_URL, SANDBOX_CREDENTIALS } from "@cskit/sandbox";
import { describe, expect, it } from "vitest";
import { createHelpdesk, type Provider } from "../src/index.js";

const LIST = { apideck: "/customer-support/customers", deskero: "/customer/list" } as const;

/** Iterates 300 customers; counts list requests in flight at most, and those asked for while the first record is held. */
async function paging(provider: Provider, ahead: number | undefined) {
  const sandbox = createSandbox(provider, { customers: 300, seed: 2 });
  let started = 0;
  let now = 0;
  let most = 0;
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname !== LIST[provider]) return sandbox.fetch(request);
    started++;
    most = Math.max(most, ++now);
    try {
      await sleep(20);
      return await sandbox.fetch(request);
    } finally {
      now--;
    }
  };
  const common = { baseUrl: IN_PROCESS_URL, fetch };
  const hd =
    provider === "apideck"
      ? createHelpdesk({ provider, ...SANDBOX_CREDENTIALS.apideck, ...common })
      : createHelpdesk({ provider, ...SANDBOX_CREDENTIALS.deskero, ...common });
  let count = 0;
  let duringFirst = 0;
  const limit = provider === "apideck" ? 25 : undefined;
  for await (const _ of hd.customers.iterate({ ahead, limit })) {
    if (++count === 1) {
      await sleep(50); // what is read ahead is asked for meanwhile
      duringFirst = started;
    }
  }
  expect(count).toBe(300);
  return { most, duringFirst };
}

describe("iterate({ ahead })", () => {
  it("Deskero: 8 pages ahead by default, at most as many as asked, one at a time with 0", async () => {
    expect((await paging("deskero", undefined)).duringFirst).toBe(1 + 8);
    expect((await paging("deskero", 2)).most).toBeLessThanOrEqual(2);
    expect((await paging("deskero", 2)).duringFirst).toBe(1 + 2);
    expect(await paging("deskero", 0)).toEqual({ most: 1, duringFirst: 1 });
  });

  it("Apideck: the next page read ahead by default, none with 0", async () => {
    expect((await paging("apideck", undefined)).duringFirst).toBe(2);
    expect(await paging("apideck", 0)).toEqual({ most: 1, duringFirst: 1 });
  });
});
