import { senderPicker } from "#pick";
import { onAbort } from "./abort-listeners.js";
import { classifyStatus } from "./classify.js";
import { AbortError, ConnectionError, CskitError, TimeoutError } from "./errors.js";
import { timeoutError } from "./internal/send/deadline.js";
import type { SenderChoice } from "./internal/send/pick.js";
import { answerChecks } from "./internal/send/refuse.js";
import { operationOf } from "./operation.js";
import type { AnyRequest } from "./plain-request.js";
import type { Redactor } from "./redact.js";
import { retryHint } from "./retry-after.js";
import { type TrafficOptions, TrafficPolicy } from "./traffic.js";
import { untrusted } from "./untrusted.js";

/** What one call may change of the client's limits (see RequestOptions). */
export interface CallLimits {
  timeoutMs?: number | undefined;
  retry?: RetryOptions | false | undefined;
  trustIdempotencyKey?: boolean | undefined;
}
export type FetchFn = (request: AnyRequest, call?: CallLimits) => Promise<Response>;
/** The fetch a transport calls: the standard signature. */
export type BaseFetch = (input: string | Request, init?: RequestInit) => Promise<Response>;

export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** First backoff delay; doubles per attempt, with full jitter. Default 250 ms. */
  baseDelayMs?: number;
  /** Longest single wait, Retry-After included. Default 10 s. */
  maxDelayMs?: number;
  /**
   * Total time for the call: all attempts and waits (each attempt's timeout is at most what is
   * left of it). Default 60 s.
   */
  budgetMs?: number;
}

/**
 * Per-call request options: the last argument of every client method, apart from the API's own
 * parameters. A value here overrides the client's for this call only.
 */
export interface RequestOptions {
  /** Cancels the call (every attempt and every wait between them). */
  signal?: AbortSignal | undefined;
  /** Per attempt, for the whole answer. Overrides the client's `timeoutMs`; 0 turns it off. */
  timeoutMs?: number | undefined;
  /** `false`: one attempt. An object overrides these fields of the client's retry policy. */
  retry?: RetryOptions | false | undefined;
  /**
   * Default true: a POST carrying the client's idempotency key is retried like a read (on 5xx,
   * timeouts, a dropped connection), as the key makes a repeat safe where the vendor honours it.
   * `false`: it is retried only where it surely had no effect (a 429, a refused connection), as a
   * POST without a key: for a caller that does not rest on the vendor honouring the key.
   */
  trustIdempotencyKey?: boolean | undefined;
}

/** The options every cskit client takes, besides its credentials. */
export interface ClientOptions extends TrafficOptions {
  /** The API's base URL. Must be https, except on loopback. */
  baseUrl?: string | undefined;
  /** Called as `fetch(url, init)`, like the global fetch. Every call then goes through it. */
  fetch?: BaseFetch | undefined;
  /**
   * What carries the calls. `"auto"` (the default): on Node, undici's dispatcher with an Agent of
   * its own while nothing was configured for fetch (a global dispatcher, NODE_USE_ENV_PROXY, a
   * replaced global fetch, the `fetch` option), else fetch. `"fetch"`: always fetch. `"node"`:
   * that Agent whatever was configured (Node only).
   */
  sender?: "auto" | "fetch" | "node" | undefined;
  /** Retry policy, or `false` for none. Default: 3 attempts within 60 s (see RetryOptions). */
  retry?: RetryOptions | false | undefined;
  /** Per attempt, for the whole answer: headers and body. Default 30 000 ms; 0 turns it off. */
  timeoutMs?: number | undefined;
  /** Largest answer body read, in bytes (after decompression). Default 32 MiB. */
  maxResponseBytes?: number | undefined;
  /** `true` logs method, URL, status and timing to stderr; or pass a function. Never logs credentials. */
  debug?: boolean | ((line: string) => void) | undefined;
  /** Waits between retries; for tests. */
  sleep?: ((ms: number, signal: AbortSignal | undefined) => Promise<void>) | undefined;
}

export interface TransportOptions extends Omit<ClientOptions, "baseUrl"> {
  /** Removes every credential the client knows from log lines and messages. */
  redactor: Redactor;
  /** A POST carrying this header is idempotent and safe to retry (Apideck: X-Unique-Transaction-ID). */
  idempotencyHeader?: string;
  /** The client's traffic policy; a new one from `maxConcurrency` and `maxRequestsPerSecond` when omitted. */
  traffic?: TrafficPolicy;
}

export const DEFAULTS = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  budgetMs: 60_000,
  timeoutMs: 30_000,
  maxResponseBytes: 32 * 1024 * 1024,
} as const;

/** The retry and timeout numbers one call runs with. */
interface Limits {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  budgetMs: number;
  timeoutMs: number;
}

function limitsOf(policy: RetryOptions | false | undefined, timeoutMs: number | undefined): Limits {
  const retry = policy === false ? { maxAttempts: 1 } : (policy ?? {});
  return {
    maxAttempts: retry.maxAttempts ?? DEFAULTS.maxAttempts,
    baseDelayMs: retry.baseDelayMs ?? DEFAULTS.baseDelayMs,
    maxDelayMs: retry.maxDelayMs ?? DEFAULTS.maxDelayMs,
    budgetMs: retry.budgetMs ?? DEFAULTS.budgetMs,
    timeoutMs: timeoutMs ?? DEFAULTS.timeoutMs,
  };
}

/** The longest delay setTimeout accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** 408, 409 (a conflicting request in flight), 425, 429 and every 5xx: worth another attempt. */
function isRetryableStatus(status: number): boolean {
  const kind = classifyStatus(status);
  return kind === "retryable" || kind === "rate-limited" || kind === "conflict";
}

/** Waits `ms`, or until `signal` aborts (one shared listener per signal: many calls may wait at once). */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const unsubscribe = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(signal.reason);
        })
      : undefined;
    const timer = setTimeout(() => {
      unsubscribe?.();
      resolve();
    }, ms);
  });
}

export function debugLogger(debug: TransportOptions["debug"]): ((line: string) => void) | undefined {
  if (!debug) return undefined;
  return debug === true ? (line) => process.stderr.write(`[cskit] ${line}\n`) : debug;
}

/** The openapi-fetch `signal` and `fetch` of one call: the client's own fetch unless the call changes a limit. */
export function perCall(
  transport: FetchFn,
  options: RequestOptions | undefined,
): { signal?: AbortSignal | undefined; fetch?: (request: Request) => Promise<Response> } {
  if (!options) return {};
  const { signal, timeoutMs, retry, trustIdempotencyKey } = options;
  if (timeoutMs === undefined && retry === undefined && trustIdempotencyKey === undefined) return { signal };
  const limits = { timeoutMs, retry, trustIdempotencyKey };
  checkClientOptions(limits);
  return { signal, fetch: (request) => transport(request, limits) };
}

const SENDERS: readonly SenderChoice[] = ["auto", "fetch", "node"];

/** Rejects option values that would make every call fail, or silently mean something else. */
export function checkClientOptions(options: ClientOptions): void {
  const { fetch, debug, retry: policy, sender } = options;
  if (fetch !== undefined && typeof fetch !== "function") throw new TypeError("fetch must be a function");
  if (sender !== undefined && !SENDERS.includes(sender as SenderChoice))
    throw new TypeError(`sender must be "auto", "fetch" or "node", got ${String(sender).slice(0, 40)}`);
  if (sender === "node" && fetch !== undefined)
    throw new TypeError('sender "node" cannot send through the fetch option: pass one or the other');
  if (debug !== undefined && typeof debug !== "boolean" && typeof debug !== "function")
    throw new TypeError("debug must be a boolean or a function");
  if (policy !== undefined && policy !== false && (typeof policy !== "object" || policy === null))
    throw new TypeError("retry must be an object or false");
  const retry = options.retry || {};
  // One call per limit, no table: this runs for every call that passes per-call options.
  checkInteger("timeoutMs", options.timeoutMs, 0, MAX_TIMER_MS);
  checkInteger("maxResponseBytes", options.maxResponseBytes, 1, 2 ** 32);
  checkInteger("retry.maxAttempts", retry.maxAttempts, 1, 20);
  checkInteger("retry.baseDelayMs", retry.baseDelayMs, 0, MAX_TIMER_MS);
  checkInteger("retry.maxDelayMs", retry.maxDelayMs, 0, MAX_TIMER_MS);
  checkInteger("retry.budgetMs", retry.budgetMs, 0, MAX_TIMER_MS);
  checkInteger("maxConcurrency", options.maxConcurrency, 1, 1024);
  checkInteger("maxRequestsPerSecond", options.maxRequestsPerSecond, 1, 100_000);
}

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (
    value !== undefined &&
    !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)
  )
    throw new TypeError(
      `${name} must be an integer from ${min} to ${max}, got ${String(value).slice(0, 40)}`,
    );
}

/**
 * The fetch that every client hands to openapi-fetch. Per attempt: room from the client's traffic
 * policy (holds after a 429, requests in flight, rate), one timeout for the whole answer (headers
 * and body), a body cap, redirects refused; across attempts: retries with backoff and Retry-After,
 * caller cancellation, and a redacted debug log. It never retries in a way that could create a
 * record twice: a POST without an idempotency header is retried only on 429 or a refused
 * connection. The answer it returns is fully read, so callers never wait on a socket.
 */
export function createTransport(options: TransportOptions): FetchFn {
  checkClientOptions(options);
  // Each attempt goes through the sender picked for it (see internal/send/pick.ts).
  const pick = senderPicker(options.sender, options.fetch);
  const clientLimits = limitsOf(options.retry, options.timeoutMs);
  const maxBytes = options.maxResponseBytes ?? DEFAULTS.maxResponseBytes;
  const sleep = options.sleep ?? wait;
  const log = debugLogger(options.debug);
  const { redactor, idempotencyHeader } = options;
  const traffic = options.traffic ?? new TrafficPolicy(options);
  const { refuse, tooLarge, connectionError } = answerChecks(maxBytes, redactor);

  /** One attempt: the whole answer, read, under the timeout and the size cap; or a CskitError. */
  function attempt(request: AnyRequest, more: boolean, timeoutMs: number, statedMs: number) {
    const signal = request.signal ?? undefined;
    // The message names the attempt's time (its wait for room included), not what was left of it.
    const timedOut = () => timeoutError(statedMs);
    const limits = { timeoutMs, maxBytes, signal, more, refuse, tooLarge, connectionError, timedOut };
    return pick(request)(request, limits);
  }

  /** Exponential backoff with full jitter. */
  const backoff = (attemptNo: number, limits: Limits): number =>
    Math.random() * Math.min(limits.maxDelayMs, limits.baseDelayMs * 2 ** (attemptNo - 1));

  /** The client's limits, with one call's overrides (`perCall` checked them). */
  function limitsFor(call: CallLimits): Limits {
    const { retry, timeoutMs } = call;
    const merged =
      retry === undefined ? options.retry : retry === false ? false : { ...(options.retry || {}), ...retry };
    return limitsOf(merged, timeoutMs ?? options.timeoutMs);
  }

  return async function send(request: AnyRequest, call?: CallLimits): Promise<Response> {
    const limits = call ? limitsFor(call) : clientLimits;
    const { maxAttempts, maxDelayMs, budgetMs, timeoutMs } = limits;
    const keyed =
      idempotencyHeader !== undefined &&
      request.headers.has(idempotencyHeader) &&
      call?.trustIdempotencyKey !== false;
    const unsafe = request.method === "POST" && !keyed;
    const where = log && `${request.method} ${redactor.redact(request.url)}`;
    const operation = operationOf(request.method, request.url);
    const started = Date.now();
    let waited = false;
    // Attempts that count toward maxAttempts: a 429 that says when to come back is flow control,
    // not a failure, so (with retries on) it is retried for as long as the budget lasts; from the
    // call's second such 429, no sooner than a doubling backoff (a server saying "1 ms" forever is
    // not flooded).
    const more = maxAttempts > 1;
    let counted = 0;
    let waitedOut = 0;
    for (let attemptNo = 1; ; attemptNo++) {
      // This attempt's time, its wait for room included: timeoutMs, within what is left of the budget.
      const left = Math.max(1, budgetMs - (Date.now() - started));
      const attemptMs = timeoutMs > 0 ? Math.min(timeoutMs, left) : left;
      const asked = Date.now();
      const room = traffic.acquire(request.signal ?? undefined, { waited, withinMs: attemptMs });
      if (room) {
        try {
          await room;
        } catch (error) {
          // A RateLimitError (a hold past this call's time) or a TimeoutError (no room in time).
          if (error instanceof CskitError) throw error;
          throw new AbortError("The request was aborted", { cause: error });
        }
      }
      const t0 = log && performance.now();
      const sentAt = Date.now();
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await attempt(request, more, Math.max(1, attemptMs - (sentAt - asked)), attemptMs);
      } catch (error) {
        failure = error;
      }
      const status = response?.status;
      // A 429 holds every call of the client for the server's wait (never longer than maxDelayMs).
      const hint = response && retryHint(response.headers);
      const delay = status === 429 ? (hint ?? backoff(attemptNo, limits)) : undefined;
      const hold = delay === undefined ? undefined : Math.min(delay, maxDelayMs);
      traffic.release(sentAt, { status, retryAfterMs: hold, operation }, Date.now() - sentAt);
      if (log) {
        const outcome = response ? response.status : (failure as Error).name;
        const id = response?.headers.get("request-id");
        const shown = id ? ` request-id=${untrusted(id, redactor, 200)}` : "";
        log(`${where} -> ${outcome} ${Math.round(performance.now() - (t0 as number))}ms${shown}`);
      }
      let retryable: boolean;
      if (response) {
        retryable = isRetryableStatus(response.status) && (!unsafe || response.status === 429);
      } else {
        retryable =
          failure instanceof ConnectionError
            ? !unsafe || failure.code === "ECONNREFUSED"
            : failure instanceof TimeoutError && !unsafe;
      }
      if (status === 429 && hint) waitedOut++;
      else counted++;
      if (!more || !retryable || counted >= maxAttempts) {
        if (response) return response;
        throw failure;
      }
      const floor = status === 429 && hint && waitedOut > 1 ? limits.baseDelayMs * 2 ** (waitedOut - 2) : 0;
      const wait = Math.max(floor, delay ?? hint ?? backoff(attemptNo, limits));
      // A server that asks for a longer wait than we allow gets its answer back, not an early retry.
      if (wait > maxDelayMs || Date.now() - started + wait > budgetMs) {
        if (response) return response;
        throw failure;
      }
      log?.(`${where} retry in ${Math.round(wait)}ms (${counted}/${maxAttempts} attempts used)`);
      // After a 429 the whole client holds (the policy); this call waits the server's time itself.
      waited = status === 429;
      try {
        await sleep(wait, request.signal ?? undefined);
      } catch (error) {
        throw new AbortError("The request was aborted", { cause: error });
      }
    }
  };
}
