// The seam between the transport and whatever carries one attempt: fetch, or (on Node) undici's dispatcher.
import type { ConnectionError, CskitError } from "../../errors.js";
import type { AnyRequest } from "../../plain-request.js";

/** What one attempt needs besides the request. */
export interface SendLimits {
  /** For the whole answer, headers and body; 0: none. */
  timeoutMs: number;
  /** Largest body read, in bytes, after decoding. */
  maxBytes: number;
  signal: AbortSignal | undefined;
  /** Another attempt may follow: a real Request with a body is sent as a copy. */
  more: boolean;
  /** The refusal of an answer before its body is read (a redirect, a bad status, too large), if any. */
  refuse(status: number, headers: Headers, url: string): CskitError | undefined;
  tooLarge(status: number): CskitError;
  /** What an attempt past `timeoutMs` throws: it names the time the caller gave the attempt. */
  timedOut(): CskitError;
  connectionError(error: unknown): ConnectionError;
}

/**
 * Sends one request and hands back the whole answer, read (a `ReadResponse`), or throws a
 * CskitError: never a raw TypeError, never a half-read body.
 */
export type Sender = (request: AnyRequest, limits: SendLimits) => Promise<Response>;
