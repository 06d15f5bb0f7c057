import { CskitError } from "@cskit/http";

/** A migration that cannot start or go on: a locked or foreign state file, a failed source listing. */
export class MigrateError extends CskitError {}
