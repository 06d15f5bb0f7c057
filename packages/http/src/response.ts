import type { CskitError } from "./errors.js";
import type { Redactor } from "./redact.js";
import { retryHint } from "./retry-after.js";
import { redactValue, untrusted } from "./untrusted.js";

/** What a client needs to build its own error class from a failed answer. */
export interface FailedAnswer {
  status: number;
  /** The parsed JSON body, redacted, or undefined when the body was empty or not JSON. */
  body: unknown;
  /** The start of the raw body (or what went wrong), redacted and cut, for messages. */
  excerpt: string;
  requestId: string | undefined;
  operation: string;
  /** Why a validating mock or proxy (Prism) refused the request: its `sl-violations` header, cut. */
  violations?: string | undefined;
  /** The server's wait hint on this answer, in ms. */
  retryAfterMs?: number | undefined;
}

/** The shape openapi-fetch returns with `parseAs: "text"`. */
export interface TextResult {
  data?: string | undefined;
  error?: unknown;
  response: Response;
}

export interface ParseOptions {
  /** False for answers that may hold secrets (a token endpoint): the body is never quoted. */
  quoteBody?: boolean | undefined;
}

const EXCERPT_CHARS = 160;
const REQUEST_ID_CHARS = 128;
const SIMPLE_ID = /^[\w.:-]{1,128}$/;
/** Longest message a client puts in an error. */
export const MESSAGE_CHARS = 500;

/** The server's request id, redacted, without control characters, and cut: it is untrusted text. */
export function readRequestId(response: Response, redactor: Redactor): string | undefined {
  const raw = response.headers.get("request-id") ?? response.headers.get("x-request-id");
  if (!raw) return undefined;
  // The common case, a short plain id, needs only the redaction.
  return SIMPLE_ID.test(raw) ? redactor.redact(raw) : untrusted(raw, redactor, REQUEST_ID_CHARS);
}

/** Prism's `sl-violations` header as one short line: "request.body: must NOT have additional property 'id'". */
function readViolations(response: Response, redactor: Redactor): string | undefined {
  const raw = response.headers.get("sl-violations");
  if (!raw) return undefined;
  let text = raw;
  try {
    text = (JSON.parse(raw) as { location: string[]; message: string }[])
      .map((v) => `${v.location.join(".")}: ${v.message}`)
      .join("; ");
  } catch {}
  return untrusted(text, redactor, 300);
}

/**
 * Turns an openapi-fetch text result into parsed JSON plus the request id, or throws the client's
 * error. A body that is not JSON (HTML, truncated) becomes an error with an excerpt, never a crash.
 */
export function parseAnswer<T>(
  result: TextResult,
  operation: string,
  toError: (answer: FailedAnswer) => CskitError,
  redactor: Redactor,
  options: ParseOptions = {},
): { body: T | undefined; requestId: string | undefined } {
  const { response } = result;
  const requestId = readRequestId(response, redactor);
  const quote = (text: string) =>
    options.quoteBody === false ? "(body not shown)" : untrusted(text, redactor, EXCERPT_CHARS);
  if (!response.ok) {
    const raw = result.error;
    // openapi-fetch parsed it if it could. The parsed value is redacted (bounded in depth and
    // width), so that the JSON stays valid and a hostile body cannot blow the stack or the size.
    const body = typeof raw === "object" && raw !== null ? redactValue(raw, redactor) : undefined;
    const text = body === undefined ? String(raw ?? "") : JSON.stringify(body);
    throw toError({
      status: response.status,
      body: options.quoteBody === false ? undefined : body,
      excerpt: text === "" ? "" : quote(text),
      requestId,
      operation,
      violations: readViolations(response, redactor),
      retryAfterMs: retryHint(response.headers),
    });
  }
  const text = result.data;
  if (!text) return { body: undefined, requestId };
  try {
    return { body: JSON.parse(text) as T, requestId };
  } catch {
    throw toError({
      status: response.status,
      body: undefined,
      excerpt: `invalid JSON in a ${response.status} answer: ${quote(text)}`,
      requestId,
      operation,
    });
  }
}
