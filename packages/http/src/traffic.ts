import { onAbort } from "./abort-listeners.js";
import { AcceptedAfter, type Sent } from "./accepted-after.js";
import { BurstSeen } from "./burst-seen.js";
import { RateLimitError, TimeoutError } from "./errors.js";
import { RateLearner } from "./rate-learner.js";
import { systemScheduler, type TrafficScheduler } from "./scheduler.js";

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
  /** The server's wait on a 429, in milliseconds (the hold). */
  retryAfterMs?: number | undefined;
  /** The operation (see operationOf): latencies are compared within one operation. */
  operation?: string | undefined;
}

/** What one caller asks of `acquire`. */
export interface Ask {
  /** A retry after its own 429, which has already waited the server's time: the hold does not apply. */
  waited?: boolean | undefined;
  /**
   * The longest the caller may wait for room, in ms. A hold or a rate wait that would end past it
   * rejects at once with a RateLimitError; a wait for the window still going on then rejects with
   * a TimeoutError. Default: no limit.
   */
  withinMs?: number | undefined;
}

/** The ceiling of requests in flight when the user sets none. */
export const DEFAULT_MAX_CONCURRENCY = 64;
/** Requests in flight at the start: the window grows from here while answers come fast. */
export const INITIAL_CONCURRENCY = 8;
/** A 429 without a wait hint holds the client this long. */
const DEFAULT_HOLD_MS = 1000;
/** Latency above `LATENCY_FACTOR` × the fastest seen for its operation (and `LATENCY_SLACK_MS` more) counts as a queue building. */
const LATENCY_FACTOR = 2;
const LATENCY_SLACK_MS = 20;
/** How late a timer may fire: a learned rate's bucket keeps what accrues in that time. */
const TIMER_SLACK_MS = 5;
/** The window of `maxRequestsPerSecond`. */
const USER_WINDOW_MS = 1000;
/** Operations whose fastest latency is remembered. */
const MAX_OPERATIONS = 256;

/** A caller waiting for room, in order of arrival. */
interface Waiter {
  admit: () => void;
  fail: (error: Error) => void;
  waited: boolean;
  deadline: number;
}

/**
 * The traffic policy of one client object: every attempt of every call of that client asks it for
 * room before it is sent, and tells it how the attempt went. The rules are in the README
 * ("Traffic policy"); in short:
 *
 * - **Hold.** A 429 holds every call of the client until the server's wait is over. A call that
 *   cannot wait that long (its deadline) fails at once with a RateLimitError.
 * - **Requests in flight (AIMD).** A window from 8, +1 per answer (slow start), then +1 per window;
 *   halved (once per round trip) by a refusal (a 429 that asks for a wait, or a 503) or by an
 *   operation's latency rising above twice its fastest. A refusal while the window is still where
 *   the last cut set it is noise: the cut is undone. `maxConcurrency` is its ceiling.
 * - **Rate.** `maxRequestsPerSecond` is never exceeded. Without it, a RateLearner turns 429s into
 *   a rate, when they follow the rate; what the server accepted right after a 429 is a floor
 *   under the rate it teaches (AcceptedAfter).
 */
export class TrafficPolicy {
  /** Requests in flight now. */
  inFlight = 0;
  private window: number;
  private slowStart = true;
  /** The last cut of the window by a refusal: what it set, and what it replaced. */
  private windowCut: { set: number; before: number } | undefined;
  private readonly ceiling: number;
  private readonly userRate: number | undefined;
  /** With `maxRequestsPerSecond`: slots in use, and when recent ones were freed (oldest first). */
  private slotsInUse = 0;
  private readonly freedAt: number[] = [];
  private readonly learner = new RateLearner();
  private readonly seen = new BurstSeen();
  private readonly acceptedAfter = new AcceptedAfter();
  private tokens = 0;
  private refilledAt = 0;
  private holdUntil = 0;
  /** Time held in all, the current hold's rest included: the active clock is `now - heldMs + rest`. */
  private heldMs = 0;
  private cutAt = Number.NEGATIVE_INFINITY;
  private readonly fastestMs = new Map<string, number>();
  private readonly waiters: Waiter[] = [];
  private timer: unknown;
  private timerAt = 0;
  private readonly listeners = new Set<(event: TrafficEvent) => void>();
  private readonly scheduler: TrafficScheduler;

  /** `clock`: the scheduler (clock and timers), or a clock alone with the system's timers. */
  constructor(options: TrafficOptions = {}, clock: TrafficScheduler | (() => number) = systemScheduler) {
    this.ceiling = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    this.window = Math.min(this.ceiling, INITIAL_CONCURRENCY);
    this.userRate = options.maxRequestsPerSecond;
    this.scheduler = typeof clock === "function" ? { ...systemScheduler, now: clock } : clock;
  }

  private now(): number {
    return this.scheduler.now();
  }

  /** Requests the policy lets run at once now. */
  get concurrency(): number {
    return Math.max(1, Math.floor(this.window), this.windowFloor());
  }

  /** Requests per second the policy allows now: the user's, the learned one, or undefined (no cap). */
  get rate(): number | undefined {
    const learned = this.learner.rate;
    if (this.userRate === undefined) return learned;
    return learned === undefined ? this.userRate : Math.min(this.userRate, learned);
  }

  /** The rate the 429s taught, when they did. */
  get learned(): number | undefined {
    return this.learner.rate;
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
   * there is room now). Every `acquire` that resolves is paired with one `release`. A caller's
   * abort rejects it with the signal's reason; a deadline, with a RateLimitError or a TimeoutError
   * (see Ask). `ask` may be a boolean: `waited`.
   */
  acquire(signal?: AbortSignal, ask: Ask | boolean = false): Promise<void> | undefined {
    const { waited = false, withinMs = Number.POSITIVE_INFINITY } =
      typeof ask === "boolean" ? { waited: ask } : ask;
    const deadline = this.now() + withinMs;
    if (this.waiters.length === 0 && this.inFlight < this.concurrency && this.delay(waited) === 0) {
      this.take();
      return undefined;
    }
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const unsubscribe = signal
        ? onAbort(signal, () => {
            this.remove(waiter);
            reject(signal.reason);
            this.pump();
          })
        : undefined;
      const waiter: Waiter = {
        admit: () => {
          unsubscribe?.();
          resolve();
        },
        fail: (error) => {
          unsubscribe?.();
          reject(error);
        },
        waited,
        deadline,
      };
      this.waiters.push(waiter);
      this.pump();
    });
  }

  /** The request sent at `sentAt` (this policy's clock) is over, with `outcome`, after `latencyMs`. */
  release(sentAt: number, outcome: Outcome, latencyMs: number): void {
    this.giveBack(true);
    const { status } = outcome;
    const sent = { sentAt, latencyMs, operation: outcome.operation ?? "" };
    if (status === 429) this.rateLimited(sent, outcome.retryAfterMs);
    else if (status === 503) this.refused(sent);
    else if (status !== undefined && status < 500) this.answered(sentAt, latencyMs, outcome.operation);
    this.pump();
  }

  /** Resolves when a request could be sent now, without taking the room: for callers deciding whether to start more work. */
  async room(signal?: AbortSignal): Promise<void> {
    await this.acquire(signal);
    this.giveBack(false);
    this.pump();
  }

  /** The clock without the holds: rates are measured over the time the client could send. */
  private activeNow(): number {
    const at = this.now();
    return at - this.heldMs + Math.max(0, this.holdUntil - at);
  }

  /**
   * A learned rate's bucket holds one request: requests go out evenly spaced, as a server without a
   * burst needs. Where the server's bucket holds more (a fit found it, or it accepted 4 or more
   * requests sent together), it also keeps what accrues while a timer is late, up to half that
   * burst: waits are whole milliseconds, and with a cap of one, 3.4 ms between requests at 294/s
   * becomes 4 ms, 250/s.
   */
  private burst(rate: number): number {
    const serverBurst = Math.max(this.learner.burst, this.seen.most);
    if (serverBurst < 4) return 1;
    return Math.min(serverBurst / 2, 1 + (rate * TIMER_SLACK_MS) / 1000);
  }

  /** Milliseconds before the next request may start; 0 when it may start now. */
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
    const rate = this.learner.rate;
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

  /** The least time the waiter at `position` waits for a hold or the learned rate. */
  private timeWait(position: number, waited: boolean): number {
    const at = this.now();
    const hold = waited ? 0 : Math.max(0, this.holdUntil - at);
    const rate = this.learner.rate;
    if (rate === undefined) return hold;
    const start = Math.max(at, this.refilledAt, waited ? 0 : this.holdUntil);
    const paced = ((position + 1 - Math.min(this.tokens, this.burst(rate))) * 1000) / rate;
    return Math.max(hold, start - at + paced);
  }

  private take(): void {
    this.inFlight++;
    if (this.learner.rate !== undefined) this.tokens -= 1;
    if (this.userRate !== undefined) this.slotsInUse++;
  }

  /** Hands back what `take` took; `used`: the request went out, so its rate slot rests a second. */
  private giveBack(used: boolean): void {
    this.inFlight--;
    if (this.userRate !== undefined) {
      this.slotsInUse--;
      if (used) this.freedAt.push(this.now());
    }
    if (!used && this.learner.rate !== undefined) this.tokens += 1;
  }

  private remove(waiter: Waiter): void {
    const at = this.waiters.indexOf(waiter);
    if (at >= 0) this.waiters.splice(at, 1);
  }

  /** Fails the waiters whose deadline the hold, the rate or the window has put out of reach. */
  private expire(): void {
    const at = this.now();
    let position = 0;
    for (const waiter of [...this.waiters]) {
      if (waiter.deadline === Number.POSITIVE_INFINITY) {
        position++;
        continue;
      }
      const wait = this.timeWait(position, waiter.waited);
      if (wait > 0 && at + wait > waiter.deadline) {
        this.remove(waiter);
        const ms = Math.ceil(wait);
        waiter.fail(
          new RateLimitError(`Rate-limited: the client sends again in ${ms} ms, past this call's time`, {
            status: 429,
            retryAfterMs: ms,
          }),
        );
      } else if (at >= waiter.deadline) {
        this.remove(waiter);
        waiter.fail(new TimeoutError("No room to send within the call's time (requests in flight)"));
      } else position++;
    }
  }

  /** Admits waiters while there is room; when time is what is missing, comes back when it has passed. */
  private pump(): void {
    this.expire();
    let wake = Number.POSITIVE_INFINITY;
    while (this.waiters.length > 0 && this.inFlight < this.concurrency) {
      const wait = this.delay(this.waiters[0]?.waited);
      if (wait > 0) {
        wake = wait; // if infinite, a release pumps
        break;
      }
      this.take();
      this.waiters.shift()?.admit();
    }
    for (const waiter of this.waiters) wake = Math.min(wake, waiter.deadline - this.now());
    if (Number.isFinite(wake)) this.wake(Math.max(0, wake));
    else if (this.waiters.length === 0 && this.timer !== undefined) {
      // The timer serves waiters only: none left, none pending (a process may exit).
      this.scheduler.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private wake(ms: number): void {
    const at = this.now() + ms;
    if (this.timer !== undefined && this.timerAt <= at) return;
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, ms);
  }

  private emit(event: TrafficEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private rateLimited(sent: Sent, retryAfterMs: number | undefined): void {
    const at = this.now();
    const waitMs = retryAfterMs ?? DEFAULT_HOLD_MS;
    const until = at + waitMs;
    if (until > this.holdUntil) {
      this.heldMs += until - Math.max(at, this.holdUntil);
      this.holdUntil = until;
    }
    // A 429 that asks for no wait is a refusal of that request alone: it teaches nothing.
    if (waitMs > 0) this.refused(sent, waitMs);
    this.emit({ type: "hold", waitMs, concurrency: this.concurrency, rate: this.rate });
  }

  /** A 429 that asked for a wait, or a 503: once per round trip, a cut, or the undoing of the last one. */
  private refused(sent: Sent, holdMs?: number): void {
    const { sentAt } = sent;
    const rateLimited = holdMs !== undefined;
    if (rateLimited) this.learner.answered(this.activeNow(), false);
    // One cut per round trip: the requests already out when the cut came do not cut again.
    if (sentAt <= this.cutAt) return;
    this.cutAt = this.now();
    const rate =
      this.userRate === undefined && rateLimited
        ? this.learner.refused(this.activeNow(), holdMs, {
            burst: this.seen.most,
            latencyMs: this.now() - sentAt,
          })
        : undefined;
    const cut = this.windowCut;
    if (cut && this.window <= cut.set) {
      // Refused again while the window is still where the cut left it: the refusals do not follow it.
      this.window = cut.before;
      this.windowCut = undefined;
    } else {
      const before = this.window;
      this.window = Math.max(this.windowFloor(), Math.floor(this.window / 2));
      this.windowCut = { set: this.window, before };
      this.slowStart = false;
    }
    if (rate === "cut") {
      const fastest = Math.min(this.fastestMs.get(sent.operation) ?? sent.latencyMs, sent.latencyMs);
      this.atLeast(this.acceptedAfter.refused(sent, this.now(), fastest));
      this.tokens = 0;
      this.refilledAt = this.holdUntil;
    }
    this.emit({ type: "slowdown", concurrency: this.concurrency, rate: this.rate });
  }

  /** What the server accepted after a refusal proves it allows `bound`: the learned rate goes no lower. */
  private atLeast(bound: number | undefined): void {
    if (bound !== undefined && this.userRate === undefined) this.learner.atLeast(bound);
  }

  /**
   * The smallest window a cut leaves: 1, or, once a rate is learned (which paces the requests
   * itself), twice what that rate needs at the fastest latency seen, so that a 429 lowers the rate
   * without also starving it of requests in flight.
   */
  private windowFloor(): number {
    const rate = this.learner.rate;
    const fastest = Math.min(...this.fastestMs.values());
    if (rate === undefined || !Number.isFinite(fastest)) return 1;
    return Math.min(this.ceiling, Math.max(1, Math.ceil((2 * rate * fastest) / 1000)));
  }

  private answered(sentAt: number, latencyMs: number, operation = ""): void {
    this.learner.answered(this.activeNow(), true, this.now() < this.holdUntil);
    this.seen.accept(sentAt);
    this.atLeast(this.acceptedAfter.accept({ sentAt, latencyMs, operation }));
    const fastest = Math.min(this.fastestMs.get(operation) ?? Number.POSITIVE_INFINITY, latencyMs);
    if (this.fastestMs.size >= MAX_OPERATIONS && !this.fastestMs.has(operation)) this.fastestMs.clear();
    this.fastestMs.set(operation, fastest);
    if (latencyMs > fastest * LATENCY_FACTOR + LATENCY_SLACK_MS) {
      if (sentAt > this.cutAt) {
        this.cutAt = this.now();
        this.window = Math.max(this.windowFloor(), Math.floor(this.window / 2));
        this.slowStart = false;
        this.emit({ type: "slowdown", concurrency: this.concurrency, rate: this.rate });
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
