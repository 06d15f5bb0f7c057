// The migration's state: one SQLite file (WAL) per (source, target) pair, in Node's own `node:sqlite`.
// Changes are committed in transactions that leave a state the next run can resume from after a
// SIGKILL at any point; in-flight marks are committed before their creates are sent. One run at a
// time: `run-lock.ts`. Synchronous: `node:sqlite` calls are short and never yield. `StateStore` is the
// one door to a state file; each concern is a part of it (pair, runs, records, disappeared, target
// emails, reads), over one connection (`connection.ts`), opened by `schema.ts`.
import { Connection } from "./connection.js";
import { Disappeared } from "./disappeared.js";
import { ProviderPair } from "./pair.js";
import { Reads } from "./reads.js";
import { Records } from "./records.js";
import type {
  Accounts,
  RecordAction,
  RecordRow,
  ReportRow,
  ScanKind,
  ScannedRecord,
  StateStatus,
} from "./rows.js";
import { Runs } from "./runs.js";
import { openStateFile } from "./schema.js";
import { TargetEmails } from "./target-emails.js";

export { explainStateError } from "./connection.js";
export type {
  Accounts,
  RecordAction,
  RecordRow,
  RecordStatus,
  ReportRow,
  RunRow,
  ScanKind,
  ScannedRecord,
  StateStatus,
} from "./rows.js";
export { SCHEMA_VERSION } from "./schema.js";

export class StateStore {
  readonly file: string;
  private readonly connection: Connection;
  private readonly pair: ProviderPair;
  private readonly runs: Runs;
  private readonly records: Records;
  private readonly disappearedRecords: Disappeared;
  private readonly targetEmails: TargetEmails;
  private readonly reads: Reads;
  /** The read-order number before this run's first record: the write phase starts after it. */
  seqAtStart = 0;

  private constructor(connection: Connection) {
    this.file = connection.file;
    this.connection = connection;
    this.pair = new ProviderPair(connection);
    this.runs = new Runs(connection);
    this.records = new Records(connection);
    this.disappearedRecords = new Disappeared(connection);
    this.targetEmails = new TargetEmails(connection);
    this.reads = new Reads(connection, this.runs);
  }

  /**
   * Opens (or creates) a state file. `readonly` never creates nor changes anything. A file that is
   * not a cskit state file (another application's database) is refused before anything is written.
   */
  static open(file: string, options: { readonly?: boolean } = {}): StateStore {
    return new StateStore(new Connection(file, openStateFile(file, options.readonly ?? false)));
  }

  /** Makes every waiting write durable. */
  commit(): void {
    this.connection.commit();
  }

  close(): void {
    try {
      this.connection.commit();
    } finally {
      this.connection.db.close();
      this.runs.releaseLock();
    }
  }

  /** Refuses a file that belongs to another pair of providers. */
  checkProviders(from: string, to: string, accounts: Accounts = {}): void {
    this.pair.check(from, to, accounts);
  }

  /** Remembers which providers and accounts this file is for, and refuses others. */
  bindProviders(from: string, to: string, accounts: Accounts = {}): void {
    this.pair.bind(from, to, accounts);
  }

  /**
   * For a run that cannot have ended well: marks the runs left "running" interrupted, when no process
   * holds the lock. A live holder is never disturbed: this throws, naming it. (The operating system
   * releases the lock of a killed process by itself; this only tidies the run history.) Returns the
   * run that was marked, or undefined when there was none.
   */
  breakLock(): { pid: number; host: string; since: string } | undefined {
    return this.runs.breakLock();
  }

  /**
   * Takes the run lock (`<state>.lock`, held by the operating system until this store closes or the
   * process ends), or throws if another live process holds it. Runs left "running" by a process that
   * died are marked interrupted.
   */
  acquireLock(who = "cskit migrate"): void {
    this.runs.acquireLock(who);
  }

  releaseLock(): void {
    this.runs.releaseLock();
  }

  startRun(): number {
    const runId = this.runs.start();
    this.seqAtStart = this.records.startRun();
    return runId;
  }

  finishRun(runId: number, status: "done" | "failed" | "interrupted", summary: unknown): void {
    this.runs.finish(runId, status, summary);
  }

  lookup(sourceId: string): RecordRow | undefined {
    return this.records.lookup(sourceId);
  }

  /** Records one page of the source listing, in one transaction. Returns what each record needs. */
  scan(runId: number, batch: ScannedRecord[]): ScanKind[] {
    return this.records.scan(runId, batch);
  }

  /** The next records to write, in read order after `seq`; a page at a time keeps memory flat. */
  todoAfter(seq: number, limit: number): RecordRow[] {
    return this.records.todoAfter(seq, limit);
  }

  /** Written before a create is sent: if the process dies now, the next run reconciles first. */
  markInFlight(sourceId: string, attemptHash: string): void {
    this.records.markAllInFlight([{ sourceId, attemptHash }]);
  }

  /**
   * `markInFlight` for a batch of creates, in one commit: each is durable before its request leaves.
   * A crash before one is sent costs the next run an email lookup for it, never a second create.
   */
  markAllInFlight(marks: readonly { sourceId: string; attemptHash: string }[]): void {
    this.records.markAllInFlight(marks);
  }

  /** Records marked in flight whose create was never sent (the run stopped first), back as they were. */
  unmarkUnsent(rows: readonly RecordRow[]): void {
    this.records.unmarkUnsent(rows);
  }

  countAttempt(sourceId: string): void {
    this.records.countAttempt(sourceId);
  }

  /** The source record that already owns this target record, if any. */
  ownerOf(targetId: string): string | undefined {
    return this.records.ownerOf(targetId);
  }

  /**
   * Records a finished write. Returns false, changing nothing, when the target record already
   * belongs to another source record (two source records never merge into one).
   */
  markDone(
    sourceId: string,
    targetId: string,
    action: RecordAction,
    migratedHash: string,
    unconfirmed = false,
  ): boolean {
    return this.records.markDone(sourceId, targetId, action, migratedHash, unconfirmed);
  }

  /** A record that could not be written. `unsure` keeps a possibly-created record marked for reconciliation. */
  markFailed(sourceId: string, reason: string, unsure: boolean): void {
    this.records.markFailed(sourceId, reason, unsure);
  }

  /**
   * A create answered with the id of a record that no longer exists (its key was replayed): nothing
   * was created; the next create gets a new generation, so a new key. It stays unsure: should the
   * "not found" have been a read that lagged behind the create, the next run finds the record by
   * email before it sends anything.
   */
  markReplayed(sourceId: string, reason: string): void {
    this.records.markReplayed(sourceId, reason);
  }

  /** Records created where a key may be replayed and not read back yet (see confirm.ts). */
  countUnconfirmed(): number {
    return this.records.countUnconfirmed();
  }

  /** The next of those, by source id. */
  unconfirmedAfter(sourceId: string, limit: number): RecordRow[] {
    return this.records.unconfirmedAfter(sourceId, limit);
  }

  /** These target records exist: the records created as them are confirmed. */
  confirmTargets(targetIds: readonly string[]): void {
    this.records.confirmTargets(targetIds);
  }

  /** Records the source no longer lists (only meaningful after a complete scan). */
  countDisappeared(runId: number): number {
    return this.disappearedRecords.countDisappeared(runId);
  }

  /** Records not deleted: what a complete listing of the source should hold. */
  countActive(): number {
    return this.disappearedRecords.countActive();
  }

  disappeared(runId: number, after: string, limit: number): RecordRow[] {
    return this.disappearedRecords.disappeared(runId, after, limit);
  }

  /** Reported as gone from the source; `reason` says why its target copy was kept, if it was asked to go. */
  markDisappeared(runId: number, sourceId: string, reason?: string): void {
    this.disappearedRecords.markDisappeared(runId, sourceId, reason);
  }

  /** The source still has it, though its listing did not show it: seen in this run after all. */
  markStillThere(runId: number, sourceId: string): void {
    this.disappearedRecords.markStillThere(runId, sourceId);
  }

  /** The target copy is deleted: a later create of this record is a new generation, with a new key. */
  markDeleted(runId: number, sourceId: string): void {
    this.disappearedRecords.markDeleted(runId, sourceId);
  }

  addDropped(runId: number, fields: readonly string[]): void {
    this.runs.addDropped(runId, fields);
  }

  dropped(runId: number): Record<string, number> {
    return this.runs.dropped(runId);
  }

  /** Starts a fresh index of the target's emails (for `match: "email"`). */
  clearTargetEmails(): void {
    this.targetEmails.clearTargetEmails();
  }

  addTargetEmails(rows: { email: string; targetId: string }[]): void {
    this.targetEmails.addTargetEmails(rows);
  }

  /** Target records with this email (lower-cased by the caller) that no source record owns yet. */
  freeTargetsByEmail(email: string): string[] {
    return this.targetEmails.freeTargetsByEmail(email);
  }

  /** The rows a run touched, for the per-record report, in pages. */
  report(runId: number): Generator<ReportRow> {
    return this.reads.report(runId);
  }

  lastRunId(): number | undefined {
    return this.reads.lastRunId();
  }

  status(failureLimit = 20): StateStatus {
    return this.reads.status(failureLimit);
  }
}
