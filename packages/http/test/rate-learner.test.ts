// The rate learner's rules on exact spans: what a token bucket, and 429s that follow no rate, teach it.
import { describe, expect, it } from "vitest";
import { BurstSeen } from "../src/burst-seen.js";
import { RateLearner, type Seen } from "../src/rate-learner.js";

/** `accepted` answers evenly over `ms` of active time from `from`, then a 429 holding `holdMs`. */
function span(learner: RateLearner, from: number, accepted: number, ms: number, holdMs = 1000, seen?: Seen) {
  for (let i = 1; i <= accepted; i++) learner.answered(from + (ms * i) / accepted, true);
  return learner.refused(from + ms, holdMs, seen);
}

/** A first 429 at 950/s, a backoff, and a span that fits a bucket with the one before it (all by 270 ms): the first rate. */
function fitted(learner: RateLearner): number {
  span(learner, 0, 100, 100);
  const first = learner.rate as number;
  span(learner, 100, 40, 50);
  span(learner, 150, 60, 120);
  return first;
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
    // What was put back probes upward (a first rate may have come from a client still speeding
    // up): doubled after 0.3 s of answers.
    const putBack = learner.rate as number;
    for (let t = 295; t <= 595; t += 10) learner.answered(t, true);
    expect((learner.rate as number) / putBack).toBeCloseTo(2, 1);
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
    const first = fitted(learner);
    expect(learner.rate).toBeLessThan(first);
    expect(span(learner, 270, 3, 10)).toBe("noise");
    expect(learner.rate).toBeCloseTo(first, 0);
  });

  it("after undoing one series of backoffs, undoes the next to where that series began, not the first", () => {
    const learner = new RateLearner();
    const first = fitted(learner);
    expect(span(learner, 270, 3, 10)).toBe("noise");
    // Probing from there; its 429 cuts, and a new series of backoffs begins at the rate it refused.
    for (let i = 1; i <= 30; i++) learner.answered(280 + (100 * i) / 30, true);
    const refused = learner.rate as number;
    expect(refused).toBeGreaterThan(first);
    expect(learner.refused(380, 1000)).toBe("cut");
    span(learner, 380, 40, 60);
    span(learner, 440, 60, 140); // a fit
    expect(span(learner, 580, 3, 10)).toBe("noise");
    expect(learner.rate).toBeCloseTo(refused, 0);
  });

  it("probes again, once, when a probe is refused after fewer than 5 answers", () => {
    const learner = new RateLearner();
    // A first 429 after one answer: 95% of 10/s, probing upward.
    span(learner, 0, 1, 100);
    const start = learner.rate as number;
    // Refused again after two answers: too few to end the probe; it starts again from where it began.
    expect(span(learner, 100, 2, 200)).toBe("noise");
    expect(learner.rate).toBeCloseTo(start);
    // The next refusal ends it: 95% of the rate it had reached.
    for (let i = 1; i <= 2; i++) learner.answered(300 + 100 * i, true);
    const reached = learner.rate as number;
    expect(reached).toBeGreaterThan(start);
    expect(learner.refused(500, 1000)).toBe("cut");
    expect(learner.rate).toBeCloseTo(0.95 * reached);
  });

  it("after a fit, undoes it when a 429 ends a span sooner than the last one (a bucket drains slower after each cut)", () => {
    const learner = new RateLearner();
    const first = fitted(learner);
    // Random 429s: each 98% of the span's pace would ratchet the rate down without end.
    expect(span(learner, 270, 200, 500)).toBe("cut");
    const cut = learner.rate as number;
    expect(cut).toBeLessThan(first);
    expect(span(learner, 770, 150, 400)).toBe("noise");
    expect(learner.rate).toBeCloseTo(first, 0);
  });

  it("after a fit, keeps cutting while each 429 ends a longer span, as a bucket a little below the fit does", () => {
    const learner = new RateLearner();
    fitted(learner);
    let at = 270;
    for (const [accepted, ms] of [
      [200, 500],
      [260, 700],
    ] as const) {
      const before = learner.rate as number;
      expect(span(learner, at, accepted, ms)).toBe("cut");
      expect(learner.rate).toBeLessThan(before);
      at += ms;
    }
  });

  it("fits no bucket to spans of fewer than 30 answers: random 429s end such pairs often", () => {
    // A field run with 1% random 429s: these two spans fitted a bucket of 27.7/s holding 12.6, and
    // the client then crept along at that rate for 8 s before a shorter span undid it.
    const learner = new RateLearner();
    span(learner, 0, 10, 123);
    span(learner, 123, 23, 339);
    span(learner, 462, 31, 664);
    expect(learner.burst).toBe(0);
    expect(learner.rate).toBeGreaterThan(30);
  });

  it("takes a fit for noise when its bucket would hold fewer than the server accepted sent together", () => {
    // Spans of 40 in 50 ms and 60 in 120 ms fit a bucket of 300/s holding 24.
    const fitWith = (burst: number) => {
      const learner = new RateLearner();
      span(learner, 0, 100, 100);
      span(learner, 100, 40, 50);
      const backedOff = learner.rate as number;
      return { result: span(learner, 150, 60, 120, 1000, { burst, latencyMs: 10 }), backedOff, learner };
    };
    const fits = fitWith(20);
    expect(fits.result).toBe("cut");
    expect(fits.learner.rate).toBeCloseTo(0.98 * 300, 0);
    // The server accepted 63 sent together: no bucket of 24 does that (even 8 off, a round trip's worth).
    const noise = fitWith(63);
    expect(noise.result).toBe("noise");
    expect(noise.learner.rate).toBeGreaterThan(noise.backedOff);
  });

  it("takes a fit for noise when its bucket could not refill in the hold before the span", () => {
    // 100 in 120 ms, then 101 in 420 ms: a bucket of 6.7/s holding 98, which takes 15 s to refill.
    const fitAfter = (holdMs: number) => {
      const learner = new RateLearner();
      span(learner, 0, 100, 100);
      span(learner, 100, 100, 120, holdMs);
      return span(learner, 220, 101, 420);
    };
    expect(fitAfter(1000)).toBe("noise");
    expect(fitAfter(20_000)).toBe("cut");
  });

  it("bounds a backoff by what the span allows: the burst seen, and R x the time until the refused request went out", () => {
    // The field's 20/s limiter: a first pace of 3 answers in 0.1 s says 30/s; the span after the
    // hold, at 28.5/s, accepted the bucket's 2 and 20/s x 145 ms (the 429 came 43 ms after it was sent).
    const learner = new RateLearner();
    span(learner, 0, 3, 100);
    expect(learner.rate).toBeCloseTo(28.5, 1);
    span(learner, 100, 4, 188, 1000, { burst: 2, latencyMs: 43 });
    // At most (4 + 1 - 2) / 0.145 s = 20.7/s, used at 95%; without the burst seen, 85% of 28.5/s.
    expect(learner.rate).toBeCloseTo((0.95 * 3 * 1000) / 145, 5);
    const blind = new RateLearner();
    span(blind, 0, 3, 100);
    span(blind, 100, 4, 188, 1000, { burst: 0, latencyMs: 0 });
    expect(blind.rate).toBeCloseTo(0.85 * 28.5, 1);
  });

  it("after a backoff bounded by the burst seen, comes back toward 95% of that bound, halfway in 1.4 s", () => {
    // The field's 300/s bucket holding 30: a first rate of 313.5/s, then a span of 1.8 s that
    // accepted the 30 and 300/s x the 1.76 s until the refused request went out.
    const backoff = (burst: number) => {
      const learner = new RateLearner();
      span(learner, 0, 33, 100);
      span(learner, 100, 558, 1800, 1000, { burst, latencyMs: 40 });
      return learner;
    };
    const learner = backoff(30);
    // 89% of the span's pace (310/s); the bound, (558 + 1 - 30) / 1.76 s = 300.6/s, is higher.
    const cut = learner.rate as number;
    expect(cut).toBeCloseTo((1 - 200 / 1800) * 310, 0);
    const toward = (0.95 * 529 * 1000) / 1760;
    let t = 1910;
    const rateAt = (until: number) => {
      for (; t <= until; t += 10) learner.answered(t, true);
      return learner.rate as number;
    };
    expect(rateAt(3300)).toBeCloseTo(cut + (toward - cut) * (1 - Math.exp(-0.7)), 0);
    expect(rateAt(8000)).toBeGreaterThan(0.995 * toward);
    // It stays below: the bound is the most the rate can be, and a probe above it costs a hold.
    expect(rateAt(60_000)).toBeLessThan(toward);
    // No burst seen: the backoff's caution stands, and the rate grows 0.2% a second.
    const blind = backoff(0);
    const blindCut = blind.rate as number;
    for (let t = 1910; t <= 3300; t += 10) blind.answered(t, true);
    expect((blind.rate as number) / blindCut).toBeCloseTo(1.002 ** 1.4, 3);
  });

  it("does not bound a backoff by a burst that a bucket that slow could not have refilled in the hold", () => {
    // 55 accepted in 200 ms after 50 were accepted sent together: at most (55 + 1 - 50) / 0.157 s =
    // 38/s, a bucket that takes 1.3 s to refill 50. After a hold of 1 s it did not start full.
    const backoff = (holdMs: number) => {
      const learner = new RateLearner();
      span(learner, 0, 100, 100, holdMs); // 950/s
      span(learner, 100, 55, 200, 1000, { burst: 50, latencyMs: 43 });
      return learner.rate as number;
    };
    expect(backoff(1000)).toBeCloseTo(0.85 * 275, 5); // 85% of the span's pace
    expect(backoff(2000)).toBeCloseTo((0.95 * 6 * 1000) / 157, 5);
  });

  it("backs off less after a longer span (1 - 0.2 s / its length, 85% to 98%), and grows half as fast after 5 s", () => {
    for (const [seconds, share] of [
      [0.5, 0.85],
      [2, 0.9],
      [4, 0.95],
      [20, 0.98],
    ] as const) {
      const learner = new RateLearner();
      span(learner, 0, 30, 100); // 285/s
      const first = learner.rate as number;
      span(learner, 100, Math.round(first * seconds), seconds * 1000);
      expect(learner.rate).toBeCloseTo(share * first, 0);
    }
    const learner = new RateLearner();
    span(learner, 0, 30, 100);
    span(learner, 100, Math.round(285 * 6), 6000);
    const after = learner.rate as number;
    // 10 s of answers: 0.1% a second now, not 0.2%.
    for (let t = 6100; t <= 16_100; t += 10) learner.answered(t, true);
    expect((learner.rate as number) / after).toBeCloseTo(1.001 ** 10, 2);
  });
});

describe("the burst seen", () => {
  it("is the most accepted requests sent within 2 ms of each other, whatever order their answers come in", () => {
    const seen = new BurstSeen();
    for (const at of [0, 5, 10, 15]) seen.accept(at);
    expect(seen.most).toBe(1);
    for (const at of [102, 100, 101, 101, 110]) seen.accept(at);
    expect(seen.most).toBe(4);
  });
});
