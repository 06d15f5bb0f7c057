export { type BulkCreateOptions, type BulkCreateResult, bulkCreate, bulkKey } from "./bulk/bulk.js";
export {
  type CreateFromLinesOptions,
  type CreateFromLinesResult,
  createFromLines,
  LinesError,
  writableCustomer,
} from "./bulk/create-from-lines.js";
export { CreateLedger, type LedgerEntry } from "./bulk/ledger.js";
export { contentHash, idempotencyKey } from "./content.js";
export { MigrateError } from "./errors.js";
export { migrate } from "./run/migrate.js";
export type { MigrateOptions, PreviewFn } from "./run/options.js";
export { checkReportFile, writeReport } from "./run/report.js";
export type { MigrateEvent, MigrateSummary, Sample } from "./run/summary.js";
export {
  defaultStatePath,
  type FindStateFileOptions,
  findStateFile,
  StateFileError,
  stateFilesIn,
  temporaryStateFile,
} from "./state/find-state-file.js";
export { breakLock, readStatus } from "./state/state-file.js";
export {
  type RecordAction,
  type RecordStatus,
  SCHEMA_VERSION,
  type StateStatus,
  StateStore,
} from "./state/store.js";
