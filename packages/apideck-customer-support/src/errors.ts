import { CskitError, type FailedAnswer } from "@cskit/http";
import { brandError } from "@cskit/http/internal";
import type { components } from "./generated/schema.js";

/** A documented Apideck error type, or one Apideck added later. */
export type ApideckErrorType = components["schemas"]["ErrorTypeName"] | (string & {});
type ErrorBody = components["schemas"]["Error"];

/** An error answer from Apideck, with the vendor's fields. */
export class ApideckError extends CskitError {
  /** Apideck's `type_name`, for example `EntityNotFoundError`. */
  readonly typeName: ApideckErrorType | undefined;
  /** Apideck's `detail`: a string or an object with the connector's own answer. */
  readonly detail: ErrorBody["detail"];
  /** Link to Apideck's documentation of this error type. */
  readonly ref: string | undefined;

  constructor(answer: FailedAnswer) {
    const body = (typeof answer.body === "object" ? answer.body : undefined) as ErrorBody | undefined;
    const typeName = body?.type_name;
    const text = body?.message ?? (answer.excerpt || `HTTP ${answer.status}`);
    const why = answer.violations ? ` (spec violation: ${answer.violations})` : "";
    super(`${typeName ?? `HTTP ${answer.status}`}: ${text}${why}`, {
      status: answer.status,
      requestId: answer.requestId,
      operation: answer.operation,
      notFound: answer.status === 404,
      retryAfterMs: answer.retryAfterMs,
    });
    this.typeName = typeName;
    this.detail = body?.detail;
    this.ref = body?.ref;
  }
}
// `instanceof ApideckError` holds across copies of this package (see brandError).
brandError(ApideckError, "cskit:ApideckError");
