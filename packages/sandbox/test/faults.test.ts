import { createApideckCustomerSupport } from "@cskit/apideck-customer-support";
import { ConnectionError, createDeskeroClient } from "@cskit/deskero";
import { describe, expect, it } from "vitest";
import {
  createSandbox,
  type Faults,
  FaultsError,
  formatFaults,
  IN_PROCESS_URL,
  parseFaults,
  SANDBOX_CREDENTIALS,
  type Sandbox,
  startSandbox,
} from "../src/index.js";

const APIDECK_AUTH = { authorization: "Bearer k", "x-apideck-app-id": "a", "x-apideck-consumer-id": "c" };
const CUSTOMERS = `${IN_PROCESS_URL}/customer-support/customers`;
const create = (sandbox: Sandbox, headers: { [name: string]: string } = {}) =>
  sandbox.fetch(CUSTOMERS, {
    method: "POST",
    headers: { ...APIDECK_AUTH, ...headers },
    body: '{"first_name":"Ada"}',
  });
/** Statuses of `n` sequential list calls ("lost" when the answer was lost). */
async function statuses(sandbox: Sandbox, n: number): Promise<(number | "lost")[]> {
  const out: (number | "lost")[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await sandbox.fetch(`${CUSTOMERS}?limit=1`, { headers: APIDECK_AUTH }).then(
        (r) => r.status,
        () => "lost" as const,
      ),
    );
  }
  return out;
}

describe("fault injection", () => {
  it("429 refuses before processing, with Retry-After in seconds and retry-after-ms", async () => {
    const sandbox = createSandbox("apideck", { customers: 0, faults: { rate429: 1, retryAfterMs: 1500 } });
    const answer = await create(sandbox);
    expect(answer.status).toBe(429);
    expect(answer.headers.get("retry-after")).toBe("2");
    expect(answer.headers.get("retry-after-ms")).toBe("1500");
    expect(answer.headers.get("request-id")).toBeTruthy();
    expect(await answer.json()).toMatchObject({ status_code: 429, type_name: "ConnectorRateLimitError" });
    expect(sandbox.size()).toBe(0);
    expect(sandbox.stats()).toEqual({ requests: 1, tooManyRequests: 1, unavailable: 0, lostAnswers: 0 });
  });

  it("asks for a 1 s wait by default", async () => {
    const sandbox = createSandbox("deskero", { customers: 0, faults: { rate429: 1 } });
    const answer = await sandbox.fetch(`${IN_PROCESS_URL}/customer/list`);
    expect([answer.status, answer.headers.get("retry-after"), answer.headers.get("retry-after-ms")]).toEqual([
      429,
      "1",
      "1000",
    ]);
  });

  it("503 refuses before processing", async () => {
    const sandbox = createSandbox("apideck", { customers: 0, faults: { rate503: 1 } });
    const answer = await create(sandbox);
    expect(answer.status).toBe(503);
    expect(sandbox.size()).toBe(0);
    expect(sandbox.stats().unavailable).toBe(1);
  });

  it("a lost answer applies the write, then drops the connection (real socket)", async () => {
    const sandbox = await startSandbox("deskero", { customers: 0, faults: { lostAnswer: 1 } });
    try {
      // Default retry policy: an insert that may have been processed is not sent again.
      const dk = createDeskeroClient({ clientId: "c", accessToken: "t", baseUrl: sandbox.url });
      const error = await dk.customers.create({ name: "Ada" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(sandbox.size()).toBe(1);
      expect(sandbox.stats().lostAnswers).toBe(1);
    } finally {
      await sandbox.stop();
    }
  });

  it("a lost answer in-process rejects as undici does", async () => {
    const sandbox = createSandbox("apideck", { customers: 0, faults: { lostAnswer: 1 } });
    const error = await create(sandbox).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).cause).toMatchObject({ code: "UND_ERR_SOCKET" });
    expect(sandbox.size()).toBe(1);
  });

  it("latency delays every answer by at least latencyMs", async () => {
    const sandbox = createSandbox("apideck", { customers: 1, faults: { latencyMs: 150 } });
    const started = performance.now();
    await statuses(sandbox, 2);
    // A lower bound only: a loaded machine makes it slower, never faster.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("applies each fault to its share of requests, in an order fixed by the seed", async () => {
    const faults: Faults = { rate429: 0.2, rate503: 0.1, lostAnswer: 0.1 };
    const a = await statuses(createSandbox("apideck", { customers: 5, seed: 1, faults }), 1000);
    const b = await statuses(createSandbox("apideck", { customers: 5, seed: 1, faults }), 1000);
    const c = await statuses(createSandbox("apideck", { customers: 5, seed: 2, faults }), 1000);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    const count = (s: number | "lost") => a.filter((x) => x === s).length;
    // 1000 draws: binomial spreads are about ±13 (429), ±10 (503), ±9 (lost); these bounds are > 4 sigma.
    expect(count(429)).toBeGreaterThan(150);
    expect(count(429)).toBeLessThan(250);
    expect(count(503)).toBeGreaterThan(60);
    expect(count(503)).toBeLessThan(140);
    expect(count("lost")).toBeGreaterThan(40);
    expect(count("lost")).toBeLessThan(110);
    expect(count(200)).toBe(1000 - count(429) - count(503) - count("lost"));
  });

  it("a retrying client with idempotency keys creates each customer exactly once through every fault", async () => {
    const sandbox = createSandbox("apideck", {
      customers: 0,
      seed: 3,
      faults: { rate429: 0.2, rate503: 0.1, lostAnswer: 0.2, retryAfterMs: 0 },
    });
    const cs = createApideckCustomerSupport({
      ...SANDBOX_CREDENTIALS.apideck,
      baseUrl: IN_PROCESS_URL,
      fetch: sandbox.fetch,
      retry: { maxAttempts: 20, baseDelayMs: 0 },
    });
    const created = new Set<string>();
    for (let i = 0; i < 50; i++) created.add((await cs.customers.create({ first_name: `N${i}` })).id);
    expect(created.size).toBe(50);
    expect(sandbox.size()).toBe(50);
    const stats = sandbox.stats();
    expect(stats.lostAnswers).toBeGreaterThan(0);
    expect(stats.tooManyRequests).toBeGreaterThan(0);
    expect(stats.requests).toBe(50 + stats.lostAnswers + stats.tooManyRequests + stats.unavailable);
  });

  it("checks fault options when a sandbox is created", () => {
    expect(() => createSandbox("apideck", { faults: { rate429: 1.5 } })).toThrow(FaultsError);
    expect(() => createSandbox("apideck", { faults: { rate429: 0.6, rate503: 0.6 } })).toThrow(
      "rate429 and rate503 together must not exceed 1",
    );
    expect(() => createSandbox("apideck", { faults: { latencyMs: -1 } })).toThrow("latencyMs");
  });
});

describe("parseFaults", () => {
  it("reads every fault", () => {
    expect(parseFaults("429=0.2,503=0.1,lost=0.05,latency=5,retry-after=1000")).toEqual({
      rate429: 0.2,
      rate503: 0.1,
      lostAnswer: 0.05,
      latencyMs: 5,
      retryAfterMs: 1000,
    });
  });

  it("reads back what formatFaults writes", () => {
    const faults: Faults = { rate429: 0.25, rate503: 0.1, lostAnswer: 0.05, latencyMs: 5, retryAfterMs: 0 };
    expect(formatFaults(faults)).toBe("429=0.25,503=0.1,lost=0.05,latency=5,retry-after=0");
    expect(parseFaults(formatFaults(faults))).toEqual(faults);
    expect(formatFaults({})).toBe("");
  });

  it("accepts spaces, percentages, .5 and an empty string", () => {
    expect(parseFaults(" 429 = 20% , lost=.5 ")).toEqual({ rate429: 0.2, lostAnswer: 0.5 });
    expect(parseFaults("")).toEqual({});
  });

  it.each([
    ["foo=1", 'unknown fault "foo"'],
    ["429", 'fault "429" needs a value'],
    ["429=", 'fault "429" has a value that is not a number: ""'],
    ["429=abc", 'fault "429" has a value that is not a number: "abc"'],
    ["429=1.5", 'fault "429" must be a share between 0 and 1'],
    ["lost=150%", 'fault "lost" must be a share between 0 and 1'],
    ["latency=-5", 'fault "latency" has a value that is not a number: "-5"'],
    ["429=0.1,429=0.2", 'fault "429" is given twice'],
    ["429=0.6,503=0.6", "rate429 and rate503 together must not exceed 1"],
    ["429=0.1,,503=0.1", "an empty entry"],
    ["429=0.1,", "an empty entry"],
    // Names that every object inherits are no fault names.
    ["constructor=1", 'unknown fault "constructor"'],
    ["__proto__=1", 'unknown fault "__proto__"'],
    ["toString=1", 'unknown fault "toString"'],
    // A timer cannot wait 3,000,000,000 ms (Node fires it at once, with a TimeoutOverflowWarning).
    ["latency=3000000000", 'fault "latency" must be ms, from 0 to 600000'],
    ["retry-after=600001", 'fault "retry-after" must be ms, from 0 to 600000'],
  ])("%s -> a FaultsError: %s", (text, message) => {
    let error: unknown;
    try {
      parseFaults(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FaultsError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain("\n");
  });
});
