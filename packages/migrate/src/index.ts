export { type BulkCreateOptions, type BulkCreateResult, bulkCreate, bulkKey } from "./bulk.js";
export { contentHash, idempotencyKey } from "./content.js";
export { MigrateError } from "./errors.js";
export { CreateLedger, type LedgerEntry } from "./ledger.js";
export {
  defaultStatePath,
  type MigrateEvent,
  type MigrateOptions,
  type MigrateSummary,
  migrate,
  type PreviewFn,
  type Sample,
} from "./migrate.js";
export { breakLock, csvCell, readStatus, writeReport } from "./report.js";
export {
  type RecordAction,
  type RecordStatus,
  SCHEMA_VERSION,
  type StateStatus,
  StateStore,
} from "./state.js";
export {
  type FindStateFileOptions,
  findStateFile,
  StateFileError,
  stateFilesIn,
  temporaryStateFile,
} from "./state-file.js";
