// Server models for the simulator: how a server answers one request, and how long it takes.

/** A server's answer to one request: its status, its wait hint (ms) on a 429, and its latency. */
export interface Answer {
  status: number;
  retryAfterMs?: number | undefined;
  latencyMs: number;
}

/** A server model: `arrive` at the request's arrival, `leave` when its answer has gone. */
export interface Server {
  arrive(now: number, operation: string): Answer;
  leave(now: number, answer: Answer): void;
}

/** How a model rounds its wait hint: Retry-After in whole seconds (at least 1), or the exact ms. */
export type Hint = "seconds" | "ms";
const hinted = (ms: number, hint: Hint) =>
  hint === "ms" ? Math.ceil(ms) : Math.max(1, Math.ceil(ms / 1000)) * 1000;

/** Latency of an operation given the requests in flight at the server. */
export type Latency = (operation: string, inFlight: number) => number;
export const constant =
  (ms: number): Latency =>
  () =>
    ms;
/** Latency that grows with the requests in flight: `base`, and `perRequest` more for each above `free`. */
export const loaded =
  (base: number, perRequest: number, free: number): Latency =>
  (_op, inFlight) =>
    base + perRequest * Math.max(0, inFlight - free);

/** A token bucket of `rate` tokens a second holding `burst` (1: no burst); no token, a 429. */
export function tokenBucket(
  rate: number,
  burst: number,
  hint: Hint,
  latency: Latency = constant(50),
): Server {
  let tokens = burst;
  let at = 0;
  let inFlight = 0;
  return {
    arrive(now, operation) {
      tokens = Math.min(burst, tokens + ((now - at) * rate) / 1000);
      at = now;
      inFlight++;
      if (tokens >= 1) {
        tokens -= 1;
        return { status: 200, latencyMs: latency(operation, inFlight) };
      }
      return {
        status: 429,
        retryAfterMs: hinted(((1 - tokens) * 1000) / rate, hint),
        latencyMs: latency(operation, inFlight),
      };
    },
    leave() {
      inFlight--;
    },
  };
}

/** 429s with probability `p` whatever the rate, with a fixed Retry-After (ms). */
export function random429(
  p: number,
  retryAfterMs: number,
  random: () => number,
  latency: Latency = constant(50),
): Server {
  let inFlight = 0;
  return {
    arrive(_now, operation) {
      inFlight++;
      const latencyMs = latency(operation, inFlight);
      return random() < p ? { status: 429, retryAfterMs, latencyMs } : { status: 200, latencyMs };
    },
    leave() {
      inFlight--;
    },
  };
}

/** At most `limit` requests in flight; one more is refused with `status` (a 429 asks for 1 s). */
export function inFlightLimit(limit: number, status: 429 | 503, latency: Latency = constant(50)): Server {
  let inFlight = 0;
  return {
    arrive(_now, operation) {
      if (inFlight >= limit) return { status, retryAfterMs: status === 429 ? 1000 : undefined, latencyMs: 5 };
      inFlight++;
      return { status: 200, latencyMs: latency(operation, inFlight) };
    },
    leave(_now, answer) {
      if (answer.status === 200) inFlight--;
    },
  };
}

/** Everything accepted, with the given latency. */
export function open(latency: Latency): Server {
  let inFlight = 0;
  return {
    arrive(_now, operation) {
      inFlight++;
      return { status: 200, latencyMs: latency(operation, inFlight) };
    },
    leave() {
      inFlight--;
    },
  };
}
