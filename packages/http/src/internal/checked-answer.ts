import type { CskitError } from "../errors.js";
import type { Redactor } from "../redact.js";
import { type FailedAnswer, parseAnswer, type TextResult } from "../response.js";

/** What a client finds wrong in an answer's body (a field it relies on is missing), or undefined. */
export type ShapeCheck = (body: Record<string, unknown>) => string | undefined;

/** How one client turns answers into results or into its own error class. */
export interface AnswerRules<E extends CskitError = CskitError> {
  /** The client's error, from a failed or unexpected answer. */
  toError: (answer: FailedAnswer) => E;
  /** Keeps the client's secrets out of what reaches an error. */
  redactor: Redactor;
  /**
   * The status of an answer that comes with no body on purpose (Deskero's 204: nothing matched, no
   * such customer): its body is undefined. An empty body with any other status is "the body is
   * empty". Without it, every answer must be a JSON object.
   */
  emptyStatus?: number | undefined;
}

/** The body and request id of an answer the client can use. */
export interface CheckedAnswer<T> {
  /** Undefined only for an answer with `emptyStatus` and no body. */
  body: T | undefined;
  requestId: string | undefined;
}

export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The client's error for a 2xx answer it cannot use: "unexpected answer: <what>". */
export function unexpectedAnswer<E extends CskitError>(
  rules: AnswerRules<E>,
  operation: string,
  what: string,
  requestId: string | undefined,
  status: number,
): E {
  const excerpt = `unexpected answer: ${what}`;
  return rules.toError({ status, body: undefined, excerpt, requestId, operation });
}

/**
 * Parses an openapi-fetch text result (`parseAnswer`: a failed answer, or a body that is not JSON,
 * throws the client's error), then checks the few fields the client relies on, not the whole
 * schema: a body that is not a JSON object, or that `check` finds wanting, throws the client's error.
 */
export function checkedAnswer<T>(
  result: TextResult,
  operation: string,
  check: ShapeCheck,
  rules: AnswerRules,
): CheckedAnswer<T> {
  const { body, requestId } = parseAnswer<T>(result, operation, rules.toError, rules.redactor);
  const { status } = result.response;
  if (body === undefined && rules.emptyStatus !== undefined) {
    if (status === rules.emptyStatus) return { body, requestId };
    throw unexpectedAnswer(rules, operation, "the body is empty", requestId, status);
  }
  const problem = isJsonObject(body) ? check(body) : "the body is not a JSON object";
  if (problem) throw unexpectedAnswer(rules, operation, problem, requestId, status);
  return { body, requestId };
}
