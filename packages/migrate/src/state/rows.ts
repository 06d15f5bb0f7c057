// The rows of a state file, as the store hands them out.

export type RecordStatus = "pending" | "in_flight" | "done" | "failed" | "deleted";
export type RecordAction =
  | "pending"
  | "created"
  | "updated"
  | "linked"
  | "unchanged"
  | "failed"
  | "deleted"
  | "disappeared";

export interface RecordRow {
  source_id: string;
  content_hash: string;
  migrated_hash: string | null;
  target_id: string | null;
  status: RecordStatus;
  action: RecordAction;
  reason: string | null;
  attempts: number;
  unsure: number;
  attempt_hash: string | null;
  email: string | null;
  payload: string | null;
  seen_run: number;
  scan_seq: number;
  generation: number;
  action_run: number;
  unconfirmed: number;
}

/** One source record as the scan hands it to the store. */
export interface ScannedRecord {
  sourceId: string;
  hash: string;
  email: string | undefined;
  payload: string;
}

/** What the scan found for one record. `repeat`: listed again in the same run (counted once). */
export type ScanKind = "new" | "changed" | "unchanged" | "retry" | "repeat";

export interface RunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: string;
  pid: number;
  summary: string | null;
}

export interface ReportRow {
  source_id: string;
  target_id: string | null;
  action: RecordAction;
  reason: string | null;
}

export interface StateStatus {
  file: string;
  from: string | undefined;
  to: string | undefined;
  records: number;
  byStatus: Record<string, number>;
  /** Records waiting for a check: a create whose outcome is unknown. */
  unsure: number;
  lastRun: (Omit<RunRow, "summary"> & { summary: unknown }) | undefined;
  /** The run holding the lock now (a live process holds `<state>.lock`). */
  running: { pid: number; host: string; since: string } | undefined;
  failures: { sourceId: string; reason: string; attempts: number }[];
}

/** The `account` of each helpdesk, when known: a state file is bound to them. */
export interface Accounts {
  from?: string | undefined;
  to?: string | undefined;
}
