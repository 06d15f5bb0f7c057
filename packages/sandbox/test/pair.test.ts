// startSandboxPair: two real servers on 127.0.0.1, called through the real clients.
import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";
import { createDeskeroClient } from "@cskit/deskero";
import { describe, expect, it } from "vitest";
import { copiesOf, helpdeskOptionsOf, startSandboxPair } from "../src/index.js";

describe("startSandboxPair", () => {
  it("with no option: 200 source customers, a target with the first 20 of the same people", async () => {
    const pair = await startSandboxPair("deskero", "apideck");
    try {
      expect([pair.source.api, pair.target.api]).toEqual(["deskero", "apideck"]);
      expect([pair.source.size(), pair.target.size()]).toEqual([200, 20]);
      expect(pair.source.url).not.toBe(pair.target.url);
      // Every target person is a source person: only the other 180 are missing from the target.
      const { missing, doubled } = copiesOf(pair.source, pair.target);
      expect([missing.length, doubled]).toEqual([180, []]);
    } finally {
      await pair.stop();
    }
  });

  it("gives each sandbox's helpdesk options; the clients reach them; stop() stops both", async () => {
    const pair = await startSandboxPair("apideck", "deskero", { customers: 30, seed: 7 });
    const source = helpdeskOptionsOf(pair.source);
    const target = helpdeskOptionsOf(pair.target);
    expect(source).toMatchObject({ provider: "apideck", baseUrl: pair.source.url });
    expect(target).toMatchObject({ provider: "deskero", baseUrl: pair.target.url });
    const { provider: _a, ...apideckOptions } = source as Extract<typeof source, { provider: "apideck" }>;
    const { provider: _d, ...deskeroOptions } = target as Extract<typeof target, { provider: "deskero" }>;
    const apideck = createApideckCustomerSupport({ ...apideckOptions, retry: false });
    const deskero = createDeskeroClient({ ...deskeroOptions, retry: false });
    const count = async (records: AsyncIterable<unknown>) => {
      let n = 0;
      for await (const _ of records) n++;
      return n;
    };
    expect(await count(apideck.customers.iterate())).toBe(30);
    expect(await count(deskero.customers.iterate())).toBe(3);
    await pair.stop();
    await expect(fetch(pair.source.url)).rejects.toThrow();
    await expect(fetch(pair.target.url)).rejects.toThrow();
  });

  it("injects the faults in both", async () => {
    const pair = await startSandboxPair("apideck", "deskero", { customers: 10, faults: { rate503: 1 } });
    try {
      expect((await fetch(`${pair.source.url}/customer-support/customers`)).status).toBe(503);
      expect((await fetch(`${pair.target.url}/customers`)).status).toBe(503);
    } finally {
      await pair.stop();
    }
  });
});
