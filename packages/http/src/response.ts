import type { CskitError } from "./errors.js";
import type { Redactor } from "./redact.js";

/** What a client needs to build its own error class from a failed answer. */
export interface FailedAnswer {
  status: number;
  /** The parsed JSON body, or undefined when the body was empty or not JSON. */
  body: unknown;
  /** The start of the raw body, redacted, for messages. */
  excerpt: string;
  requestId: string | undefined;
  operation: string;
}

/** The shape openapi-fetch returns with `parseAs: "text"`. */
export interface TextResult {
  data?: string | undefined;
  error?: unknown;
  response: Response;
}

const EXCERPT_CHARS = 160;

export function readRequestId(response: Response): string | undefined {
  return response.headers.get("request-id") ?? response.headers.get("x-request-id") ?? undefined;
}

function excerptOf(text: string, redactor: Redactor): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const cut = flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
  return redactor.redact(cut);
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
): { body: T | undefined; requestId: string | undefined } {
  const { response } = result;
  const requestId = readRequestId(response);
  if (!response.ok) {
    const raw = result.error;
    // Redact before parsing, so that a server echoing a credential cannot put it in the error.
    const text = redactor.redact(typeof raw === "string" ? raw : JSON.stringify(raw ?? ""));
    const body = typeof raw === "string" || raw === undefined ? undefined : JSON.parse(text);
    throw toError({
      status: response.status,
      body,
      excerpt: excerptOf(text, redactor),
      requestId,
      operation,
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
      excerpt: `invalid JSON in a ${response.status} answer: ${excerptOf(text, redactor)}`,
      requestId,
      operation,
    });
  }
}
