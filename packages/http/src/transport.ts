import { AbortError, ConnectionError, TimeoutError } from "./errors.js";
import type { AnyRequest } from "./plain-request.js";
import { PlainRequest } from "./plain-request.js";
import type { Redactor } from "./redact.js";

export type FetchFn = (request: AnyRequest) => Promise<Response>;
/** The fetch a transport calls: the standard signature. */
export type BaseFetch = (input: string | Request, init?: RequestInit) => Promise<Response>;

export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** First backoff delay; doubles per attempt, with full jitter. Default 250 ms. */
  baseDelayMs?: number;
  /** Longest single wait, Retry-After included. Default 10 s. */
  maxDelayMs?: number;
  /** Total time for all attempts and waits; no retry starts past it. Default 30 s. */
  budgetMs?: number;
}

/** The options every cskit client takes, besides its credentials. */
export interface ClientOptions {
  /** The API's base URL. Must be https, except on loopback. */
  baseUrl?: string | undefined;
  /** Called as `fetch(url, init)`, like the global fetch. */
  fetch?: BaseFetch | undefined;
  /** Retry policy, or `false` for none. Default: 3 attempts within 30 s. */
  retry?: RetryOptions | false | undefined;
  /** Per attempt, until the response headers arrive. Default 30 000 ms; 0 turns it off. */
  timeoutMs?: number | undefined;
  /** `true` logs method, URL, status and timing to stderr; or pass a function. Never logs credentials. */
  debug?: boolean | ((line: string) => void) | undefined;
  /** Waits between retries; for tests. */
  sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
}

export interface TransportOptions extends Omit<ClientOptions, "baseUrl"> {
  /** Removes every credential the client knows from log lines and messages. */
  redactor: Redactor;
  /** A POST carrying this header is idempotent and safe to retry (Apideck: X-Unique-Transaction-ID). */
  idempotencyHeader?: string;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const TIMED_OUT = Symbol("timed out");
const NEVER = new AbortController().signal;
const abortOnTimeout = (controller: AbortController) => controller.abort(TIMED_OUT);

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Seconds or an HTTP date, as milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The system code (ECONNREFUSED, ...) and the innermost message of a fetch failure. */
function rootCause(error: unknown): { code: string | undefined; message: string } {
  let code: string | undefined;
  let message = String(error);
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
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

/**
 * The fetch that every client hands to openapi-fetch: per-attempt timeout, caller cancellation,
 * retries with backoff, and a redacted debug log. It never retries in a way that could create a
 * record twice: a POST without an idempotency header is retried only on 429 or a refused connection.
 */
export function createTransport(options: TransportOptions): FetchFn {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const retry = options.retry === false ? undefined : options.retry;
  const maxAttempts = retry ? Math.max(1, retry.maxAttempts ?? 3) : 1;
  const baseDelayMs = retry?.baseDelayMs ?? 250;
  const maxDelayMs = retry?.maxDelayMs ?? 10_000;
  const budgetMs = retry?.budgetMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? wait;
  const log = debugLogger(options.debug);
  const { redactor, idempotencyHeader } = options;

  /** One `fetch(url, init)` per attempt. A real Request (from a user's middleware) is cloned when it may be retried. */
  function dispatch(request: AnyRequest, signal: AbortSignal | undefined, more: boolean): Promise<Response> {
    if (request instanceof PlainRequest) {
      const { method, headers, body, redirect } = request;
      return baseFetch(request.url, { method, headers, body, redirect, signal });
    }
    return baseFetch(more && request.body ? request.clone() : request, signal ? { signal } : undefined);
  }

  // One AbortController per attempt, aborted by the caller's signal or by the timer, which stops
  // once the response headers arrive: a timer left pending would keep every finished fetch in
  // memory until it fired. (AbortSignal.timeout + AbortSignal.any cost ~8% of CPU per request.)
  async function attempt(request: AnyRequest, more: boolean): Promise<Response> {
    const callerSignal = request.signal;
    if (timeoutMs <= 0) return guarded(callerSignal, dispatch(request, callerSignal, more), undefined);
    const controller = new AbortController();
    const timer = setTimeout(abortOnTimeout, timeoutMs, controller);
    const forward = () => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) forward();
    else callerSignal?.addEventListener("abort", forward, { once: true });
    try {
      return await guarded(callerSignal, dispatch(request, controller.signal, more), controller);
    } finally {
      clearTimeout(timer);
    }
  }

  async function guarded(
    callerSignal: AbortSignal | undefined,
    pending: Promise<Response>,
    controller: AbortController | undefined,
  ) {
    try {
      return await pending;
    } catch (error) {
      if (callerSignal?.aborted) throw new AbortError("The request was aborted", { cause: error });
      if (controller?.signal.reason === TIMED_OUT)
        throw new TimeoutError(`No response within ${timeoutMs} ms`);
      const { code, message } = rootCause(error);
      throw new ConnectionError(`Connection failed: ${redactor.redact(message)}`, code);
    }
  }

  return async function send(request: AnyRequest): Promise<Response> {
    const unsafe =
      request.method === "POST" && !(idempotencyHeader && request.headers.has(idempotencyHeader));
    const where = log && `${request.method} ${redactor.redact(request.url)}`;
    const started = Date.now();
    for (let attemptNo = 1; ; attemptNo++) {
      const more = attemptNo < maxAttempts;
      const t0 = log && performance.now();
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await attempt(request, more);
      } catch (error) {
        failure = error;
      }
      if (log) {
        const outcome = response ? response.status : (failure as Error).name;
        const id = response?.headers.get("request-id");
        log(
          `${where} -> ${outcome} ${Math.round(performance.now() - (t0 as number))}ms${id ? ` request-id=${id}` : ""}`,
        );
      }
      let retryable: boolean;
      if (response) {
        retryable = RETRY_STATUSES.has(response.status) && (!unsafe || response.status === 429);
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
      const backoff = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attemptNo - 1));
      const hinted = response && parseRetryAfter(response.headers.get("retry-after"));
      const delay = hinted ?? backoff;
      // A server that asks for a longer wait than we allow gets its answer back, not an early retry.
      if (delay > maxDelayMs || Date.now() - started + delay > budgetMs) {
        if (response) return response;
        throw failure;
      }
      // Free the socket; not awaited, since a tee'd body only settles when every branch is cancelled.
      response?.body?.cancel().catch(() => {});
      log?.(`${where} retry ${attemptNo + 1}/${maxAttempts} in ${Math.round(delay)}ms`);
      try {
        await sleep(delay, request.signal ?? NEVER);
      } catch (error) {
        throw new AbortError("The request was aborted", { cause: error });
      }
    }
  };
}
