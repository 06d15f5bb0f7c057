// What is refused before anything is sent, the same way for both senders.
import { AbortError, CskitError } from "../../errors.js";

// What node:http lets through in a header value (fetch lets more through, then fails mid-send).
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * A CskitError (not retried: classifyError says "fatal") for the first header whose value cannot
 * go out. It names the header, never the value: that may be a credential.
 */
export function badHeader(headers: Headers): CskitError | undefined {
  let found: string | undefined;
  headers.forEach((value, name) => {
    if (found === undefined && !HEADER_VALUE.test(value)) found = name;
  });
  if (found === undefined) return undefined;
  return new CskitError(
    `The request header ${JSON.stringify(found)} holds a control character or a character not allowed in HTTP (value not shown)`,
  );
}

export const abortError = (cause: unknown): AbortError =>
  new AbortError("The request was aborted", { cause });

/** Refused before sending: an aborted signal (no connection is opened), or a header value that cannot go out. */
export function refuseRequest(headers: Headers, signal: AbortSignal | undefined): CskitError | undefined {
  if (signal?.aborted) return abortError(signal.reason);
  return badHeader(headers);
}
