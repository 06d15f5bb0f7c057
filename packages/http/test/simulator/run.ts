// Simulated callers: each runs its calls through a TrafficPolicy exactly as the transport's send() does.
import { RateLimitError, TimeoutError } from "../../src/errors.js";
import { TrafficPolicy } from "../../src/traffic.js";
import { DEFAULTS } from "../../src/transport.js";
import { VirtualClock } from "./clock.js";
import type { Server } from "./servers.js";

/** One kind of work: which operation, by how many callers (each runs its calls one after another). */
export interface Callers {
  operation: string;
  callers: number;
  /** Calls each caller makes; default: as many as fit in the run. */
  calls?: number;
  timeoutMs?: number;
  budgetMs?: number;
  /** When the callers start (ms). */
  startMs?: number;
}

export interface CallRecord {
  operation: string;
  start: number;
  end: number;
  /** "ok", "429" (the 429 answer returned), "rate-limited" (RateLimitError), "timeout", or another status. */
  result: string;
}

export interface RunResult {
  calls: CallRecord[];
  /** Every answer: when it came and its status. */
  answers: { at: number; sentAt: number; status: number }[];
  /** The policy's window, sampled every 100 ms. */
  windows: number[];
  policy: TrafficPolicy;
  durationMs: number;
}

/**
 * Runs `work` against `server` for `durationMs` of virtual time (or until every call is done),
 * the retry loop as in send(): room from the policy (waited after a 429, within the attempt's
 * time), the answer, release, then a retry after the server's wait or a backoff. `watch` sees the
 * policy first (to observe its events while tracing a model).
 */
export async function simulate(
  server: Server,
  work: Callers[],
  durationMs: number,
  random: () => number,
  watch?: (policy: TrafficPolicy) => void,
): Promise<RunResult> {
  const clock = new VirtualClock();
  const policy = new TrafficPolicy({}, clock);
  watch?.(policy);
  const calls: CallRecord[] = [];
  const answers: RunResult["answers"] = [];
  const windows: number[] = [];
  let stopped = false;

  async function call(operation: string, timeoutMs: number, budgetMs: number): Promise<string> {
    const { maxAttempts, maxDelayMs, baseDelayMs } = DEFAULTS;
    const started = clock.now();
    let waited = false;
    let counted = 0;
    let waitedOut = 0;
    for (let attemptNo = 1; ; attemptNo++) {
      const left = Math.max(1, budgetMs - (clock.now() - started));
      const attemptMs = Math.min(timeoutMs, left);
      try {
        await policy.acquire(undefined, { waited, withinMs: attemptMs });
      } catch (error) {
        if (error instanceof RateLimitError) return "rate-limited";
        if (error instanceof TimeoutError) return "timeout";
        throw error;
      }
      const sentAt = clock.now();
      const answer = server.arrive(sentAt, operation);
      await clock.sleep(answer.latencyMs);
      server.leave(clock.now(), answer);
      const { status } = answer;
      answers.push({ at: clock.now(), sentAt, status });
      const backoff = random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attemptNo - 1));
      const delay = status === 429 ? (answer.retryAfterMs ?? backoff) : undefined;
      const hold = delay === undefined ? undefined : Math.min(delay, maxDelayMs);
      policy.release(sentAt, { status, retryAfterMs: hold, operation }, clock.now() - sentAt);
      if (status < 400) return "ok";
      // A 429 with a wait uses up no attempt, and from the second in a row waits at least a doubling backoff (as in send()).
      const waitsOut = status === 429 && (answer.retryAfterMs ?? 0) > 0;
      if (waitsOut) waitedOut++;
      else counted++;
      const floor = waitsOut && waitedOut > 1 ? baseDelayMs * 2 ** (waitedOut - 2) : 0;
      const wait = Math.max(floor, delay ?? backoff);
      if (counted >= maxAttempts || wait > maxDelayMs || clock.now() - started + wait > budgetMs)
        return String(status);
      waited = status === 429;
      await clock.sleep(wait);
    }
  }

  async function caller(kind: Callers): Promise<void> {
    if (kind.startMs) await clock.sleep(kind.startMs);
    for (let i = 0; i < (kind.calls ?? Number.POSITIVE_INFINITY) && !stopped; i++) {
      const start = clock.now();
      const result = await call(
        kind.operation,
        kind.timeoutMs ?? DEFAULTS.timeoutMs,
        kind.budgetMs ?? DEFAULTS.budgetMs,
      );
      calls.push({ operation: kind.operation, start, end: clock.now(), result });
    }
  }

  const sample = () => {
    windows.push(policy.concurrency);
    if (!stopped) clock.setTimeout(sample, 100);
  };
  sample();
  const all = Promise.all(work.flatMap((kind) => Array.from({ length: kind.callers }, () => caller(kind))));
  let done = false;
  void all.then(() => {
    done = true;
    stopped = true;
  });
  await clock.run(durationMs);
  stopped = true;
  const durationMs_ = done ? Math.max(...calls.map((c) => c.end)) : durationMs;
  // Let the calls still out finish, so nothing is left pending.
  await clock.run(Number.POSITIVE_INFINITY);
  await all;
  return { calls, answers, windows, policy, durationMs: durationMs_ };
}
