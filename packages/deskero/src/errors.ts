import { CskitError, type FailedAnswer } from "@cskit/http";
import { brandError } from "@cskit/http/internal";

/** An error answer from Deskero. Deskero documents no error body, so `body` is whatever came back. */
export class DeskeroError extends CskitError {
  /** The parsed JSON body, if the answer had one. */
  readonly body: unknown;

  constructor(answer: FailedAnswer & { notFound?: boolean }) {
    const what = answer.excerpt ? `: ${answer.excerpt}` : "";
    const why = answer.violations ? ` (spec violation: ${answer.violations})` : "";
    super(`Deskero ${answer.operation} answered ${answer.status}${what}${why}`, {
      status: answer.status,
      requestId: answer.requestId,
      operation: answer.operation,
      notFound: answer.notFound,
      retryAfterMs: answer.retryAfterMs,
    });
    this.body = answer.body;
  }
}
// `instanceof DeskeroError` holds across copies of this package (see brandError).
brandError(DeskeroError, "cskit:DeskeroError");
