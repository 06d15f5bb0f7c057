import { CskitError } from "@cskit/http";
import { brandError, Redactor, untrusted } from "@cskit/http/internal";

// The clients redact their own credentials from messages; migrate holds none of its own.
const NO_SECRETS = new Redactor();

/** A migration that cannot start or go on: a locked or foreign state file, a failed source listing. */
export class MigrateError extends CskitError {}
brandError(MigrateError, "cskit:MigrateError");

/** An error as one stored line: its type, the HTTP status, the message; cleaned and capped (server text is untrusted). */
export function reasonOf(error: unknown): string {
  if (error instanceof CskitError) {
    const status = error.status === undefined ? "" : ` (HTTP ${error.status})`;
    return cleanReason(`${error.name}${status}: ${error.message}`);
  }
  return cleanReason(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/** Control characters out, whitespace flattened, length capped: server text is untrusted and may reach a terminal. */
export function cleanReason(text: string, max = 300): string {
  return untrusted(text, NO_SECRETS, max - 1);
}
