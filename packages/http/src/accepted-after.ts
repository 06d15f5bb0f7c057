/** Accepted requests remembered: those sent after a refused one can be answered before its 429. */
const REMEMBERED = 128;
/** Added to each interval (ms): the clock counts whole milliseconds. */
const CLOCK_SLACK_MS = 2;
/** A bound from fewer accepted requests than this says too little. */
const SURE = 3;

/** One request: when it was sent, how long its answer took, its operation. */
export interface Sent {
  sentAt: number;
  latencyMs: number;
  operation: string;
}

interface Refusal extends Sent {
  /** When its 429 came: a request sent later may find a bucket refilled by the hold. */
  until: number;
  /** The fastest latency of its operation: what a request's latency has above it may be delay on the way. */
  fastestMs: number;
  /** The accepted requests sent after it. */
  accepted: Sent[];
}

/**
 * What a server accepted right after refusing a request: a floor under the rate that refusal may
 * teach. A bucket of R requests a second that refused a request held less than one token when it
 * came, so over the next d ms it accepts fewer than R x d / 1000 + 1. When k requests of the same
 * operation, sent after the refused one and before its 429 came back, arrived within d of it and
 * were accepted, R > (k - 1) x 1000 / d. A request's latency above the operation's fastest bounds
 * how late it arrived: one sent later than the refused one by more than the refused one's excess
 * arrived after it, and within its send gap plus its own excess (and a clock's slack).
 */
export class AcceptedAfter {
  private readonly recent: Sent[] = [];
  private refusal: Refusal | undefined;

  /** A request was accepted: the floor it proves with the others, if any. */
  accept(request: Sent): number | undefined {
    if (this.recent.length >= REMEMBERED) this.recent.shift();
    this.recent.push(request);
    return this.count(request);
  }

  /** `refused` taught a cut, its 429 came at `at`: the floor the requests already accepted prove, if any. */
  refused(refused: Sent, at: number, fastestMs: number): number | undefined {
    this.refusal = { ...refused, until: at, fastestMs, accepted: [] };
    let floor: number | undefined;
    for (const request of this.recent) floor = this.count(request) ?? floor;
    return floor;
  }

  private count(request: Sent): number | undefined {
    const refusal = this.refusal;
    if (!refusal || request.operation !== refusal.operation || request.sentAt > refusal.until)
      return undefined;
    // Sent too soon after the refused one, it may have arrived before it. Past REMEMBERED, the
    // floor is proved already (and a slow 429 does not make each answer sort thousands).
    if (
      request.sentAt - refusal.sentAt <= refusal.latencyMs - refusal.fastestMs ||
      refusal.accepted.length >= REMEMBERED
    )
      return undefined;
    refusal.accepted.push(request);
    const intervals = refusal.accepted
      .map((r) => r.sentAt - refusal.sentAt + Math.max(0, r.latencyMs - refusal.fastestMs) + CLOCK_SLACK_MS)
      .sort((a, b) => a - b);
    // Within the i-th shortest interval, i + 1 were accepted: R > i / interval.
    let floor = 0;
    for (let i = SURE - 1; i < intervals.length; i++)
      floor = Math.max(floor, (i * 1000) / (intervals[i] as number));
    return floor > 0 ? floor : undefined;
  }
}
