// The schema of a state file, its version and upgrades, and opening a file as a cskit state file.
import { existsSync, mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { MigrateError } from "../errors.js";
import { RunLock } from "./run-lock.js";
import { type DatabaseSync, openDatabase, pragma, sqliteReason, transaction } from "./sqlite.js";

/**
 * Bumped whenever the tables below change; a file from a newer cskit is refused. 3: the run lock
 * moved from a pid row to the operating system's lock (`<state>.lock`); a cskit that still trusts
 * the pid row must not run beside one that does not. 4: `records` is stored in read order.
 */
export const SCHEMA_VERSION = 4;

/**
 * The records, stored in read order (`scan_seq` is the rowid): the consecutive records that a page
 * of the source, a batch of marks or a batch of done marks writes share pages, where a table keyed
 * by the source's ids (random) dirtied a page per record in each of them. Until schema 3 the table
 * was keyed by `source_id` (WITHOUT ROWID); the columns are the same.
 */
const RECORDS_TABLE = (name: string) => `
CREATE TABLE ${name} (
  scan_seq INTEGER PRIMARY KEY,    -- read order of the records to write, increasing across runs: writers follow it
  source_id TEXT NOT NULL UNIQUE,
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
  action_run INTEGER NOT NULL,     -- the run that set action
  first_seen_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  generation INTEGER NOT NULL DEFAULT 0, -- bumped when the migration deletes the target copy: a new create gets a new key
  unconfirmed INTEGER NOT NULL DEFAULT 0 -- 1: created where a key may be replayed; read back before it counts (confirm.ts)
);`;

/** The columns of `records`, named for the copy of an older file's table. */
const RECORD_COLUMNS =
  "scan_seq, source_id, content_hash, migrated_hash, target_id, status, action, reason, attempts, unsure, " +
  "attempt_hash, email, payload, seen_run, action_run, first_seen_at, updated_at, generation, unconfirmed";

// No index on status: the write phase walks read order (the table's own order), which is cheaper than keeping one.
const RECORDS_INDEXES = `
CREATE INDEX records_target ON records (target_id);
CREATE INDEX records_run ON records (action_run);`;

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
${RECORDS_TABLE("records")}
${RECORDS_INDEXES}
CREATE TABLE dropped (run_id INTEGER NOT NULL, field TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (run_id, field));
CREATE TABLE target_emails (email TEXT NOT NULL, target_id TEXT NOT NULL);
CREATE INDEX target_emails_email ON target_emails (email);
`;

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
  if (from < 4) {
    // Not under a live run (an older cskit's): it finishes on the table it started with.
    if (RunLock.isHeld(file))
      throw new MigrateError(`a run is using ${file} (an older cskit?): let it finish, then run this one`);
    // The same rows, stored in read order. scan_seq is unique: each record read takes the next number.
    db.exec(RECORDS_TABLE("records_in_read_order"));
    db.exec(`INSERT INTO records_in_read_order (${RECORD_COLUMNS}) SELECT ${RECORD_COLUMNS} FROM records`);
    db.exec("DROP TABLE records");
    db.exec("ALTER TABLE records_in_read_order RENAME TO records");
    db.exec(RECORDS_INDEXES);
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

/**
 * Opens (or creates) a state file. `readonly` never creates nor changes anything. A file that is
 * not a cskit state file (another application's database) is refused before anything is written.
 */
export function openStateFile(file: string, readonly: boolean): DatabaseSync {
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
  return db;
}
