import { onAbort } from "./abort-listeners.js";
import { classifyStatus } from "./classify.js";
import {
  AbortError,
  ConnectionError,
  CskitError,
  RedirectError,
  ResponseTooLargeError,
  TimeoutError,
} from "./errors.js";
import { nodeSender } from "./node-send.js";
import { operationOf } from "./operation.js";
import type { AnyRequest, PlainRequest } from "./plain-request.js";
import { isPlain } from "./plain-request.js";
import { ReadResponse } from "./read-response.js";
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
  /** Called as `fetch(url, init)`, like the global fetch. */
  fetch?: BaseFetch | undefined;
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
const TIMED_OUT = Symbol("timed out");
const abortOnTimeout = (controller: AbortController) => controller.abort(TIMED_OUT);

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

/** The system code (ECONNREFUSED, ...) and the innermost message of a fetch failure. */
function rootCause(error: unknown): { code: string | undefined; message: string } {
  let code: string | undefined;
  let message = String(error);
  for (let e: unknown = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const found = (e as { code?: unknown }).code;
    if (typeof found === "string") code ??= found;
    if (e instanceof Error) message = e.message;
  }
  return { code, message };
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

/** Rejects option values that would make every call fail, or silently mean something else. */
export function checkClientOptions(options: ClientOptions): void {
  const { fetch, debug, retry: policy } = options;
  if (fetch !== undefined && typeof fetch !== "function") throw new TypeError("fetch must be a function");
  if (debug !== undefined && typeof debug !== "boolean" && typeof debug !== "function")
    throw new TypeError("debug must be a boolean or a function");
  if (policy !== undefined && policy !== false && (typeof policy !== "object" || policy === null))
    throw new TypeError("retry must be an object or false");
  const retry = options.retry || {};
  const limits: [string, unknown, number, number][] = [
    ["timeoutMs", options.timeoutMs, 0, MAX_TIMER_MS],
    ["maxResponseBytes", options.maxResponseBytes, 1, 2 ** 32],
    ["retry.maxAttempts", retry.maxAttempts, 1, 20],
    ["retry.baseDelayMs", retry.baseDelayMs, 0, MAX_TIMER_MS],
    ["retry.maxDelayMs", retry.maxDelayMs, 0, MAX_TIMER_MS],
    ["retry.budgetMs", retry.budgetMs, 0, MAX_TIMER_MS],
    ["maxConcurrency", options.maxConcurrency, 1, 1024],
    ["maxRequestsPerSecond", options.maxRequestsPerSecond, 1, 100_000],
  ];
  for (const [name, value, min, max] of limits) {
    if (
      value !== undefined &&
      !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)
    )
      throw new TypeError(
        `${name} must be an integer from ${min} to ${max}, got ${String(value).slice(0, 40)}`,
      );
  }
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
  const baseFetch = options.fetch ?? globalThis.fetch;
  // With no fetch of the caller's, plain requests go out through node:http (see node-send.ts).
  const native = options.fetch === undefined ? nodeSender() : undefined;
  const clientLimits = limitsOf(options.retry, options.timeoutMs);
  const maxBytes = options.maxResponseBytes ?? DEFAULTS.maxResponseBytes;
  const sleep = options.sleep ?? wait;
  const log = debugLogger(options.debug);
  const { redactor, idempotencyHeader } = options;
  const traffic = options.traffic ?? new TrafficPolicy(options);

  /** One `fetch(url, init)` per attempt. A real Request (from a user's middleware) is cloned when it may be retried. */
  function dispatch(request: AnyRequest, signal: AbortSignal, more: boolean): Promise<Response> {
    if (isPlain(request)) {
      const { method, headers, body } = request;
      return baseFetch(request.url, { method, headers, body, redirect: "manual", signal });
    }
    const real = request as Request;
    return baseFetch(more && real.body ? real.clone() : real, { signal, redirect: "manual" });
  }

  /** Why an answer is refused before its body is read: a redirect, a status outside HTTP's, a declared size over the cap. */
  function refuse(status: number, headers: Headers, url: string): CskitError | undefined {
    if (status >= 300 && status < 400) {
      let where = "elsewhere";
      try {
        where = untrusted(new URL(headers.get("location") ?? "", url).origin, redactor, 120);
      } catch {}
      return new RedirectError(
        `Refused a ${status} redirect to ${where}: the API never redirects (check the base URL)`,
        { status },
      );
    }
    if (status < 200 || status > 599) return new ConnectionError(`Invalid HTTP status ${status}`, undefined);
    if (Number(headers.get("content-length")) > maxBytes) return tooLarge(status);
    return undefined;
  }
  const tooLarge = (status: number) =>
    new ResponseTooLargeError(`Answer larger than maxResponseBytes (${maxBytes})`, { status });
  function connectionError(error: unknown): ConnectionError {
    const { code, message } = rootCause(error);
    return new ConnectionError(`Connection failed: ${untrusted(message, redactor, 300)}`, code);
  }

  /** Reads the whole body of a fetch answer under the attempt's timeout and the size cap. */
  async function readWhole(response: Response, url: string): Promise<Response> {
    const refused = refuse(response.status, response.headers, url);
    if (refused) {
      response.body?.cancel().catch(() => {});
      throw refused;
    }
    const body = response.body;
    if (!body) return response;
    let text: string;
    const length = response.headers.get("content-length");
    const encoding = response.headers.get("content-encoding");
    if (length !== null && (!encoding || encoding === "identity")) {
      // The declared length bounds what is read: the fast path.
      text = await response.text();
    } else {
      // Chunked or compressed: count what arrives, so that neither can pass the cap.
      const reader = body.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          reader.cancel().catch(() => {});
          throw tooLarge(response.status);
        }
        chunks.push(value);
      }
      text = Buffer.concat(chunks, size).toString("utf8");
    }
    return new ReadResponse(text, response) as unknown as Response;
  }

  // One AbortController per attempt, aborted by the caller's signal or by the timer, which runs
  // until the whole body is read: a server trickling its body cannot hold the call forever.
  async function attempt(request: AnyRequest, more: boolean, timeoutMs: number): Promise<Response> {
    const callerSignal = request.signal;
    if (native && isPlain(request) && (request.body === null || typeof request.body === "string")) {
      const limits = { timeoutMs, maxBytes, signal: callerSignal, refuse, tooLarge, connectionError };
      return native(request as PlainRequest, limits);
    }
    const controller = new AbortController();
    const timer = timeoutMs > 0 ? setTimeout(abortOnTimeout, timeoutMs, controller) : undefined;
    const forward = () => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) forward();
    else callerSignal?.addEventListener("abort", forward, { once: true });
    try {
      return await readWhole(await dispatch(request, controller.signal, more), request.url);
    } catch (error) {
      if (callerSignal?.aborted) throw new AbortError("The request was aborted", { cause: error });
      if (controller.signal.reason === TIMED_OUT)
        throw new TimeoutError(`No complete answer within ${timeoutMs} ms`);
      if (error instanceof CskitError) throw error;
      throw connectionError(error);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", forward);
    }
  }

  /** The server's wait hint, else exponential backoff with full jitter. */
  const delayOf = (response: Response | undefined, attemptNo: number, limits: Limits): number =>
    (response && retryHint(response.headers)) ??
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
    for (let attemptNo = 1; ; attemptNo++) {
      const more = attemptNo < maxAttempts;
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
        response = await attempt(request, more, Math.max(1, attemptMs - (sentAt - asked)));
      } catch (error) {
        failure = error;
      }
      const status = response?.status;
      // A 429 holds every call of the client for the server's wait (never longer than maxDelayMs).
      const delay = status === 429 ? delayOf(response, attemptNo, limits) : undefined;
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
      if (!more || !retryable) {
        if (response) return response;
        throw failure;
      }
      const wait = delay ?? delayOf(response, attemptNo, limits);
      // A server that asks for a longer wait than we allow gets its answer back, not an early retry.
      if (wait > maxDelayMs || Date.now() - started + wait > budgetMs) {
        if (response) return response;
        throw failure;
      }
      log?.(`${where} retry ${attemptNo + 1}/${maxAttempts} in ${Math.round(wait)}ms`);
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
