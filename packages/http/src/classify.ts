import { AbortError, ConnectionError, CskitError, RateLimitError, TimeoutError } from "./errors.js";

/**
 * What a failure means to a caller deciding what to do next:
 * - `aborted`: the caller's own signal stopped it.
 * - `rate-limited`: 429, or a `RateLimitError` (the client held the call back); the server
 *   processed nothing and asks to wait (`retryAfterMs`).
 * - `refused`: the connection was refused; the request never reached the server.
 * - `retryable`: 408, 425, a 5xx, a timeout or a dropped connection: another try may succeed, and
 *   a write may or may not have happened.
 * - `conflict`: 409, a conflicting request (the same idempotency key) was in flight.
 * - `not-found`: the record does not exist.
 * - `auth`: 401 or 403.
 * - `invalid`: any other 4xx; the server refused this request as it stands.
 * - `fatal`: anything else: a redirect, an answer too large or malformed, paging that loops, a bug.
 */
export type ErrorClass =
  | "aborted"
  | "rate-limited"
  | "refused"
  | "retryable"
  | "conflict"
  | "not-found"
  | "auth"
  | "invalid"
  | "fatal";

/** The class of an HTTP status that is not a success; undefined for 1xx-3xx. */
export function classifyStatus(status: number): ErrorClass | undefined {
  if (status === 429) return "rate-limited";
  if (status === 409) return "conflict";
  if (status === 408 || status === 425 || status >= 500) return "retryable";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not-found";
  if (status >= 400) return "invalid";
  return undefined;
}

/** The one classification of errors every cskit package uses (never a class name as a string). */
export function classifyError(error: unknown): ErrorClass {
  if (!(error instanceof CskitError)) return "fatal";
  if (error instanceof AbortError) return "aborted";
  if (error instanceof RateLimitError) return "rate-limited";
  if (error.notFound) return "not-found";
  if (error instanceof ConnectionError) return error.code === "ECONNREFUSED" ? "refused" : "retryable";
  if (error instanceof TimeoutError) return "retryable";
  if (error.status === undefined) return "fatal";
  return classifyStatus(error.status) ?? "fatal";
}

/** Another try, later, may succeed: rate-limited, refused, retryable or conflict. */
export function isRetryable(error: unknown): boolean {
  const kind = classifyError(error);
  return kind === "rate-limited" || kind === "refused" || kind === "retryable" || kind === "conflict";
}

/**
 * The request certainly changed nothing on the server: it was rate-limited, never reached it, or
 * was refused as it stood (auth, invalid, not found). A write that failed otherwise may have happened.
 */
export function hadNoEffect(error: unknown): boolean {
  const kind = classifyError(error);
  return (
    kind === "rate-limited" ||
    kind === "refused" ||
    kind === "auth" ||
    kind === "invalid" ||
    kind === "not-found"
  );
}
