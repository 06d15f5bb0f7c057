import { CskitError } from "@cskit/http";
import { cleanReason } from "./content.js";

/** A migration that cannot start or go on: a locked or foreign state file, a failed source listing. */
export class MigrateError extends CskitError {}

/** An error as one stored line: its type, the HTTP status, the message; cleaned and capped (server text is untrusted). */
export function reasonOf(error: unknown): string {
  if (error instanceof CskitError) {
    const status = error.status === undefined ? "" : ` (HTTP ${error.status})`;
    return cleanReason(`${error.name}${status}: ${error.message}`);
  }
  return cleanReason(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
