export { type BulkCreateOptions, type BulkCreateResult, bulkCreate, bulkKey } from "./bulk.js";
export { contentHash, idempotencyKey } from "./content.js";
export {
  type CreateFromLinesOptions,
  type CreateFromLinesResult,
  createFromLines,
  LinesError,
  writableCustomer,
} from "./create-from-lines.js";
export { MigrateError } from "./errors.js";
export {
  type FindStateFileOptions,
  findStateFile,
  StateFileError,
  stateFilesIn,
  temporaryStateFile,
} from "./find-state-file.js";
export { CreateLedger, type LedgerEntry } from "./ledger.js";
export { defaultStatePath, migrate } from "./migrate.js";
export type { MigrateOptions, PreviewFn } from "./options.js";
export { checkReportFile, writeReport } from "./report.js";
export {
  type RecordAction,
  type RecordStatus,
  SCHEMA_VERSION,
  type StateStatus,
  StateStore,
} from "./state.js";
export { breakLock, readStatus } from "./state-file.js";
export type { MigrateEvent, MigrateSummary, Sample } from "./summary.js";
