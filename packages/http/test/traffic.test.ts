import { getEventListeners } from "node:events";
// The traffic policy: its rules on explicit outcomes, then a client's calls on real loopback servers.
import { setTimeout as pause } from "node:timers/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { classifyError } from "../src/classify.js";
import { RateLimitError } from "../src/errors.js";
import { PlainRequest } from "../src/plain-request.js";
import { Redactor } from "../src/redact.js";
import { type Handler, startTestServer, type TestServer } from "../src/testing.js";
import { DEFAULT_MAX_CONCURRENCY, INITIAL_CONCURRENCY, TrafficPolicy } from "../src/traffic.js";
import { createTransport, type TransportOptions } from "../src/transport.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(handler: Handler) {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}
const get = (url: string) => new PlainRequest(url);
const transport = (options: Partial<TransportOptions> = {}) =>
  createTransport({ redactor: new Redactor([]), ...options });

/** Takes `n` slots and hands them back with `outcome`, as a burst of calls would. */
async function round(
  policy: TrafficPolicy,
  n: number,
  status: number | undefined,
  latencyMs = 10,
  waitMs = 0,
) {
  await pause(2); // a round trip later than the last one
  const sentAt = Date.now();
  await Promise.all(Array.from({ length: n }, () => policy.acquire()));
  for (let i = 0; i < n; i++) policy.release(sentAt, { status, retryAfterMs: waitMs }, latencyMs);
}

describe("requests in flight", () => {
  it("defaults, with no option passed: 8 at first, growing to 64 while answers come fast", async () => {
    const policy = new TrafficPolicy();
    expect(policy.concurrency).toBe(INITIAL_CONCURRENCY);
    expect(policy.rate).toBeUndefined();
    for (let i = 0; i < 20; i++) await round(policy, policy.concurrency, 200);
    expect(policy.concurrency).toBe(DEFAULT_MAX_CONCURRENCY);
  });

  it("goes down on a 429, once per round trip, and back up without them", async () => {
    // A rate of the user's, far above these rounds: no learned rate keeps the window up.
    const policy = new TrafficPolicy({ maxConcurrency: 32, maxRequestsPerSecond: 100_000 });
    for (let i = 0; i < 10; i++) await round(policy, policy.concurrency, 200);
    expect(policy.concurrency).toBe(32);
    await round(policy, 32, 429, 10, 5); // 32 answers of one round trip: one cut
    expect(policy.concurrency).toBe(16);
    for (let i = 0; i < 40; i++) await round(policy, policy.concurrency, 200);
    expect(policy.concurrency).toBeGreaterThan(16);
    expect(policy.concurrency).toBeLessThanOrEqual(32);
  });

  it("undoes a cut when 429s keep coming at the window it set: they do not follow the window", async () => {
    const policy = new TrafficPolicy({ maxConcurrency: 32, maxRequestsPerSecond: 100_000 });
    for (let i = 0; i < 10; i++) await round(policy, policy.concurrency, 200);
    await round(policy, 32, 429, 10, 5);
    expect(policy.concurrency).toBe(16);
    await round(policy, 16, 429, 10, 5); // still at 16: noise
    expect(policy.concurrency).toBe(32);
  });

  it("goes down when latency grows far above the fastest answer", async () => {
    const policy = new TrafficPolicy();
    await round(policy, 8, 200, 40);
    const before = policy.concurrency;
    await round(policy, policy.concurrency, 200, 500);
    expect(policy.concurrency).toBeLessThan(before);
  });

  it("does not grow a window the caller leaves unused", async () => {
    const policy = new TrafficPolicy();
    for (let i = 0; i < 100; i++) await round(policy, 1, 200);
    expect(policy.concurrency).toBe(INITIAL_CONCURRENCY);
  });

  it("learns a rate from a 429 after accepted answers; the next 429 slows it further", async () => {
    const policy = new TrafficPolicy();
    await round(policy, 8, 200);
    await round(policy, 8, 200);
    expect(policy.rate).toBeUndefined();
    await round(policy, 1, 429, 10, 5);
    const learned = policy.rate as number;
    expect(learned).toBeGreaterThan(1);
    await policy.acquire(); // the learned rate spaces requests out
    policy.release(Date.now(), { status: 200 }, 10);
    await round(policy, 1, 429, 10, 5);
    expect(policy.rate).toBeLessThan(learned);
  });

  it("learns nothing from a 429 that asks for no wait (a refusal, not a limit)", async () => {
    const policy = new TrafficPolicy();
    await round(policy, 8, 200);
    await round(policy, 1, 429); // retryAfterMs: 0
    expect(policy.rate).toBeUndefined();
    expect(policy.concurrency).toBeGreaterThanOrEqual(INITIAL_CONCURRENCY);
  });
});

describe("a client's calls on a real server", () => {
  it("all calls of one client hold after a 429, until the server's wait is over", async () => {
    let clock = 0;
    const traffic = new TrafficPolicy({}, () => clock);
    const server = await serve((_req, res, n) =>
      n === 1
        ? void res.writeHead(429, { "retry-after-ms": "1000" }).end()
        : void res.writeHead(200, { "content-type": "application/json" }).end("{}"),
    );
    let wake: (() => void) | undefined;
    const send = transport({
      traffic,
      sleep: () => new Promise<void>((resolve) => (wake = resolve)),
    });
    const holds: number[] = [];
    traffic.observe((e) => e.type === "hold" && holds.push(e.waitMs));
    const first = send(get(`${server.url}/a`));
    while (holds.length === 0) await pause(5);
    expect(holds).toEqual([1000]);
    // Other calls of the same client, made during the hold: none reaches the server.
    const others = [send(get(`${server.url}/b`)), send(get(`${server.url}/c`))];
    await pause(100); // the policy's clock stands still: the hold cannot end by itself
    expect(server.requests.map((r) => r.url)).toEqual(["/a"]);
    expect(traffic.waiting).toBe(2);
    clock = 1000; // the server's wait is over
    wake?.();
    const answers = await Promise.all([first, ...others]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(
      server.requests
        .map((r) => r.url)
        .slice(1)
        .sort(),
    ).toEqual(["/a", "/b", "/c"]);
  });

  it("defaults, with no option passed: a 429 holds a call made during the server's wait", async () => {
    const server = await serve((_req, res, n) =>
      n === 1
        ? void res.writeHead(429, { "retry-after-ms": "300" }).end()
        : void res.writeHead(200, { "content-type": "application/json" }).end("{}"),
    );
    const traffic = new TrafficPolicy();
    const send = transport({ traffic });
    let during: Promise<Response> | undefined;
    let waitingThen = -1;
    traffic.observe((e) => {
      if (e.type !== "hold" || during) return;
      during = send(get(`${server.url}/during`)); // asks for room at once, inside the hold
      waitingThen = traffic.waiting;
    });
    expect((await send(get(`${server.url}/first`))).status).toBe(200);
    expect(waitingThen).toBe(1);
    expect((await during)?.status).toBe(200);
  });

  it("defaults, with no option passed: 8 requests in flight at first, the rest wait", async () => {
    let answer: (() => void) | undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const server = await serve(async (_req, res) => {
      await answered;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    const send = transport();
    const calls = Array.from({ length: 20 }, () => send(get(`${server.url}/x`)));
    while (server.requests.length < INITIAL_CONCURRENCY) await pause(5);
    await pause(100);
    expect(server.requests).toHaveLength(INITIAL_CONCURRENCY);
    answer?.();
    const answers = await Promise.all(calls);
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(server.requests).toHaveLength(20);
  });

  it("maxConcurrency is never exceeded", async () => {
    let open = 0;
    let most = 0;
    const server = await serve(async (_req, res) => {
      most = Math.max(most, ++open);
      await pause(5);
      open--;
      res.writeHead(200).end();
    });
    const send = transport({ maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 30 }, () => send(get(`${server.url}/x`))));
    expect(most).toBeLessThanOrEqual(3);
  });

  it("maxRequestsPerSecond is never exceeded: at most that many arrive in any second", async () => {
    const arrivals: number[] = [];
    const server = await serve((_req, res) => {
      arrivals.push(performance.now());
      res.writeHead(200).end();
    });
    const send = transport({ maxRequestsPerSecond: 4 });
    await Promise.all(Array.from({ length: 11 }, () => send(get(`${server.url}/x`))));
    expect(arrivals).toHaveLength(11);
    for (const start of arrivals) {
      expect(arrivals.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(4);
    }
  });

  it("a caller's abort takes a waiting call out of the queue", async () => {
    const server = await serve(async (_req, res) => {
      await pause(30);
      res.writeHead(200).end();
    });
    const traffic = new TrafficPolicy({ maxConcurrency: 1 });
    const send = transport({ traffic });
    const first = send(get(`${server.url}/1`));
    const controller = new AbortController();
    const second = send(new PlainRequest(`${server.url}/2`, { signal: controller.signal }));
    expect(traffic.waiting).toBe(1);
    controller.abort();
    await expect(second).rejects.toMatchObject({ name: "AbortError" });
    expect(traffic.waiting).toBe(0);
    expect((await first).status).toBe(200);
    expect(server.requests.map((r) => r.url)).toEqual(["/1"]);
  });

  it("rejects maxConcurrency and maxRequestsPerSecond that are not whole numbers from 1", () => {
    expect(() => transport({ maxConcurrency: 0 })).toThrow(/maxConcurrency/);
    expect(() => transport({ maxRequestsPerSecond: 2.5 })).toThrow(/maxRequestsPerSecond/);
  });
});

describe("a caller's signal and a call's time", () => {
  it("50 calls sharing one signal print no MaxListenersExceededWarning, and an abort rejects all 50", async () => {
    const server = await serve(async (_req, res) => {
      await pause(200);
      res.writeHead(200).end();
    });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const send = transport();
      const controller = new AbortController();
      const calls = Array.from({ length: 50 }, () =>
        send(new PlainRequest(`${server.url}/x`, { signal: controller.signal })).catch((e: unknown) => e),
      );
      // Node 22+ sets no listener limit on an AbortSignal, so count them: one, however many calls.
      await vi.waitFor(() => expect(getEventListeners(controller.signal, "abort")).toHaveLength(1), 5000);
      await pause(50);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
      controller.abort();
      const errors = await Promise.all(calls);
      expect(errors.map((e) => (e as Error).name)).toEqual(Array(50).fill("AbortError"));
      await pause(10); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("a call that cannot wait out another call's hold fails at once with a RateLimitError", async () => {
    const server = await serve((_req, res, n) =>
      n === 1
        ? void res.writeHead(429, { "retry-after": "3600" }).end()
        : void res.writeHead(200, { "content-type": "application/json" }).end("{}"),
    );
    const send = transport();
    expect((await send(get(`${server.url}/first`))).status).toBe(429); // past maxDelayMs: its answer back
    const started = performance.now();
    const error = await send(get(`${server.url}/short`), { timeoutMs: 1500 }).catch((e: unknown) => e);
    // Not after waiting out its own 1.5 s: at once (a loose bound, so a loaded machine passes too).
    expect(performance.now() - started).toBeLessThan(1500);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(classifyError(error)).toBe("rate-limited");
    // The client holds for maxDelayMs (10 s), not the hour asked.
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(9000);
    expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(10_000);
    expect(server.requests).toHaveLength(1);
  });
});
