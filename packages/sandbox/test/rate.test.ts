// A sandbox that behaves like a rate-limited vendor: a token bucket per sandbox, and latency jitter.
import { createDeskeroClient } from "@cskit/deskero";
import { describe, expect, it } from "vitest";
import {
  createSandbox,
  formatFaults,
  IN_PROCESS_URL,
  parseFaults,
  SANDBOX_CREDENTIALS,
  startSandbox,
} from "../src/index.js";

const APIDECK_AUTH = { authorization: "Bearer k", "x-apideck-app-id": "a", "x-apideck-consumer-id": "c" };
const CUSTOMERS = `${IN_PROCESS_URL}/customer-support/customers?limit=1`;

describe("rate=<requests per second>", () => {
  it("lets a burst through, then answers 429 with the wait until the next token", async () => {
    const sandbox = createSandbox("apideck", { customers: 3, faults: { ratePerSecond: 2, burst: 3 } });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => sandbox.fetch(CUSTOMERS, { headers: APIDECK_AUTH })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    const refused = answers[3] as Response;
    expect(Number(refused.headers.get("retry-after-ms"))).toBeGreaterThan(0);
    expect(Number(refused.headers.get("retry-after-ms"))).toBeLessThanOrEqual(500);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(sandbox.stats()).toMatchObject({ requests: 8, tooManyRequests: 5 });
  });

  it("a client with its defaults reads every page of a rate-limited Deskero, in order, without failing", async () => {
    const faults = { ratePerSecond: 5, burst: 1, latencyMs: 2, jitterMs: 3 };
    const sandbox = await startSandbox("deskero", { customers: 100, seed: 3, faults });
    try {
      const client = createDeskeroClient({ ...SANDBOX_CREDENTIALS.deskero, baseUrl: sandbox.url });
      const parallel: string[] = [];
      for await (const c of client.customers.iterate()) parallel.push(c.id as string);
      const serial: string[] = [];
      for await (const c of client.customers.iterate({}, { ahead: 0 })) serial.push(c.id as string);
      expect(parallel).toHaveLength(100);
      expect(parallel).toEqual(serial);
      // The pages read at once came above the limit: the client waited, and nothing failed.
      expect(sandbox.stats().tooManyRequests).toBeGreaterThan(0);
    } finally {
      await sandbox.stop();
    }
  });
});

describe("whole-seconds=1: a limit that answers as most vendors do", () => {
  it("a request over the limit, on a real socket, gets Retry-After: 1 and no retry-after-ms", async () => {
    const faults = parseFaults("rate=2,burst=1,whole-seconds=1");
    const sandbox = await startSandbox("apideck", { customers: 1, faults });
    try {
      const url = `${sandbox.url}/customer-support/customers?limit=1`;
      const answers = [
        await fetch(url, { headers: APIDECK_AUTH }),
        await fetch(url, { headers: APIDECK_AUTH }),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 429]);
      const refused = answers[1] as Response;
      // The next token is at most 500 ms away (a slow machine makes it less); the answer says one whole second.
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(refused.headers.has("retry-after-ms")).toBe(false);
      expect(sandbox.stats()).toMatchObject({ requests: 2, tooManyRequests: 1 });
    } finally {
      await sandbox.stop();
    }
  });

  it("holds for 429=<share> too, and is off by default", async () => {
    const only = createSandbox("deskero", {
      customers: 0,
      faults: { rate429: 1, retryAfterMs: 200, wholeSeconds: true },
    });
    const answer = await only.fetch(`${IN_PROCESS_URL}/customer/list`);
    expect([answer.status, answer.headers.get("retry-after"), answer.headers.has("retry-after-ms")]).toEqual([
      429,
      "1",
      false,
    ]);
    const both = createSandbox("deskero", { customers: 0, faults: { rate429: 1, retryAfterMs: 200 } });
    expect((await both.fetch(`${IN_PROCESS_URL}/customer/list`)).headers.get("retry-after-ms")).toBe("200");
  });

  it("reads 1 and 0, writes them back, and refuses anything else in one line", () => {
    expect(parseFaults("rate=20,whole-seconds=1")).toEqual({ ratePerSecond: 20, wholeSeconds: true });
    expect(parseFaults("whole-seconds=0")).toEqual({ wholeSeconds: false });
    expect(formatFaults({ ratePerSecond: 20, wholeSeconds: true })).toBe("rate=20,whole-seconds=1");
    for (const text of ["whole-seconds=2", "whole-seconds=0.5", "whole-seconds=100%", "whole-seconds=yes"])
      expect(() => parseFaults(text)).toThrow(
        /^fault "whole-seconds" (must be 1 \(on\) or 0 \(off\)|has a value)/,
      );
    expect(() => createSandbox("apideck", { faults: { wholeSeconds: 1 as unknown as boolean } })).toThrow(
      "wholeSeconds must be true or false",
    );
  });
});

describe("parseFaults reads rate, burst and jitter", () => {
  it("round-trips through formatFaults", () => {
    const faults = parseFaults("rate=200,burst=20,latency=40,jitter=10");
    expect(faults).toEqual({ ratePerSecond: 200, burst: 20, latencyMs: 40, jitterMs: 10 });
    expect(parseFaults(formatFaults(faults))).toEqual(faults);
  });

  it.each(["rate=0", "burst=0.5", "jitter=-1", "rate=fast"])("refuses %s in one line", (text) => {
    expect(() => parseFaults(text)).toThrow(/^fault "\w+" (must be|has a value)/);
  });
});
