// What is refused before anything is sent, the same way for both senders.
import { AbortError, CskitError } from "../../errors.js";

// What HTTP lets through in a header value (fetch lets more through, then fails mid-send).
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** True when a header value can go out as it is. */
const headerValueFits = (value: string): boolean => HEADER_VALUE.test(value);

/**
 * The error for a header whose value cannot go out: a CskitError, not retried (classifyError says
 * "fatal"), naming the header, never the value (that may be a credential).
 */
const badHeaderError = (name: string): CskitError =>
  new CskitError(
    `The request header ${JSON.stringify(name)} holds a control character or a character not allowed in HTTP (value not shown)`,
  );

export const abortError = (cause: unknown): AbortError =>
  new AbortError("The request was aborted", { cause });

/** Refused before sending: an aborted signal (no connection is opened), or a header value that cannot go out. */
export function refuseRequest(headers: Headers, signal: AbortSignal | undefined): CskitError | undefined {
  if (signal?.aborted) return abortError(signal.reason);
  let bad: string | undefined;
  headers.forEach((value, name) => {
    if (bad === undefined && !headerValueFits(value)) bad = name;
  });
  return bad === undefined ? undefined : badHeaderError(bad);
}
