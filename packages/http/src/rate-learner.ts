/** The first 429 sets the rate to this share of the pace accepted in the half second before it. */
const MARGIN = 0.95;
/** A first pace from fewer accepted answers than this says little: the rate probes upward. */
const SURE = 2;
/** The shortest time a first pace is measured over. */
const MIN_SPAN_MS = 100;
/** While probing, the rate doubles in this much active time. */
const DOUBLING_MS = 300;
/** A 429 without a fit: the rate goes to this share of the rate refused (at least)... */
const BACKOFF = 0.85;
/** ...or, when it ends a probe (which had just passed the limit), to this share. */
const PROBE_BACKOFF = 0.95;
/** A span's bound on the rate is trusted from this many answers above the burst seen. */
const SURE_BOUND = 3;
/**
 * Two spans are fitted when each accepted this many answers: shorter ones last a few round trips,
 * and random 429s end such pairs often (at p = 1%, one span in four is shorter than 30).
 */
const SURE_FIT = 30;
/** A span's own pace is trusted from this many accepted answers. */
const SURE_PACE = 5;
/** Without a span to trust, the pace is the accepted answers of this much active time. */
const PACE_SPAN_MS = 500;
/** After a cut that followed a short hold, the rate comes back to this share of the rate refused, halfway in 1.4 s. */
const APPROACH = 0.97;
const APPROACH_MS = 2000;
/** A fitted rate is used at this share. */
const FIT_MARGIN = 0.98;
/** A span's pace is taken to overstate the rate by at most a burst of this much of it (ms). */
const BURST_MS = 200;
/** A hold this long refills a bucket whose burst is up to this much of its rate. */
const REFILL_MS = 500;
/** Once set, the rate grows this share a second of active time, to find a limit that rose... */
const PROBE = 0.002;
/** ...halved by each 429 that ends a span this long (active ms), down to a sixteenth. */
const LONG_SPAN_MS = 5000;
const MIN_PROBE = PROBE / 16;

/** What the policy saw: the most requests the server accepted at once, and the 429's latency. */
export interface Seen {
  burst: number;
  latencyMs: number;
}

/** A fitted burst is taken to be off by up to this many requests, and a round trip's worth more. */
const COUNT_SLACK = 4;

/**
 * A fit in use: the burst it found, the rate before the backoffs that led to it, and the answers
 * accepted in the last span after it.
 */
interface Fit {
  burst: number;
  anchor: number | undefined;
  accepted?: number;
}

/** The time from one 429 to the next (active ms, holds left out), and the answers accepted in it. */
interface Span {
  accepted: number;
  ms: number;
}

/**
 * The rate a server sustains, learned from its 429s (those that ask for a wait), on a clock of
 * active time (holds left out). A token bucket of rate R holding B, full when a span starts (a hold
 * of 0.5 s or more refilled it) and empty when it ends (a 429), accepted B + R x the span's length:
 * two such spans at two rates tell R, whatever B.
 *
 * - **First 429.** The rate becomes 95% of the pace accepted in the half second before it (a client
 *   busy only lately is not judged by its idle start); from fewer than 2 accepted
 *   answers that pace says little, and the rate doubles every 0.3 s until the next 429 (probing).
 * - **Backoff.** A later 429: to a share of the rate refused (or of the span's pace, from 5
 *   answers) that grows with the span, as its pace overstates R by a burst spread over it: taking
 *   a burst of up to 0.2 s of the rate, 1 - 0.2 s / the span, from 85% to 98% (a span of 2 s: 90%);
 *   95% when it ends a probe. Below 95%, never above 95% of what the span allows: the bucket held
 *   at least the most requests it accepted sent together, so R is at most (accepted + 1 - that)
 *   over the time until the refused request was sent (unless a bucket that slow could not have
 *   refilled that burst in the hold before the span: then it did not start full). With a burst
 *   seen, the rate then comes back toward 95% of that bound (or 97% of the rate refused, if lower),
 *   halfway in 1.4 s, and stays below it (the bound is the most R can be; each probe above it
 *   would cost a hold): the share below 95% was for a burst bigger than the one seen, and a bucket
 *   that has one refuses again, and is fitted.
 * - **Fit.** The span after a backoff and the span before it give R, when each accepted 30 answers
 *   or more: the rate becomes 98% of it.
 * - **Noise.** After a backoff, a span that accepted fewer answers than the one before (a slower
 *   pace, and the bucket gave out sooner) does not follow a rate: the backoff is undone; so is it
 *   when the fit's bucket would hold fewer than the burst seen (give or take a round trip's worth
 *   and 4 answers), or more than the hold before the span refills. After a fit, a 429 within twice
 *   the fitted burst undoes the backoffs that led to it (random 429s fit by chance), as does one
 *   ending a span that accepted fewer answers than the last span after the fit (a bucket a
 *   little below the fit drains slower after each cut, so its spans grow); any other says the
 *   fit was a little high: 98% of that span's pace. Whatever is undone, after a hold of
 *   0.5 s or more the rate put back probes upward until the next 429. Each series of backoffs
 *   has its own anchor. A probe refused after fewer than 5 answers starts again, once.
 * - **Growth.** Otherwise the rate grows 0.2% a second, half as fast after each 429 that ends a
 *   span of 5 s or more (down to 1/16).
 */
export class RateLearner {
  rate: number | undefined;
  private probing = false;
  /** The rate the probe going on started from, and whether it has started again already. */
  private probeFrom: number | undefined;
  private reprobed = false;
  private spanStart: number | undefined;
  private accepted = 0;
  private grownAt = 0;
  /** When recent accepted answers came (active ms, oldest first). */
  private answers: number[] = [];
  /** The rate to come back toward: 97% of the rate refused after a short hold; 95% of a backoff's bound. */
  private toward: number | undefined;
  /** The hold before the span going on (ms): one of 0.5 s or more refilled a bucket, so the span started full. */
  private lastHoldMs = Number.POSITIVE_INFINITY;
  /** The last backoff: the rate it replaced, and its span when that span can be fitted. */
  private backoff: { before: number; span: Span | undefined } | undefined;
  /** The rate before the backoffs going on began. */
  private anchor: number | undefined;
  /** The growth in use (a share a second). */
  private probe = PROBE;
  private fitted: Fit | undefined;

  /** The burst the fit in use found (requests); 0 without a fit. */
  get burst(): number {
    return this.fitted?.burst ?? 0;
  }

  /** An answer at `at` (active ms): `ok`, or refused with a 429; `held`: it came during a hold. */
  answered(at: number, ok: boolean, held = false): void {
    // An answer that comes during a hold was sent before it: it belongs to no span.
    if (ok && !held) {
      this.spanStart ??= at;
      this.accepted++;
      this.answers.push(at);
      if (this.answers.length > 4096) this.answers = this.answers.filter((t) => t > at - PACE_SPAN_MS);
      if (this.rate !== undefined) this.rate = this.grown(this.rate, Math.max(0, at - this.grownAt));
    }
    this.grownAt = at;
  }

  /** The server is known to allow at least `rate` now (see AcceptedAfter): a cut goes no lower. */
  atLeast(rate: number): void {
    if (this.rate !== undefined && rate > this.rate) this.rate = rate;
  }

  private grown(rate: number, dt: number): number {
    if (this.probing) return rate * 2 ** (dt / DOUBLING_MS);
    const target = this.toward ?? 0;
    if (rate < target) return rate + (target - rate) * (1 - Math.exp(-dt / APPROACH_MS));
    return rate * (1 + (this.probe * dt) / 1000);
  }

  /** A 429 at `at` (active ms) that holds the client `holdMs`: cuts the rate, or undoes a cut. */
  refused(at: number, holdMs = REFILL_MS, seen: Seen = { burst: 0, latencyMs: 0 }): "cut" | "noise" {
    const refillMs = this.lastHoldMs;
    this.lastHoldMs = holdMs;
    const ms = at - (this.spanStart ?? at);
    const first = this.rate === undefined;
    const span = { accepted: this.accepted, ms: first ? Math.max(MIN_SPAN_MS, ms) : Math.max(1, ms) };
    this.spanStart = at;
    this.accepted = 0;
    this.grownAt = at;
    // Nothing accepted since the last 429: nothing to learn from.
    if (span.accepted === 0) return "noise";
    if (span.ms >= LONG_SPAN_MS) this.probe = Math.max(MIN_PROBE, this.probe / 2);
    if (this.rate === undefined) return this.first(at);
    if (this.fitted) return this.afterFit(span, this.rate);
    this.toward = undefined;
    if (refillMs < REFILL_MS && !this.probing) return this.short(at, this.rate);
    return this.back(span, this.rate, !this.probing, seen, refillMs);
  }

  /**
   * A 429 after a short hold (a wait in milliseconds): no bucket was full again, so no span is
   * fitted. 95% of the rate refused or of the pace accepted over the last half second, whichever
   * is lower; then back toward 97% of the rate refused, halfway in 1.4 s.
   */
  private short(at: number, rate: number): "cut" {
    this.rate = Math.max(1, MARGIN * Math.min(rate, this.recent(at).pace));
    this.toward = APPROACH * rate;
    this.backoff = undefined;
    return "cut";
  }

  /** The pace of the accepted answers of the last half second of active time (at least 0.1 s), and their count. */
  private recent(at: number): { pace: number; count: number } {
    const recent = this.answers.filter((t) => t > at - PACE_SPAN_MS);
    const pace = (recent.length * 1000) / Math.max(MIN_SPAN_MS, at - (recent[0] ?? at));
    return { pace, count: recent.length };
  }

  /** The first 429: the pace of the last half second (a client idle before it paced itself). */
  private first(at: number): "cut" {
    const { pace, count } = this.recent(at);
    this.rate = Math.max(1, MARGIN * pace);
    this.probing = count < SURE;
    this.probeFrom = this.rate;
    this.backoff = undefined;
    this.anchor = undefined;
    return "cut";
  }

  private afterFit(span: Span, rate: number): "cut" | "noise" {
    const fitted = this.fitted as Fit;
    // The fit said no 429 below its rate, and one came soon after, or sooner than the last (a
    // bucket drained slower after a cut): these do not follow a rate.
    if (span.accepted <= 2 * Math.max(1, fitted.burst) || span.accepted < (fitted.accepted ?? 0))
      return this.noise(fitted.anchor);
    fitted.accepted = span.accepted;
    this.rate = Math.max(1, FIT_MARGIN * Math.min(rate, (span.accepted * 1000) / span.ms));
    return "cut";
  }

  /**
   * These 429s follow no rate: `rate` (the one before the cuts) is put back, and after a hold that
   * refilled a bucket, probes upward from there until the next 429, as a first rate taken while
   * the client was still speeding up may be far below what the server allows. (After short holds
   * the rate comes back toward the rate refused instead: see `short`.)
   */
  private noise(rate: number | undefined): "noise" {
    this.rate = rate;
    this.backoff = undefined;
    this.fitted = undefined;
    this.anchor = undefined;
    this.probing = this.lastHoldMs >= REFILL_MS;
    this.probeFrom = rate;
    return "noise";
  }

  private reprobe(): "noise" {
    this.reprobed = true;
    this.rate = this.probeFrom;
    this.probing = this.lastHoldMs >= REFILL_MS;
    return "noise";
  }

  /** A 429 with no fit in use: a backoff, a fit, or the undoing of the last backoff. */
  private back(span: Span, rate: number, steady: boolean, seen: Seen, refillMs: number): "cut" | "noise" {
    const last = steady ? this.backoff : undefined;
    // A probe refused after fewer than 5 answers says as little as a first pace from one: it starts
    // again from where it began, once.
    if (!steady && span.accepted < SURE_PACE && !this.reprobed) return this.reprobe();
    if (steady) this.reprobed = false;
    this.probing = false;
    // A slower pace, and the bucket gave out sooner: these 429s do not follow the rate.
    if (last?.span && span.accepted < last.span.accepted) return this.noise(last.before);
    const fitted = last?.span ? fit(last.span, span, rate) : undefined;
    const fittedBurst = fitted === undefined ? 0 : span.accepted - (fitted * span.ms) / 1000;
    // The fit's bucket holds fewer than the server accepted sent together (a span's edges are
    // known to a round trip, its counts to a few answers), or more than the hold before the span
    // could refill: these 429s do not follow a bucket.
    const slack = COUNT_SLACK + ((fitted ?? 0) * seen.latencyMs) / 1000;
    if (
      last &&
      fitted !== undefined &&
      (fittedBurst + slack < seen.burst || (fittedBurst * 1000) / fitted > refillMs)
    )
      return this.noise(last.before);
    if (fitted !== undefined) {
      this.fitted = { burst: fittedBurst, anchor: this.anchor };
      this.rate = Math.max(1, FIT_MARGIN * fitted);
      this.backoff = undefined;
      return "cut";
    }
    // As many accepted at a slower pace: the spans are too short to tell; slow down more.
    const deeper = last?.span !== undefined && span.accepted === last.span.accepted;
    const pace = (span.accepted * 1000) / span.ms;
    const refused = steady && span.accepted >= SURE_PACE ? Math.min(rate, pace) : rate;
    if (!last) this.anchor ??= rate;
    this.backoff = { before: deeper && last ? last.before : rate, span: steady ? span : undefined };
    // A span's pace overstates R by the burst spread over it: taking a burst of up to 0.2 s of the
    // rate, a span of 1 s backs off 15%, of 2 s 10%, of 10 s 2%.
    let share = Math.min(FIT_MARGIN, Math.max(BACKOFF, 1 - BURST_MS / span.ms));
    if (!steady) share = PROBE_BACKOFF;
    else if (deeper) share = BACKOFF ** 2;
    // Where the burst may weigh more than the margin, what the span allows bounds it too.
    const bound = steady && share < MARGIN ? most(span, seen, refillMs) : Number.POSITIVE_INFINITY;
    this.rate = Math.max(1, Math.min(share * refused, MARGIN * bound));
    // A share below 95% allows for a burst bigger than the one seen. With a burst seen, the rate comes
    // back toward 95% of what the span allows (the most this backoff itself would take): a bucket
    // whose burst is bigger refuses again, and the two spans fit it.
    if (!deeper && seen.burst > 0 && Number.isFinite(bound))
      this.toward = Math.min(APPROACH * refused, MARGIN * bound);
    return "cut";
  }
}

/**
 * The most a bucket's rate can be, from a span that began full: the bucket held at least the
 * burst seen, and accepted that and R x the time until the refused request was sent, less one
 * answer more. Infinite when the span says too little, or when a bucket that slow could not have
 * refilled that burst in the hold before the span (`refillMs`): then it did not begin full.
 */
function most(span: Span, seen: Seen, refillMs: number): number {
  const sentMs = span.ms - seen.latencyMs;
  const byRate = span.accepted + 1 - seen.burst;
  if (byRate < SURE_BOUND || sentMs <= 0) return Number.POSITIVE_INFINITY;
  const bound = (byRate * 1000) / sentMs;
  return (seen.burst * 1000) / bound > refillMs ? Number.POSITIVE_INFINITY : bound;
}

/** The rate R of a bucket that accepted B + R x length in both spans; undefined when they do not tell it. */
function fit(a: Span, b: Span, refused: number): number | undefined {
  if (a.ms === b.ms || Math.min(a.accepted, b.accepted) < SURE_FIT) return undefined;
  // One answer more: a count is exact to one answer, and a rate a little high comes back as a long span.
  const rate = ((b.accepted - a.accepted + 1) * 1000) / (b.ms - a.ms);
  // The bucket's rate is below the one it just refused.
  return rate > 0 && rate <= refused ? rate : undefined;
}
