// The traffic policy against server models on a virtual clock: each model, what the policy reached
// against its target (the spec; see the README's "Traffic policy").
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_CONCURRENCY } from "../src/traffic.js";
import { DEFAULTS } from "../src/transport.js";
import { seeded } from "./simulator/clock.js";
import { type Callers, type RunResult, simulate } from "./simulator/run.js";
import {
  constant,
  inFlightLimit,
  loaded,
  open,
  random429,
  type Server,
  tokenBucket,
} from "./simulator/servers.js";

/** Models the policy does not reach yet (see the README): run and reported, their assertion expected to fail. */
const SHORT = new Set([
  "bucket 300/s, hint seconds",
  "bucket 300/s, hint ms",
  "field burst true",
  "field burst false",
]);
const rows: string[] = [];
afterAll(() => {
  console.log(["model | reached | target", "---|---|---", ...rows].join("\n"));
});
const report = (model: string, reached: number, target: number, unit = "/s") =>
  rows.push(
    `${model} | ${reached.toFixed(1)}${unit} | ${target.toFixed(1)}${unit} (${(reached / target).toFixed(2)})`,
  );

const many = (callers = 64, operation = "GET /customers"): Callers[] => [{ operation, callers }];
/** Answers per second over the run: all of them, or those with `status`. */
const perSecond = (run: RunResult, status?: number) =>
  (run.answers.filter((a) => status === undefined || a.status === status).length * 1000) / run.durationMs;

describe("a token bucket: at least 0.9 of its rate", () => {
  const cases = [5, 20, 100, 300, 1000].flatMap((rate) =>
    [true, false].flatMap((burst) => (["seconds", "ms"] as const).map((hint) => ({ rate, burst, hint }))),
  );
  const name = (c: (typeof cases)[number]) => `bucket ${c.rate}/s${c.burst ? " burst" : ""}, hint ${c.hint}`;
  const known = cases.filter((c) => !SHORT.has(name(c)));
  const short = cases.filter((c) => SHORT.has(name(c)));
  const check = async ({ rate, burst, hint }: (typeof cases)[number]) => {
    const durationMs = rate >= 300 ? 30_000 : 60_000;
    const run = await simulate(tokenBucket(rate, burst ? rate : 1, hint), many(), durationMs, seeded(rate));
    const reached = perSecond(run, 200);
    report(
      `${name({ rate, burst, hint })}${SHORT.has(name({ rate, burst, hint })) ? " (short)" : ""}`,
      reached,
      rate,
    );
    expect(reached).toBeGreaterThanOrEqual(0.9 * rate);
  };
  it.each(known)("$rate/s, burst $burst, Retry-After in $hint", check);
  if (short.length > 0) it.fails.each(short)("not yet: $rate/s, burst $burst, Retry-After in $hint", check);
});

describe("the field figure: 200 calls at a 20/s limit", () => {
  it.fails.each([true, false])(
    "not yet: burst %s: at most 1.3x the time the limit needs, at most 3 429s after discovery",
    async (burst) => {
      const run = await simulate(
        tokenBucket(20, burst ? 20 : 1, "seconds"),
        [{ operation: "POST /customers", callers: 40, calls: 5 }],
        60_000,
        seeded(7),
      );
      const needs = ((200 - (burst ? 20 : 1)) / 20) * 1000;
      const first = run.answers.find((a) => a.status === 429);
      const after = run.answers.filter((a) => a.status === 429 && first && a.sentAt > first.at + 1000).length;
      report(
        `field: 200 calls at 20/s${burst ? " burst" : ""}, time (short; 429s after discovery: ${after})`,
        run.durationMs / 1000,
        needs / 1000,
        " s",
      );
      expect(run.calls.every((c) => c.result === "ok")).toBe(true);
      expect(run.durationMs).toBeLessThanOrEqual(1.3 * needs);
      expect(after).toBeLessThanOrEqual(3);
    },
  );
});

// The field bench's limiter, as the sandbox's `rate=...,whole-seconds=1` is: a bucket holding
// max(1, rate / 10) (packages/sandbox/src/sandbox.ts), 40 ms latency, many callers creating. They
// came near the field figures (bench/field.mjs, quiet machine) before the span fit: 300/s 0.66 of
// the rate here, 0.71 there; 20/s 1.73x here, 1.93x there.
describe("the field's limiter: the sandbox's bucket (burst rate / 10), Retry-After in whole seconds", () => {
  const check = async ({ rate, callers, calls }: { rate: number; callers: number; calls: number }) => {
    const burst = Math.max(1, rate / 10);
    const run = await simulate(
      tokenBucket(rate, burst, "seconds", constant(40)),
      [{ operation: "POST /customers", callers, calls }],
      120_000,
      seeded(rate),
    );
    const created = run.calls.length;
    const needs = ((created - burst) / rate) * 1000;
    const first = run.answers.find((a) => a.status === 429);
    const after = run.answers.filter((a) => a.status === 429 && first && a.sentAt > first.at + 1000).length;
    report(
      `field fit: ${created} creates at ${rate}/s, burst ${burst}, time (${rate >= 300 ? "short; " : ""}429s after discovery: ${after})`,
      run.durationMs / 1000,
      needs / 1000,
      " s",
    );
    expect(run.calls.every((c) => c.result === "ok")).toBe(true);
    // The field targets: 0.9 of the limit at 300/s; 1.3x the time and 3 429s at 20/s.
    if (rate >= 300) expect(needs / run.durationMs).toBeGreaterThanOrEqual(0.9);
    else {
      expect(run.durationMs).toBeLessThanOrEqual(1.3 * needs);
      expect(after).toBeLessThanOrEqual(3);
    }
  };
  it("40 x 5 creates at 20/s: at most 1.3x the time the limit needs, at most 3 429s after discovery", () =>
    check({ rate: 20, callers: 40, calls: 5 }));
  // 0.9 of 300/s over 20 s cannot be had with whole-second holds: see the README ("Traffic policy").
  it.fails("not yet: 60 x 100 creates at 300/s: 0.9 of the limit", () =>
    check({ rate: 300, callers: 60, calls: 100 }));
});

// Where 429s hold the client, what it reaches depends on where the 429s fall: the mean of 12 server
// seeds over 60 s (min–max in the row). Without a hold, one seed over 30 s.
const RANDOM_SEEDS = [11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12];
describe("random 429s, whatever the rate", () => {
  const latencyMs = 50;
  const cases = [0.01, 0.1].flatMap((p) => [0, 1, 30, 3600].map((seconds) => ({ p, seconds })));
  const name = (c: (typeof cases)[number]) => `random 429 p=${c.p}, Retry-After ${c.seconds} s`;
  const check = async ({ p, seconds }: (typeof cases)[number]) => {
    const seeds = seconds === 0 ? [11] : RANDOM_SEEDS;
    const runs: RunResult[] = [];
    for (const seed of seeds)
      runs.push(
        await simulate(
          random429(p, seconds * 1000, seeded(seed), constant(latencyMs)),
          many(),
          seconds === 0 ? 30_000 : 60_000,
          seeded(3),
        ),
      );
    const hold = Math.min(seconds * 1000, DEFAULTS.maxDelayMs) / 1000;
    const windowAllows = (DEFAULT_MAX_CONCURRENCY * 1000) / latencyMs;
    const target = hold === 0 ? windowAllows : Math.min(1 / (p * hold), windowAllows);
    const each = runs.map((run) => perSecond(run));
    const reached = each.reduce((a, b) => a + b, 0) / each.length;
    const spread =
      seeds.length > 1
        ? `, ${seeds.length} seeds: ${Math.min(...each).toFixed(1)}–${Math.max(...each).toFixed(1)}`
        : "";
    report(
      `${name({ p, seconds })}${SHORT.has(name({ p, seconds })) ? " (short)" : ""}${spread}`,
      reached,
      target,
    );
    expect(reached).toBeGreaterThanOrEqual(0.8 * target);
    if (seconds === 0) expect(runs[0]?.policy.learned).toBeUndefined();
  };
  it.each(cases.filter((c) => !SHORT.has(name(c))))("p $p, Retry-After $seconds s", check);
  it.fails.each(cases.filter((c) => SHORT.has(name(c))))("not yet: p $p, Retry-After $seconds s", check);
});

// As a migration starts: 32 writers joining one every 25 ms, 40 ms latency, 62 creates each. The
// first 429 comes while the client is still speeding up, so the first rate is taken from a pace
// far below what the server allows.
describe("random 429s while the client speeds up", () => {
  it("p 0.01, Retry-After 1 s, 32 writers joining: at least 0.8 of what the holds allow", async () => {
    const each: number[] = [];
    for (const seed of RANDOM_SEEDS) {
      const work = Array.from({ length: 32 }, (_, i) => ({
        operation: "POST /customers",
        callers: 1,
        calls: 62,
        startMs: i * 25,
      }));
      const run = await simulate(random429(0.01, 1000, seeded(seed), constant(40)), work, 600_000, seeded(3));
      each.push((run.calls.length * 1000) / run.durationMs);
    }
    const reached = each.reduce((a, b) => a + b, 0) / each.length;
    const target = Math.min(1 / 0.01, (32 * 1000) / 40);
    report(
      `random 429 p=0.01, Retry-After 1 s, 32 writers joining, 12 seeds: ${Math.min(...each).toFixed(1)}–${Math.max(...each).toFixed(1)}`,
      reached,
      target,
    );
    expect(reached).toBeGreaterThanOrEqual(0.8 * target);
  });
});

describe("a hold past a call's time", () => {
  it("fails those calls at once with a RateLimitError; the others proceed after the hold", async () => {
    // The first request gets a 429 asking for an hour: the client holds for maxDelayMs (10 s).
    let first = true;
    const server: Server = {
      arrive: () => {
        if (!first) return { status: 200, latencyMs: 50 };
        first = false;
        return { status: 429, retryAfterMs: 3_600_000, latencyMs: 50 };
      },
      leave: () => {},
    };
    const run = await simulate(
      server,
      [
        { operation: "GET /first", callers: 1, calls: 1 },
        { operation: "GET /short", callers: 5, calls: 1, timeoutMs: 1500, startMs: 100 },
        { operation: "GET /budget", callers: 5, calls: 1, budgetMs: 5000, startMs: 100 },
        { operation: "GET /patient", callers: 5, calls: 1, startMs: 100 },
      ],
      60_000,
      seeded(5),
    );
    const of = (operation: string) => run.calls.filter((c) => c.operation === operation);
    expect(of("GET /first").map((c) => c.result)).toEqual(["429"]); // past maxDelayMs: its answer back
    for (const c of [...of("GET /short"), ...of("GET /budget")]) {
      expect(c.result).toBe("rate-limited");
      expect(c.end - c.start).toBe(0);
    }
    for (const c of of("GET /patient")) {
      expect(c.result).toBe("ok");
      expect(c.end).toBeGreaterThanOrEqual(DEFAULTS.maxDelayMs + 50);
    }
    rows.push("hold 10 s: calls with 1.5 s timeout or 5 s budget | RateLimitError after 0 ms | at once");
  });
});

describe("latency is a property of the operation", () => {
  it("a 5 ms list is not slowed by six 1.5 s calls in flight", async () => {
    const latency = (operation: string) => (operation === "POST /slow" ? 1500 : 5);
    const run = await simulate(
      open(latency),
      [
        { operation: "POST /slow", callers: 6, calls: 2 },
        { operation: "GET /lists", callers: 1, calls: 10, startMs: 1600 },
      ],
      60_000,
      seeded(9),
    );
    const lists = run.calls.filter((c) => c.operation === "GET /lists");
    const mean = lists.reduce((sum, c) => sum + c.end - c.start, 0) / lists.length;
    report("6 × 1.5 s in flight, 10 sequential 5 ms lists (mean ms a list)", mean, 5, " ms");
    expect(lists).toHaveLength(10);
    for (const c of lists) expect(c.end - c.start).toBeLessThanOrEqual(10);
  });

  it("latency that grows with load: at least 0.8 of what the window allows", async () => {
    const latency = loaded(50, 5, 8);
    const run = await simulate(open(latency), many(), 30_000, seeded(13));
    const best = Math.max(...Array.from({ length: 64 }, (_, i) => ((i + 1) * 1000) / latency("", i + 1)));
    const reached = perSecond(run);
    report("latency 50 ms + 5 ms per request in flight above 8", reached, best);
    expect(reached).toBeGreaterThanOrEqual(0.8 * best);
  });
});

describe("a limit on requests in flight", () => {
  const check = async (status: 429 | 503) => {
    const run = await simulate(inFlightLimit(10, status), many(), 30_000, seeded(17));
    const settled = run.windows.slice(run.windows.length / 2);
    const mean = settled.reduce((a, b) => a + b, 0) / settled.length;
    report(`in flight ≤ 10, ${status} above, mean window`, mean, 10, "");
    expect(mean).toBeGreaterThanOrEqual(5);
    expect(mean).toBeLessThanOrEqual(20);
  };
  it("answered 503 above 10 in flight: the window settles near 10", () => check(503));
  it("answered 429 above 10 in flight: the window settles near 10", () => check(429));
});
