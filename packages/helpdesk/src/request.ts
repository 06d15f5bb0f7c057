import type { CallOptions } from "./types.js";

/** The request options of a call (what the provider's client takes last), without the unified options around them. */
export const requestOf = ({ signal, timeoutMs, retry, trustIdempotencyKey }: CallOptions): CallOptions => ({
  signal,
  timeoutMs,
  retry,
  trustIdempotencyKey,
});
