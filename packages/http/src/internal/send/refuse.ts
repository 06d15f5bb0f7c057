// Answers refused before their body is read, and how failures are worded: once for both senders.
import { ConnectionError, type CskitError, RedirectError, ResponseTooLargeError } from "../../errors.js";
import type { Redactor } from "../../redact.js";
import { untrusted } from "../../untrusted.js";
import type { SendLimits } from "./sender.js";

/**
 * Deno's fetch names no code: its refused connection is only a message, "error sending request for
 * url (...): client error (Connect): tcp connect error: Connection refused (os error 111)" (10061 on
 * Windows). Read as ECONNREFUSED, as Node's and Bun's say it, so that it classifies as `refused`.
 */
const DENO_REFUSED = /\btcp connect error: Connection refused \(os error (111|61|10061)\)/;

/** The system code (ECONNREFUSED, ...) and the innermost message of a failure. */
function rootCause(error: unknown): { code: string | undefined; message: string } {
  let code: string | undefined;
  let message = String(error);
  for (let e: unknown = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const found = (e as { code?: unknown }).code;
    if (typeof found === "string") code ??= found;
    if (e instanceof Error) message = e.message;
  }
  if (code === undefined && DENO_REFUSED.test(message)) code = "ECONNREFUSED";
  return { code, message };
}

/** The refusals and error wordings of one client, for its `SendLimits`. */
export function answerChecks(
  maxBytes: number,
  redactor: Redactor,
): Pick<SendLimits, "refuse" | "tooLarge" | "connectionError"> {
  const tooLarge = (status: number) =>
    new ResponseTooLargeError(`Answer larger than maxResponseBytes (${maxBytes})`, { status });

  /** A redirect, a status outside HTTP's, a declared size over the cap. */
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

  function connectionError(error: unknown): ConnectionError {
    const { code, message } = rootCause(error);
    return new ConnectionError(`Connection failed: ${untrusted(message, redactor, 300)}`, code);
  }

  return { refuse, tooLarge, connectionError };
}
