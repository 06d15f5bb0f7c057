import { CskitError, classifyError } from "@cskit/http";
import { cleanReason } from "./content.js";

/** A migration that cannot start or go on: a locked or foreign state file, a failed source listing. */
export class MigrateError extends CskitError {}

export const isNotFound = (error: unknown) => classifyError(error) === "not-found";

/** Why an error happened, as one clean line for a report or an event. */
export function reasonOf(error: unknown): string {
  if (error instanceof CskitError) {
    const status = error.status === undefined ? "" : ` (HTTP ${error.status})`;
    return cleanReason(`${error.name}${status}: ${error.message}`);
  }
  return cleanReason(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
