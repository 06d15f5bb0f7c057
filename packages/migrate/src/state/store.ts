// The migration's state: one SQLite file (WAL) per (source, target) pair, in Node's own `node:sqlite`.
// Changes are committed in transactions that leave a state the next run can resume from after a
// SIGKILL at any point; in-flight marks are committed before their creates are sent. One run at a
// time: `run-lock.ts`.
import { existsSync, mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { MigrateError } from "../errors.js";
import { RunLock } from "./run-lock.js";
import {
  type DatabaseSync,
  openDatabase,
  pragma,
  type SQLInputValue,
  type StatementSync,
  sqliteCode,
  sqliteReason,
  transaction,
} from "./sqlite.js";

/**
 * Bumped whenever the tables below change; a file from a newer cskit is refused. 3: the run lock
 * moved from a pid row to the operating system's lock (`<state>.lock`); a cskit that still trusts
 * the pid row must not run beside one that does not.
 */
export const SCHEMA_VERSION = 3;

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,            -- running | done | failed | interrupted
  pid INTEGER NOT NULL,
  summary TEXT,                    -- JSON of the run's summary
  host TEXT                        -- where it ran (shown while it runs)
);
CREATE TABLE records (
  source_id TEXT PRIMARY KEY,
  content_hash TEXT NOT NULL,      -- hash of the source record as last read
  migrated_hash TEXT,              -- hash of the content the target holds (set when done)
  target_id TEXT,
  status TEXT NOT NULL,            -- pending | in_flight | done | failed | deleted
  action TEXT NOT NULL,            -- what the last run that saw it did: created, updated, linked, unchanged, ...
  reason TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  unsure INTEGER NOT NULL DEFAULT 0, -- 1: a create may have reached the target; reconcile before any new insert
  attempt_hash TEXT,               -- content hash of that create (its idempotency key comes from it)
  email TEXT,                      -- primary email as the source wrote it (trimmed); matched lower-cased
  payload TEXT,                    -- the source record while it waits to be written
  seen_run INTEGER NOT NULL,       -- the last run whose source listing held it
  scan_seq INTEGER NOT NULL,       -- read order of the records to write, increasing across runs: writers follow it
  action_run INTEGER NOT NULL,     -- the run that set action
  first_seen_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  generation INTEGER NOT NULL DEFAULT 0, -- bumped when the migration deletes the target copy: a new create gets a new key
  unconfirmed INTEGER NOT NULL DEFAULT 0 -- 1: created where a key may be replayed; read back before it counts (confirm.ts)
) WITHOUT ROWID;
-- No index on status: the write phase walks read order (scan_seq), which is cheaper than keeping one.
CREATE INDEX records_seq ON records (scan_seq);
CREATE INDEX records_target ON records (target_id);
CREATE INDEX records_run ON records (action_run);
CREATE TABLE dropped (run_id INTEGER NOT NULL, field TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (run_id, field));
CREATE TABLE target_emails (email TEXT NOT NULL, target_id TEXT NOT NULL);
CREATE INDEX target_emails_email ON target_emails (email);
`;

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

const now = () => new Date().toISOString();

/** WAL pages between two automatic checkpoints (SQLite's default: 1,000). */
const WAL_CHECKPOINT_PAGES = 10_000;

/** SQLite's `application_id` of a cskit state file: "cskt". Files of cskit 0.x lack it (see kindOf). */
const APPLICATION_ID = 0x63736b74;
/** The tables of a state file of schema version 1 (which had no application_id). */
const TABLES = ["meta", "runs", "records", "dropped", "target_emails", "lock"];

/**
 * What a database holds, read without writing: nothing yet (a new or empty file), a cskit state
 * file (its application_id, or, written before cskit set one, version 1 with cskit's tables), or
 * another application's data.
 */
function kindOf(db: DatabaseSync): "empty" | "ours" | "foreign" {
  const id = pragma(db, "application_id");
  if (id === APPLICATION_ID) return "ours";
  if (id !== 0) return "foreign";
  const version = pragma(db, "user_version");
  const tables = new Set(
    db
      .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')")
      .all()
      .map((row) => row.name),
  );
  if (version === 0 && tables.size === 0) return "empty";
  return version === 1 && TABLES.every((t) => tables.has(t)) ? "ours" : "foreign";
}

/** Brings a file of an older schema to SCHEMA_VERSION, step by step, in the caller's transaction. */
function upgrade(db: DatabaseSync, file: string, from: number): void {
  if (from < 2) db.exec("ALTER TABLE records ADD COLUMN generation INTEGER NOT NULL DEFAULT 0");
  if (from < 3) {
    // An older cskit that runs now trusts its pid row: let it finish first.
    const held = db.prepare("SELECT pid, host FROM lock WHERE id = 1").get() as
      | { pid: number; host: string }
      | undefined;
    if (held && held.host === hostname() && held.pid !== process.pid && alive(held.pid))
      throw new MigrateError(
        `an older cskit (pid ${held.pid}) is using ${file}: let it finish, then run this one`,
      );
    db.exec("DROP TABLE lock");
    db.exec("ALTER TABLE records ADD COLUMN unconfirmed INTEGER NOT NULL DEFAULT 0");
    db.exec("ALTER TABLE runs ADD COLUMN host TEXT");
  }
  db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
}

/** For the upgrade from schema 2 only: whether the pid of an older cskit's lock row still runs. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** An error of SQLite during a run (a full disk, a failing disk), as one MigrateError saying what to do. */
export function explainStateError(error: unknown, file: string): unknown {
  if (error instanceof MigrateError || sqliteCode(error) === undefined) return error;
  return new MigrateError(`state file ${file}: ${sqliteReason(error, file, false)}`, { cause: error });
}

/** A prepared statement with its parameters' and rows' types. */
interface Statement<P extends SQLInputValue[], R> {
  run(...params: P): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

/** The state file of one migration. Synchronous: `node:sqlite` calls are short and never yield. */
/** The `account` of each helpdesk, when known: a state file is bound to them. */
export interface Accounts {
  from?: string | undefined;
  to?: string | undefined;
}

export class StateStore {
  readonly file: string;
  private readonly db: DatabaseSync;
  private lock: RunLock | undefined;
  private readonly statements = new Map<string, StatementSync>();
  /** The last read-order number handed out. */
  private seq = 0;
  /** The read-order number before this run's first record: the write phase starts after it. */
  seqAtStart = 0;

  private constructor(file: string, db: DatabaseSync) {
    this.file = file;
    this.db = db;
  }

  /** Writes waiting in the open transaction (see `later`). */
  private waiting = 0;

  /**
   * Runs a write that may wait for the next commit: losing it to a crash only means a record is
   * looked at again on the next run (a done mark lost leaves the record in flight: reconciled, never
   * created twice). Such writes ride along with the next in-flight mark's commit, or every 256 writes.
   */
  private later<T>(write: () => T): T {
    if (!this.db.isTransaction) this.db.exec("BEGIN");
    const result = write();
    if (++this.waiting >= 256) this.commit();
    return result;
  }

  /** Makes every waiting write durable. */
  commit(): void {
    if (this.db.isTransaction) this.db.exec("COMMIT");
    this.waiting = 0;
  }

  /** Runs `work` in one transaction of its own, after the writes waiting for a commit. */
  private atomically<T>(work: () => T, mode: "DEFERRED" | "IMMEDIATE" = "DEFERRED"): T {
    this.commit();
    return transaction(this.db, work, mode);
  }

  /** A prepared statement, prepared once per store: preparing costs more than running. */
  private sql<P extends SQLInputValue[] = SQLInputValue[], R = unknown>(text: string): Statement<P, R> {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement as unknown as Statement<P, R>;
  }

  /**
   * Opens (or creates) a state file. `readonly` never creates nor changes anything. A file that is
   * not a cskit state file (another application's database) is refused before anything is written.
   */
  static open(file: string, options: { readonly?: boolean } = {}): StateStore {
    const readonly = options.readonly ?? false;
    if (readonly && file !== ":memory:" && !existsSync(file))
      throw new MigrateError(`no migration state at ${file}: run cskit migrate first`);
    let db: DatabaseSync;
    try {
      if (!readonly && file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
      db = openDatabase(file, readonly);
    } catch (error) {
      throw new MigrateError(`cannot open state file ${file}: ${sqliteReason(error, file, readonly)}`, {
        cause: error,
      });
    }
    try {
      db.exec("PRAGMA busy_timeout = 5000");
      const kind = kindOf(db);
      if (kind === "foreign")
        throw new MigrateError(
          `${file} is not a cskit state file (it holds another application's data): nothing was written to it; pass another --state`,
        );
      const version = Number(pragma(db, "user_version"));
      if (version > SCHEMA_VERSION)
        throw new MigrateError(
          `state file ${file} has schema version ${version}; this cskit reads version ${SCHEMA_VERSION}: upgrade cskit`,
        );
      if (kind === "empty") {
        if (readonly) throw new MigrateError(`${file} is not a cskit migrate state file`);
        db.exec("PRAGMA journal_mode = WAL");
        transaction(
          db,
          () => {
            db.exec(SCHEMA);
            db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
            db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
          },
          "IMMEDIATE",
        );
      } else if (version < SCHEMA_VERSION && !readonly) {
        // Read-only use (status, report, dry run) reads an older file as it is.
        transaction(db, () => upgrade(db, file, version), "IMMEDIATE");
      }
      // WAL with synchronous=NORMAL: a committed transaction survives the process being killed.
      if (!readonly) db.exec("PRAGMA synchronous = NORMAL");
      // Checkpoints every 10,000 pages (a WAL of up to 40 MB) instead of 1,000: a page written again
      // and again (the marks of each record) is copied into the file once per checkpoint, and there
      // are fewer fsyncs. Checkpoints never decide what survives a kill: a commit in the WAL does.
      if (!readonly) db.exec(`PRAGMA wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    } catch (error) {
      db.close();
      if (error instanceof MigrateError) throw error;
      throw new MigrateError(`cannot use state file ${file}: ${sqliteReason(error, file, readonly)}`, {
        cause: error,
      });
    }
    return new StateStore(file, db);
  }

  close(): void {
    try {
      this.commit();
    } finally {
      this.db.close();
      this.releaseLock();
    }
  }

  /** Refuses a file that belongs to another pair of providers. */
  checkProviders(from: string, to: string, accounts: Accounts = {}): void {
    const get = this.sql<[string], { value: string }>("SELECT value FROM meta WHERE key = ?");
    const storedFrom = get.get("from")?.value;
    const storedTo = get.get("to")?.value;
    if (storedFrom !== undefined && (storedFrom !== from || storedTo !== to))
      throw new MigrateError(
        `state file ${this.file} belongs to a migration from ${storedFrom} to ${storedTo}, not from ${from} to ${to}`,
      );
    // Another account (a different base URL, app, consumer or client id) holds other customers:
    // the state's "done" would claim records that this target has never seen.
    for (const side of ["from", "to"] as const) {
      const stored = get.get(`${side}Account`)?.value;
      const given = accounts[side];
      if (stored !== undefined && given !== undefined && stored !== given)
        throw new MigrateError(
          `state file ${this.file} belongs to another ${side === "from" ? "source" : "target"} account (${stored}), not ${given}; use another --state`,
        );
    }
  }

  /** Remembers which providers and accounts this file is for, and refuses others. */
  bindProviders(from: string, to: string, accounts: Accounts = {}): void {
    this.checkProviders(from, to, accounts);
    const put = this.sql("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)");
    this.atomically(() => {
      put.run("from", from);
      put.run("to", to);
      if (accounts.from !== undefined) put.run("fromAccount", accounts.from);
      if (accounts.to !== undefined) put.run("toAccount", accounts.to);
    });
  }

  /** The run that holds the lock now, from its row: `running` while a live process holds `<state>.lock`. */
  private holder(): { pid: number; host: string; since: string } | undefined {
    const run = this.sql<[], { pid: number; host: string | null; started_at: string }>(
      "SELECT pid, host, started_at FROM runs WHERE status = 'running' ORDER BY id DESC LIMIT 1",
    ).get();
    return run && { pid: run.pid, host: run.host ?? "?", since: run.started_at };
  }

  /**
   * For a run that cannot have ended well: marks the runs left "running" interrupted, when no process
   * holds the lock. A live holder is never disturbed: this throws, naming it. (The operating system
   * releases the lock of a killed process by itself; this only tidies the run history.) Returns the
   * run that was marked, or undefined when there was none.
   */
  breakLock(): { pid: number; host: string; since: string } | undefined {
    if (RunLock.isHeld(this.file)) throw new MigrateError(this.busyMessage("cskit migrate"));
    return this.atomically(() => {
      const held = this.holder();
      this.sql("UPDATE runs SET status = 'interrupted' WHERE status = 'running'").run();
      return held;
    }, "IMMEDIATE");
  }

  private busyMessage(who: string): string {
    const held = this.holder();
    const by = held ? ` (pid ${held.pid} on ${held.host}, since ${held.since})` : "";
    return (
      `another ${who}${by} is using ${this.file}; wait for it to finish, or stop it: ` +
      "two runs on one state would double the work (its lock ends with its process)"
    );
  }

  /**
   * Takes the run lock (`<state>.lock`, held by the operating system until this store closes or the
   * process ends), or throws if another live process holds it. Runs left "running" by a process that
   * died are marked interrupted.
   */
  acquireLock(who = "cskit migrate"): void {
    if (this.lock) return;
    this.lock = RunLock.acquire(this.file, () => this.busyMessage(who));
    this.atomically(() => this.sql("UPDATE runs SET status = 'interrupted' WHERE status = 'running'").run());
  }

  releaseLock(): void {
    this.lock?.release();
    this.lock = undefined;
  }

  startRun(): number {
    const result = this.sql(
      "INSERT INTO runs (started_at, status, pid, host) VALUES (?, 'running', ?, ?)",
    ).run(now(), process.pid, hostname());
    const runId = Number(result.lastInsertRowid);
    this.seq = this.sql<[], { n: number | null }>("SELECT max(scan_seq) AS n FROM records").get()?.n ?? 0;
    this.seqAtStart = this.seq;
    return runId;
  }

  finishRun(runId: number, status: "done" | "failed" | "interrupted", summary: unknown): void {
    this.commit();
    this.sql("UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?").run(
      now(),
      status,
      JSON.stringify(summary),
      runId,
    );
  }

  lookup(sourceId: string): RecordRow | undefined {
    return this.sql<[string], RecordRow>("SELECT * FROM records WHERE source_id = ?").get(sourceId);
  }

  /** Records one page of the source listing, in one transaction. Returns what each record needs. */
  scan(runId: number, batch: ScannedRecord[]): ScanKind[] {
    // A new record is inserted without a lookup first (on a first run, every record is new).
    const insert = this.sql(
      `INSERT INTO records (source_id, content_hash, status, action, email, payload, seen_run, action_run, first_seen_at,
       updated_at, scan_seq) VALUES (?, ?, 'pending', 'pending', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO NOTHING`,
    );
    const unchanged = this.sql(
      `UPDATE records SET content_hash = ?, email = ?, payload = NULL, seen_run = ?, action = 'unchanged', reason = NULL,
       action_run = ? WHERE source_id = ?`,
    );
    const todo = this.sql(
      `UPDATE records SET content_hash = ?, email = ?, payload = ?, seen_run = ?, action = 'pending', reason = NULL,
       action_run = ?, status = CASE WHEN unsure = 1 THEN 'in_flight' ELSE 'pending' END, updated_at = ?, scan_seq = ?
       WHERE source_id = ?`,
    );
    return this.atomically(() => {
      const at = now();
      return batch.map((r): ScanKind => {
        const email = r.email ?? null;
        const seq = this.seq + 1;
        if (insert.run(r.sourceId, r.hash, email, r.payload, runId, runId, at, at, seq).changes === 1) {
          this.seq = seq;
          return "new";
        }
        const row = this.lookup(r.sourceId) as RecordRow;
        // Listed twice in one run (the list shifted between pages): the first sighting stands; a
        // record already handed to a writer must not be handed to a second one.
        if (row.seen_run === runId) return "repeat";
        if (row.status === "done" && row.target_id !== null && row.migrated_hash === r.hash) {
          unchanged.run(r.hash, email, runId, runId, r.sourceId);
          return "unchanged";
        }
        todo.run(r.hash, email, r.payload, runId, runId, at, ++this.seq, r.sourceId);
        if (row.target_id !== null) return "changed";
        return row.status === "deleted" ? "new" : "retry";
      });
    });
  }

  /** The next records to write, in read order after `seq`; a page at a time keeps memory flat. */
  todoAfter(seq: number, limit: number): RecordRow[] {
    // The limit in the text, not bound: a bound LIMIT made SQLite prepare the statement again at each call.
    return this.sql<[number], RecordRow>(
      `SELECT * FROM records WHERE scan_seq > ? AND status IN ('pending', 'in_flight') ORDER BY scan_seq LIMIT ${Math.trunc(limit)}`,
    ).all(seq);
  }

  /** Written before a create is sent: if the process dies now, the next run reconciles first. */
  markInFlight(sourceId: string, attemptHash: string): void {
    this.markAllInFlight([{ sourceId, attemptHash }]);
  }

  /**
   * `markInFlight` for a batch of creates, in one commit: each is durable before its request leaves.
   * A crash before one is sent costs the next run an email lookup for it, never a second create.
   */
  markAllInFlight(marks: readonly { sourceId: string; attemptHash: string }[]): void {
    const mark = this.sql(
      `UPDATE records SET status = 'in_flight', unsure = 1, attempt_hash = ?, attempts = attempts + 1, updated_at = ?
         WHERE source_id = ?`,
    );
    if (!this.db.isTransaction) this.db.exec("BEGIN");
    const at = now();
    for (const { sourceId, attemptHash } of marks) mark.run(attemptHash, at, sourceId);
    // Durable before the requests leave, with every write that was waiting.
    this.commit();
  }

  /** Records marked in flight whose create was never sent (the run stopped first), back as they were. */
  unmarkUnsent(rows: readonly RecordRow[]): void {
    const back = this.sql(
      "UPDATE records SET status = ?, unsure = ?, attempt_hash = ?, attempts = ?, updated_at = ? WHERE source_id = ?",
    );
    this.atomically(() => {
      const at = now();
      for (const r of rows) back.run(r.status, r.unsure, r.attempt_hash, r.attempts, at, r.source_id);
    });
  }

  countAttempt(sourceId: string): void {
    this.later(() =>
      this.sql("UPDATE records SET attempts = attempts + 1, updated_at = ? WHERE source_id = ?").run(
        now(),
        sourceId,
      ),
    );
  }

  /** The source record that already owns this target record, if any. */
  ownerOf(targetId: string): string | undefined {
    return this.sql<[string], { source_id: string }>(
      "SELECT source_id FROM records WHERE target_id = ? LIMIT 1",
    ).get(targetId)?.source_id;
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
    // One statement: the ownership check and the write go together.
    const result = this.later(() =>
      this.sql(
        `UPDATE records SET status = 'done', action = ?, target_id = ?, migrated_hash = ?, unsure = 0,
         attempt_hash = NULL, payload = NULL, reason = NULL, unconfirmed = ?, updated_at = ?
         WHERE source_id = ? AND NOT EXISTS (SELECT 1 FROM records o WHERE o.target_id = ? AND o.source_id <> ?)`,
      ).run(action, targetId, migratedHash, unconfirmed ? 1 : 0, now(), sourceId, targetId, sourceId),
    );
    return result.changes === 1;
  }

  /** A record that could not be written. `unsure` keeps a possibly-created record marked for reconciliation. */
  markFailed(sourceId: string, reason: string, unsure: boolean): void {
    this.later(() =>
      this.sql(
        `UPDATE records SET status = 'failed', action = 'failed', reason = ?, unsure = ?, updated_at = ?
         WHERE source_id = ?`,
      ).run(reason, unsure ? 1 : 0, now(), sourceId),
    );
  }

  /**
   * A create answered with the id of a record that no longer exists (its key was replayed): nothing
   * was created; the next create gets a new generation, so a new key. It stays unsure: should the
   * "not found" have been a read that lagged behind the create, the next run finds the record by
   * email before it sends anything.
   */
  markReplayed(sourceId: string, reason: string): void {
    this.later(() =>
      this.sql(
        `UPDATE records SET status = 'failed', action = 'failed', reason = ?, unsure = 1, attempt_hash = NULL,
         target_id = NULL, migrated_hash = NULL, unconfirmed = 0, generation = generation + 1, updated_at = ?
         WHERE source_id = ?`,
      ).run(reason, now(), sourceId),
    );
  }

  /** Records created where a key may be replayed and not read back yet (see confirm.ts). */
  countUnconfirmed(): number {
    return (
      this.sql<[], { n: number }>("SELECT count(*) AS n FROM records WHERE unconfirmed = 1").get()?.n ?? 0
    );
  }

  /** The next of those, by source id. */
  unconfirmedAfter(sourceId: string, limit: number): RecordRow[] {
    return this.sql<[string, number], RecordRow>(
      "SELECT * FROM records WHERE unconfirmed = 1 AND source_id > ? ORDER BY source_id LIMIT ?",
    ).all(sourceId, limit);
  }

  /** These target records exist: the records created as them are confirmed. */
  confirmTargets(targetIds: readonly string[]): void {
    const confirm = this.sql("UPDATE records SET unconfirmed = 0 WHERE target_id = ? AND unconfirmed = 1");
    this.atomically(() => {
      for (const id of targetIds) confirm.run(id);
    });
  }

  /** Records the source no longer lists (only meaningful after a complete scan). */
  countDisappeared(runId: number): number {
    return (
      this.sql<[number], { n: number }>(
        "SELECT count(*) AS n FROM records WHERE seen_run < ? AND status <> 'deleted'",
      ).get(runId)?.n ?? 0
    );
  }

  /** Records not deleted: what a complete listing of the source should hold. */
  countActive(): number {
    return (
      this.sql<[], { n: number }>("SELECT count(*) AS n FROM records WHERE status <> 'deleted'").get()?.n ?? 0
    );
  }

  disappeared(runId: number, after: string, limit: number): RecordRow[] {
    return this.sql<[number, string, number], RecordRow>(
      `SELECT * FROM records WHERE seen_run < ? AND status <> 'deleted' AND source_id > ?
         ORDER BY source_id LIMIT ?`,
    ).all(runId, after, limit);
  }

  /** Reported as gone from the source; `reason` says why its target copy was kept, if it was asked to go. */
  markDisappeared(runId: number, sourceId: string, reason?: string): void {
    this.later(() =>
      this.sql(
        "UPDATE records SET action = 'disappeared', action_run = ?, reason = ?, updated_at = ? WHERE source_id = ?",
      ).run(runId, reason ?? null, now(), sourceId),
    );
  }

  /** The source still has it, though its listing did not show it: seen in this run after all. */
  markStillThere(runId: number, sourceId: string): void {
    this.later(() =>
      this.sql("UPDATE records SET seen_run = ?, updated_at = ? WHERE source_id = ?").run(
        runId,
        now(),
        sourceId,
      ),
    );
  }

  /** The target copy is deleted: a later create of this record is a new generation, with a new key. */
  markDeleted(runId: number, sourceId: string): void {
    this.later(() =>
      this.sql(
        `UPDATE records SET status = 'deleted', action = 'deleted', action_run = ?, target_id = NULL, migrated_hash = NULL,
         unsure = 0, payload = NULL, reason = NULL, generation = generation + 1, updated_at = ? WHERE source_id = ?`,
      ).run(runId, now(), sourceId),
    );
  }

  addDropped(runId: number, fields: readonly string[]): void {
    if (fields.length === 0) return;
    const add = this.sql(
      `INSERT INTO dropped (run_id, field, count) VALUES (?, ?, 1)
       ON CONFLICT (run_id, field) DO UPDATE SET count = count + 1`,
    );
    this.later(() => {
      for (const field of fields) add.run(runId, field);
    });
  }

  dropped(runId: number): Record<string, number> {
    const rows = this.sql<[number], { field: string; count: number }>(
      "SELECT field, count FROM dropped WHERE run_id = ? ORDER BY field",
    ).all(runId);
    return Object.fromEntries(rows.map((r) => [r.field, r.count]));
  }

  /** Starts a fresh index of the target's emails (for `match: "email"`). */
  clearTargetEmails(): void {
    this.sql("DELETE FROM target_emails").run();
  }

  addTargetEmails(rows: { email: string; targetId: string }[]): void {
    const add = this.sql("INSERT INTO target_emails (email, target_id) VALUES (?, ?)");
    this.atomically(() => {
      for (const r of rows) add.run(r.email, r.targetId);
    });
  }

  /** Target records with this email (lower-cased by the caller) that no source record owns yet. */
  freeTargetsByEmail(email: string): string[] {
    return this.sql<[string], { target_id: string }>(
      `SELECT DISTINCT target_id FROM target_emails t WHERE email = ?
         AND NOT EXISTS (SELECT 1 FROM records r WHERE r.target_id = t.target_id)`,
    )
      .all(email)
      .map((r) => r.target_id);
  }

  /** The rows a run touched, for the per-record report, in pages. */
  *report(runId: number): Generator<ReportRow> {
    const page = this.sql<[number, string], ReportRow>(
      `SELECT source_id, target_id, action, reason FROM records WHERE action_run = ? AND source_id > ?
       ORDER BY source_id LIMIT 500`,
    );
    let after = "";
    for (;;) {
      const rows = page.all(runId, after);
      if (rows.length === 0) return;
      yield* rows;
      after = (rows.at(-1) as ReportRow).source_id;
    }
  }

  lastRunId(): number | undefined {
    return this.sql<[], { id: number }>("SELECT max(id) AS id FROM runs").get()?.id ?? undefined;
  }

  status(failureLimit = 20): StateStatus {
    const meta = Object.fromEntries(
      this.sql<[], { key: string; value: string }>("SELECT key, value FROM meta")
        .all()
        .map((r) => [r.key, r.value]),
    );
    const byStatus = Object.fromEntries(
      this.sql<[], { status: string; n: number }>(
        "SELECT status, count(*) AS n FROM records GROUP BY status ORDER BY status",
      )
        .all()
        .map((r) => [r.status, r.n]),
    );
    const last = this.sql<[], RunRow>("SELECT * FROM runs ORDER BY id DESC LIMIT 1").get();
    const running = RunLock.isHeld(this.file)
      ? (this.holder() ?? { pid: 0, host: "?", since: "?" })
      : undefined;
    const lastRun = last && {
      ...last,
      status: last.status === "running" && !running ? "interrupted" : last.status,
      summary: last.summary ? JSON.parse(last.summary) : undefined,
    };
    return {
      file: this.file,
      from: meta.from,
      to: meta.to,
      records: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus,
      unsure: this.sql<[], { n: number }>("SELECT count(*) AS n FROM records WHERE unsure = 1").get()?.n ?? 0,
      lastRun,
      running,
      failures: this.sql<[number], { source_id: string; reason: string; attempts: number }>(
        "SELECT source_id, reason, attempts FROM records WHERE status = 'failed' ORDER BY source_id LIMIT ?",
      )
        .all(failureLimit)
        .map((r) => ({ sourceId: r.source_id, reason: r.reason, attempts: r.attempts })),
    };
  }
}
