// The rate learner's rules on exact spans: what a token bucket, and 429s that follow no rate, teach it.
import { describe, expect, it } from "vitest";
import { RateLearner } from "../src/rate-learner.js";

/** `accepted` answers evenly over `ms` of active time from `from`, then a 429 holding `holdMs`. */
function span(learner: RateLearner, from: number, accepted: number, ms: number, holdMs = 1000) {
  for (let i = 1; i <= accepted; i++) learner.answered(from + (ms * i) / accepted, true);
  return learner.refused(from + ms, holdMs);
}

/** A bucket of `rate` holding `burst`, full at the start of a span: how long a pace of `pace` lasts. */
const lasts = (rate: number, burst: number, pace: number) => (burst * 1000) / (pace - rate);

describe("the rate learner", () => {
  it("finds a token bucket's rate after whole-second holds: in two spans when a span accepts tens of answers", () => {
    // A first 429 after a ramp: its pace overstates the rate by the burst, here 1.6 to 2.3 times.
    for (const [rate, burst, first] of [
      [300, 30, 54],
      [20, 2, 4],
      [100, 100, 21],
      [1000, 1, 160],
    ] as const) {
      const learner = new RateLearner();
      expect(span(learner, 0, first, 100)).toBe("cut"); // 95% of that pace
      let at = 100;
      // Spans at the rates the learner sets: each accepts the burst and the rate over its length.
      // Two tell the rate, to an answer, when they accept enough answers to differ; a long one (a
      // fit a little high) brings it below. With a few answers a span, backoffs of 15% get there.
      let spans = 0;
      for (; spans < 8 && (learner.rate as number) > rate; spans++) {
        const ms = lasts(rate, burst, learner.rate as number);
        expect(span(learner, at, Math.floor(burst + (rate * ms) / 1000), ms)).toBe("cut");
        at += ms;
      }
      expect(learner.rate).toBeLessThanOrEqual(rate);
      expect(learner.rate).toBeGreaterThan(0.85 * rate);
      expect(spans).toBeLessThanOrEqual(burst >= 30 ? 2 : 8);
    }
  });

  it("undoes a backoff when the slower pace ended sooner: those 429s follow no rate", () => {
    const learner = new RateLearner();
    span(learner, 0, 100, 100); // 950/s
    span(learner, 100, 100, 105); // paced: a backoff to 85%
    const backedOff = learner.rate as number;
    expect(backedOff).toBeLessThan(900);
    expect(span(learner, 205, 60, 80)).toBe("noise"); // slower, and fewer accepted
    expect(learner.rate).toBeGreaterThan(backedOff);
  });

  it("fits nothing after holds too short to refill a bucket (a Retry-After in milliseconds)", () => {
    const learner = new RateLearner();
    span(learner, 0, 50, 100, 3); // 475/s
    span(learner, 100, 40, 100, 3);
    const before = learner.rate as number;
    // Spans of 20 and 60 answers would fit a rate of 200/s after full buckets; after short holds
    // the rate is only cut: 95% of the lower of the rate and the pace of the last half second.
    span(learner, 200, 60, 200, 3);
    expect(learner.rate).toBeLessThanOrEqual(0.95 * before + 1e-9);
    expect(learner.rate).toBeGreaterThan(250);
  });

  it("goes back to the rate before its backoffs when a fitted rate meets a 429 soon after", () => {
    const learner = new RateLearner();
    span(learner, 0, 100, 100);
    const first = learner.rate as number;
    span(learner, 100, 40, 50);
    span(learner, 150, 60, 120); // a fit of these two spans
    expect(learner.rate).toBeLessThan(first);
    expect(span(learner, 270, 3, 10)).toBe("noise");
    expect(learner.rate).toBeCloseTo(first, 0);
  });
});
