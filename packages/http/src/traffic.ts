/** How a client paces its calls. Both unset: the client adapts to what the server sustains. */
export interface TrafficOptions {
  /** Most requests in flight at once; the policy adapts below it. Default: adapts, up to 64. */
  maxConcurrency?: number | undefined;
  /** Most requests started in any one second (a whole number), never exceeded. Default: none; a 429 teaches one. */
  maxRequestsPerSecond?: number | undefined;
}

/** What the policy did, for a progress display or a log. */
export type TrafficEvent =
  | { type: "hold"; waitMs: number; concurrency: number; rate: number | undefined }
  | { type: "slowdown"; concurrency: number; rate: number | undefined }
  | { type: "recover"; concurrency: number };

/** What one attempt came to, as the policy sees it. */
export interface Outcome {
  /** The HTTP status, or undefined when no answer came (connection error, timeout, abort). */
  status: number | undefined;
  /** The server's wait on a 429, in milliseconds. */
  retryAfterMs?: number | undefined;
}

/** The ceiling of requests in flight when the user sets none. */
export const DEFAULT_MAX_CONCURRENCY = 64;
/** Requests in flight at the start: the window grows from here while answers come fast. */
export const INITIAL_CONCURRENCY = 8;
/** A 429 without a wait hint holds the client this long. */
const DEFAULT_HOLD_MS = 1000;
/** Latency above `LATENCY_FACTOR` × the fastest seen (and `LATENCY_SLACK_MS` more) counts as a queue building. */
const LATENCY_FACTOR = 2;
const LATENCY_SLACK_MS = 20;
/** The share of the rate a 429 showed that a learned rate keeps; each later 429 multiplies it again. */
const RATE_BACKOFF = 0.9;
/** Window over which accepted requests are counted when a 429 teaches a rate. */
const RATE_WINDOW_MS = 2000;
/** The shortest span a learned rate is measured over. */
const MIN_RATE_SPAN_MS = 100;
/** Each answer without a 429 raises a learned rate by this much (about 1% a second; faster below 10 a second). */
const RATE_GROWTH = 0.02;
/** The window of `maxRequestsPerSecond`. */
const USER_WINDOW_MS = 1000;

/** A caller waiting for room, in order of arrival. */
interface Waiter {
  admit: () => void;
  /** A retry after its own 429 has already waited the server's time. */
  waited: boolean;
}

/**
 * The traffic policy of one client object: every attempt of every call of that client asks it for
 * room before it is sent, and tells it how the attempt went.
 *
 * - **Hold.** A 429 holds every call of the client until the server's wait is over, not only the
 *   one that got it (as Octokit's throttling plugin does for a whole client).
 * - **Requests in flight (AIMD, like TCP).** The window starts at 8 and grows by one per answer
 *   that comes back without a 429 while at least half the window is in use (slow start), then by one per window
 *   once a 429 or a latency rise has been seen; a 429, or latency above twice the fastest seen,
 *   halves it (once per round trip: answers to requests sent before the cut do not cut again).
 *   `maxConcurrency` is its ceiling (default 64).
 * - **Rate.** `maxRequestsPerSecond` is never exceeded, even as the server counts: it is that many
 *   slots, and a slot a request used is free again one second after its answer came back, so no
 *   network delay can bunch more than that many into one second at the server. Without it, the first 429 sets a learned rate: 90% of the answers
 *   accepted over the last two seconds, or since the first of them (at least one a second; a 429 that asks for no wait teaches
 *   none), spread evenly (a token bucket with a small burst); every
 *   later 429 lowers it by 10%, and answers without a 429 raise it by about 1% a second, so the
 *   client settles under the server's limit instead of bouncing off it.
 */
export class TrafficPolicy {
  /** Requests in flight now. */
  inFlight = 0;
  private window: number;
  private slowStart = true;
  private readonly ceiling: number;
  private readonly userRate: number | undefined;
  /** With `maxRequestsPerSecond`: slots in use, and when recent ones were freed (oldest first). */
  private slotsInUse = 0;
  private readonly freedAt: number[] = [];
  private learnedRate: number | undefined;
  private tokens = 0;
  private refilledAt = 0;
  private holdUntil = 0;
  private cutAt = 0;
  private fastestMs = Number.POSITIVE_INFINITY;
  private readonly waiters: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = 0;
  /** Times of recent accepted answers, for the rate a 429 teaches (a ring, oldest first). */
  private accepted: number[] = [];
  private readonly listeners = new Set<(event: TrafficEvent) => void>();

  constructor(
    options: TrafficOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.ceiling = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    this.window = Math.min(this.ceiling, INITIAL_CONCURRENCY);
    this.userRate = options.maxRequestsPerSecond;
  }

  /** Requests the policy lets run at once now. */
  get concurrency(): number {
    return Math.max(1, Math.floor(this.window));
  }

  /** Requests per second the policy allows now: the user's, the learned one, or undefined (no cap). */
  get rate(): number | undefined {
    if (this.userRate === undefined) return this.learnedRate;
    return this.learnedRate === undefined ? this.userRate : Math.min(this.userRate, this.learnedRate);
  }

  /** The rate a 429 taught, when one did. */
  get learned(): number | undefined {
    return this.learnedRate;
  }

  /** Calls waiting for room now. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Milliseconds until a 429's wait is over; 0 when no hold. */
  get holdMs(): number {
    return Math.max(0, this.holdUntil - this.now());
  }

  /** Tells `listener` what the policy does (holds, slowdowns, recoveries). Returns the unsubscribe. */
  observe(listener: (event: TrafficEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Room for one request: resolves when it may be sent (or right away, returning undefined, when
   * there is room now). Every `acquire` is paired with one `release`. A caller's abort rejects it.
   * `waited`: the caller got a 429 and has already waited the server's time, so the hold does not
   * apply to it.
   */
  acquire(signal?: AbortSignal, waited = false): Promise<void> | undefined {
    if (this.waiters.length === 0 && this.inFlight < this.concurrency && this.delay(waited) === 0) {
      this.take();
      return undefined;
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        waited,
      };
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(signal?.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
      this.pump();
    });
  }

  /** The request sent at `sentAt` (this policy's clock) is over, with `outcome`, after `latencyMs`. */
  release(sentAt: number, outcome: Outcome, latencyMs: number): void {
    this.giveBack(true);
    const { status } = outcome;
    if (status === 429) this.rateLimited(sentAt, outcome.retryAfterMs);
    else if (status !== undefined && status < 500) this.answered(sentAt, latencyMs);
    this.pump();
  }

  /** Resolves when a request could be sent now, without taking the room: for callers deciding whether to start more work. */
  async room(signal?: AbortSignal): Promise<void> {
    await this.acquire(signal);
    this.giveBack(false);
    this.pump();
  }

  /** A learned rate's bucket holds a twentieth of a second's worth: requests go out evenly. */
  private burst(rate: number): number {
    return Math.max(1, rate / 20);
  }

  /** Milliseconds before one more request may start; 0 when it may start now. */
  private delay(waited = false): number {
    const at = this.now();
    if (at < this.holdUntil && !waited) return this.holdUntil - at;
    let wait = 0;
    if (this.userRate !== undefined) {
      while (this.freedAt.length > 0 && (this.freedAt[0] as number) + USER_WINDOW_MS <= at)
        this.freedAt.shift();
      if (this.slotsInUse + this.freedAt.length >= this.userRate)
        // No slot: the oldest freed one comes back in time, or a release will pump.
        wait =
          this.freedAt.length > 0
            ? (this.freedAt[0] as number) + USER_WINDOW_MS - at
            : Number.POSITIVE_INFINITY;
    }
    const rate = this.learnedRate;
    if (rate !== undefined) {
      this.tokens = Math.min(
        this.burst(rate),
        this.tokens + (Math.max(0, at - this.refilledAt) * rate) / 1000,
      );
      this.refilledAt = Math.max(this.refilledAt, at);
      if (this.tokens < 1) wait = Math.max(wait, Math.ceil(((1 - this.tokens) * 1000) / rate));
    }
    return wait;
  }

  private take(): void {
    this.inFlight++;
    if (this.learnedRate !== undefined) this.tokens -= 1;
    if (this.userRate !== undefined) this.slotsInUse++;
  }

  /** Hands back what `take` took; `used`: the request went out, so its rate slot rests a second. */
  private giveBack(used: boolean): void {
    this.inFlight--;
    if (this.userRate !== undefined) {
      this.slotsInUse--;
      if (used) this.freedAt.push(this.now());
    }
    if (!used && this.learnedRate !== undefined) this.tokens += 1;
  }

  /** Admits waiters while there is room; when time is what is missing, comes back when it has passed. */
  private pump(): void {
    while (this.waiters.length > 0 && this.inFlight < this.concurrency) {
      const wait = this.delay(this.waiters[0]?.waited);
      if (wait > 0) {
        if (Number.isFinite(wait)) this.wake(wait); // else a release pumps
        return;
      }
      this.take();
      this.waiters.shift()?.admit();
    }
  }

  private wake(ms: number): void {
    const at = this.now() + ms;
    if (this.timer !== undefined && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, ms);
  }

  private emit(event: TrafficEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private rateLimited(sentAt: number, retryAfterMs: number | undefined): void {
    const at = this.now();
    const waitMs = retryAfterMs ?? DEFAULT_HOLD_MS;
    this.holdUntil = Math.max(this.holdUntil, at + waitMs);
    // One cut per round trip: the requests already out when the cut came do not cut again.
    if (sentAt > this.cutAt) {
      this.cutAt = at;
      this.cut();
      // A 429 that asks for no wait is a refusal, not a rate to learn.
      const base = waitMs > 0 ? (this.learnedRate ?? this.acceptedRate(at)) : undefined;
      if (base !== undefined) {
        this.learnedRate = Math.max(1, base * RATE_BACKOFF);
        this.tokens = 0;
        this.refilledAt = this.holdUntil;
      }
    }
    this.emit({ type: "hold", waitMs, concurrency: this.concurrency, rate: this.rate });
  }

  /** Answers accepted per second lately (over two seconds, or since the first one if sooner). */
  private acceptedRate(at: number): number | undefined {
    const recent = this.accepted.filter((t) => t > at - RATE_WINDOW_MS);
    if (recent.length === 0) return undefined;
    // A short span overestimates (a server's burst counts in it); the 429s that follow bring an
    // overestimate down in a few round trips, while an underestimate would take a minute to grow.
    const spanMs = Math.max(MIN_RATE_SPAN_MS, at - (recent[0] as number));
    return (recent.length * 1000) / spanMs;
  }

  private cut(): void {
    this.window = Math.max(this.windowFloor(), Math.floor(this.window / 2));
    this.slowStart = false;
    this.emit({ type: "slowdown", concurrency: this.concurrency, rate: this.rate });
  }

  /**
   * The smallest window a cut leaves: 1, or, once a rate is learned (which paces the requests
   * itself), twice what that rate needs at the fastest latency seen, so that a 429 lowers the rate
   * without also starving it of requests in flight.
   */
  private windowFloor(): number {
    const rate = this.learnedRate;
    if (rate === undefined || !Number.isFinite(this.fastestMs)) return 1;
    return Math.min(this.ceiling, Math.max(1, Math.ceil((2 * rate * this.fastestMs) / 1000)));
  }

  private answered(sentAt: number, latencyMs: number): void {
    const at = this.now();
    this.accepted.push(at);
    if (this.accepted.length > 4096) this.accepted = this.accepted.filter((t) => t > at - RATE_WINDOW_MS);
    if (this.learnedRate !== undefined) this.learnedRate += Math.max(RATE_GROWTH, 0.1 / this.learnedRate);
    this.fastestMs = Math.min(this.fastestMs, latencyMs);
    if (latencyMs > this.fastestMs * LATENCY_FACTOR + LATENCY_SLACK_MS) {
      if (sentAt > this.cutAt) {
        this.cutAt = at;
        this.cut();
      }
      return;
    }
    // Grow only a window in use: an idle client keeps its window where it stands.
    if (this.window >= this.ceiling || this.inFlight + 1 < this.concurrency / 2) return;
    const before = this.concurrency;
    this.window = Math.min(this.ceiling, this.window + (this.slowStart ? 1 : 1 / this.window));
    if (!this.slowStart && this.concurrency > before)
      this.emit({ type: "recover", concurrency: this.concurrency });
  }
}
