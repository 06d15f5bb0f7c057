// Node's built-in SQLite (`node:sqlite`, no native addon to build), and what its errors mean to a user.
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";

export type { SQLInputValue, StatementSync };
export { DatabaseSync };

/** Opens a database file (`:memory:` too). `readOnly` never creates it. */
export function openDatabase(file: string, readOnly = false): DatabaseSync {
  return new DatabaseSync(file, { readOnly });
}

/** One PRAGMA's value (`user_version`, `application_id`, ...). */
export function pragma(db: DatabaseSync, name: string): unknown {
  const row = db.prepare(`PRAGMA ${name}`).get() as Record<string, unknown> | undefined;
  return row === undefined ? undefined : Object.values(row)[0];
}

/** Runs `work` in one transaction: committed if it returns, rolled back if it throws. */
export function transaction<T>(
  db: DatabaseSync,
  work: () => T,
  mode: "DEFERRED" | "IMMEDIATE" = "DEFERRED",
): T {
  db.exec(`BEGIN ${mode}`);
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

// SQLite's primary result codes (https://sqlite.org/rescode.html); an extended code keeps its primary in the low byte.
const SQLITE_PERM = 3;
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;
const SQLITE_IOERR_LOCK = SQLITE_IOERR | (15 << 8);

/** SQLite's result code of an error from `node:sqlite`, if it is one. */
export function sqliteCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === "number" ? code : undefined;
}

/** True when SQLite answered "busy": another connection holds a lock this one needs. */
export function isBusy(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && ((code & 0xff) === SQLITE_BUSY || (code & 0xff) === SQLITE_LOCKED);
}

/**
 * Why SQLite or the file system refused `file`, and what to do, in words a user can act on.
 * `readOnly`: the file was opened only to read (status, report).
 */
export function sqliteReason(error: unknown, file: string, readOnly: boolean): string {
  const code = sqliteCode(error);
  const fsCode = (error as { code?: unknown } | null)?.code;
  if (code === SQLITE_IOERR_LOCK)
    return "the file system cannot lock files (a network share?): keep the state on a local disk";
  switch (code === undefined ? undefined : code & 0xff) {
    case SQLITE_NOTADB:
      return "it is not a SQLite file (not a cskit state file)";
    case SQLITE_CORRUPT:
      return "the file is damaged (not a valid SQLite database); restore it from a copy, or start over with a new --state";
    case SQLITE_FULL:
      return "the disk is full: free some space and run again (everything committed so far is kept)";
    case SQLITE_IOERR:
      return "the disk failed to read or write it (I/O error); check the disk, then run again";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "another program holds a lock on it (another cskit, or a tool that has it open); wait for it or close it, then run again";
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return denied(file, readOnly);
  }
  if (fsCode === "EACCES" || fsCode === "EPERM" || fsCode === "EROFS") return denied(file, readOnly);
  return error instanceof Error ? error.message : String(error);
}

function denied(file: string, readOnly: boolean): string {
  // Even a read needs the `-shm` file that SQLite keeps next to a WAL database.
  if (readOnly)
    return `cannot read it where it is: SQLite needs to create ${file}-shm next to it, and the file or its folder is read-only; copy it to a folder you can write`;
  return "permission denied: the file or its folder is read-only; run where you can write, or pass --state with a path you can write";
}
