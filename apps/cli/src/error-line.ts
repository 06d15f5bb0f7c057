// An error as the one line a user sees on stderr (`cskit: error: ...`), and in a failed line's report.
import { EnvironmentError } from "@cskit/helpdesk";
import { forTerminal } from "./json.js";
import { capLength, UsageError } from "./usage.js";

/** True for an Error of no named class: its name comes from Error.prototype, no class or instance sets one. */
function isUnnamed(error: Error): boolean {
  let owner: object | null = error;
  while (owner !== null && !Object.hasOwn(owner, "name")) owner = Object.getPrototypeOf(owner);
  return owner === Error.prototype;
}

/**
 * An error that is the user's to fix, said without its type: a usage error (a flag, a file), an
 * environment error (a variable), or an Error of no named class. Told apart by class, never by a
 * name string.
 */
function isPlain(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    error instanceof EnvironmentError ||
    (error instanceof Error && isUnnamed(error))
  );
}

/** The longest error line cskit prints; a server's 5 MB message is cut to this. */
export const MAX_ERROR_LENGTH = 500;

/**
 * An error as the one line a user sees: `Type: message (status, request id)`, made safe for a
 * terminal (controls stripped, line breaks joined) and capped at MAX_ERROR_LENGTH characters.
 */
export function oneLine(error: unknown): string {
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    status?: unknown;
    requestId?: unknown;
  };
  let message = typeof e.message === "string" ? e.message : String(error);
  // Capped before anything else, so that a 5 MB message costs no more than a short one.
  message = capLength(message, MAX_ERROR_LENGTH * 2);
  const name = typeof e.name === "string" ? e.name : "";
  // ApideckError messages already start with Apideck's own type (EntityNotFoundError: ...); a
  // mistake of the user's (a flag, a variable) is said as it is.
  if (name && !isPlain(error) && !/^\w*Error: /.test(message)) {
    message = `${name}: ${message}`;
  }
  const details = [
    typeof e.status === "number" ? `status ${e.status}` : "",
    e.requestId ? `request-id ${capLength(String(e.requestId), 100)}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const line = forTerminal(details ? `${message} (${details})` : message).replace(/ {2,}/g, " ");
  return capLength(line.trim(), MAX_ERROR_LENGTH);
}
