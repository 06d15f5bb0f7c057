// The floor a refusal's aftermath proves, held against a token bucket: over generated buckets,
// send schedules and delays on the way, no floor reaches the bucket's rate.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AcceptedAfter, type Sent } from "../src/accepted-after.js";

const post = (sentAt: number, latencyMs = 40): Sent => ({ sentAt, latencyMs, operation: "POST /customers" });

describe("AcceptedAfter", () => {
  it("proves a floor from the requests accepted after the refused one", () => {
    const after = new AcceptedAfter();
    expect(after.refused(post(100), 140, 40)).toBeUndefined();
    // Sent every 5 ms after it: 3 accepted within 17 ms, then 4 within 22 ms, ...
    expect(after.accept(post(105))).toBeUndefined();
    expect(after.accept(post(110))).toBeUndefined();
    expect(after.accept(post(115))).toBeCloseTo((2 * 1000) / 17);
    expect(after.accept(post(120))).toBeCloseTo((3 * 1000) / 22);
  });

  it("counts the accepted answers that came before the 429", () => {
    const after = new AcceptedAfter();
    for (const sentAt of [90, 105, 110, 115]) after.accept(post(sentAt));
    expect(after.refused(post(100), 140, 40)).toBeCloseTo((2 * 1000) / 17);
  });

  it("leaves out other operations, requests sent after the 429 came, and those that may have arrived first", () => {
    const after = new AcceptedAfter();
    after.refused(post(100, 50), 150, 40);
    expect(after.accept({ sentAt: 101, latencyMs: 40, operation: "GET /customers" })).toBeUndefined();
    expect(after.accept(post(151))).toBeUndefined();
    // The refused one may have spent 10 ms more on the way: those sent within 10 ms of it do not count.
    for (const sentAt of [102, 104, 106, 108, 110]) expect(after.accept(post(sentAt))).toBeUndefined();
  });

  it("counts at most 128 requests after one refusal: a window of thousands costs no sort of thousands", () => {
    const after = new AcceptedAfter();
    after.refused(post(0), 40, 40);
    // 5,000 requests in flight (a user's maxConcurrency), sent within the 40 ms before the 429 came.
    const sent = Array.from({ length: 5000 }, (_, i) => 1 + (i % 40));
    const floors = sent.map((sentAt) => after.accept(post(sentAt)));
    expect(floors.slice(0, 128).every((floor) => floor === undefined || floor > 0)).toBe(true);
    expect(floors[127]).toBeGreaterThan(1000);
    expect(floors.slice(128).every((floor) => floor === undefined)).toBe(true);
  });

  it("widens an interval by a latency above the fastest", () => {
    const after = new AcceptedAfter();
    after.refused(post(100), 140, 40);
    after.accept(post(105, 60));
    after.accept(post(110));
    // Intervals 7 (110), 27 (105, 20 ms slower), 17 (115): the third shortest is 27.
    expect(after.accept(post(115))).toBeCloseTo((2 * 1000) / 27);
  });

  /** One world: a bucket, requests and their delays. Every floor it proves, with the bucket's rate. */
  const world = fc.record({
    rate: fc.integer({ min: 1, max: 2000 }),
    burst: fc.integer({ min: 1, max: 60 }),
    startTokens: fc.double({ min: 0, max: 1, noNaN: true }),
    baseUp: fc.integer({ min: 0, max: 40 }),
    baseDown: fc.integer({ min: 0, max: 40 }),
    requests: fc.array(
      fc.record({
        gap: fc.integer({ min: 0, max: 12 }),
        up: fc.integer({ min: 0, max: 30 }),
        down: fc.integer({ min: 0, max: 30 }),
        work: fc.integer({ min: 0, max: 20 }),
      }),
      { minLength: 10, maxLength: 300 },
    ),
  });

  it("never proves a floor at or above the bucket's rate", () => {
    fc.assert(
      fc.property(world, ({ rate, burst, startTokens, baseUp, baseDown, requests }) => {
        // The first request meets no delay and no extra work: the client has seen the path's fastest.
        let sentAt = 0;
        const sent = requests.map((r, i) => {
          sentAt += r.gap;
          const [up, down, work] = i === 0 ? [0, 0, 0] : [r.up, r.down, r.work];
          return { sentAt, arrival: sentAt + baseUp + up, latencyMs: baseUp + up + work + baseDown + down };
        });
        // The server: a bucket, in the order the requests arrive.
        let tokens = startTokens * burst;
        let at = 0;
        const ok = new Map<number, boolean>();
        const byArrival = sent
          .map((_, i) => i)
          .sort((a, b) => (sent[a]?.arrival ?? 0) - (sent[b]?.arrival ?? 0));
        for (const i of byArrival) {
          const s = sent[i] as (typeof sent)[number];
          tokens = Math.min(burst, tokens + ((s.arrival - at) * rate) / 1000);
          at = s.arrival;
          ok.set(i, tokens >= 1);
          if (tokens >= 1) tokens -= 1;
        }
        // The client: answers in the order they come; a refusal sent after the last cut cuts.
        const after = new AcceptedAfter();
        let fastest = Number.POSITIVE_INFINITY;
        let cutAt = Number.NEGATIVE_INFINITY;
        const floors: number[] = [];
        const byAnswer = sent
          .map((_, i) => i)
          .sort((a, b) => {
            const [x, y] = [sent[a], sent[b]] as [(typeof sent)[number], (typeof sent)[number]];
            return x.sentAt + x.latencyMs - (y.sentAt + y.latencyMs);
          });
        for (const i of byAnswer) {
          const s = sent[i] as (typeof sent)[number];
          const request = post(s.sentAt, s.latencyMs);
          const answeredAt = s.sentAt + s.latencyMs;
          fastest = Math.min(fastest, s.latencyMs);
          let floor: number | undefined;
          if (ok.get(i)) floor = after.accept(request);
          else if (s.sentAt > cutAt) {
            cutAt = answeredAt;
            floor = after.refused(request, answeredAt, fastest);
          }
          if (floor !== undefined) floors.push(floor);
        }
        for (const floor of floors) expect(floor).toBeLessThan(rate);
      }),
      { numRuns: 3000 },
    );
  });
});
