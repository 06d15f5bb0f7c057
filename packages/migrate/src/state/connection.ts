// One open state file: its prepared statements, and writes that wait for the next commit.
import { MigrateError } from "../errors.js";
import {
  type DatabaseSync,
  type SQLInputValue,
  type StatementSync,
  sqliteCode,
  sqliteReason,
  transaction,
} from "./sqlite.js";

let lastMs = Number.NaN;
let lastIso = "";

/** The time now, as an ISO string: formatted once per millisecond (a run stamps several rows in each). */
export function now(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** A prepared statement with its parameters' and rows' types. */
interface Statement<P extends SQLInputValue[], R> {
  run(...params: P): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

export class Connection {
  private readonly statements = new Map<string, StatementSync>();
  /** Writes waiting in the open transaction (see `later`). */
  private waiting = 0;

  constructor(
    readonly file: string,
    readonly db: DatabaseSync,
  ) {}

  /**
   * Runs a write that may wait for the next commit: losing it to a crash only means a record is
   * looked at again on the next run (a done mark lost leaves the record in flight: reconciled, never
   * created twice). Such writes ride along with the next in-flight mark's commit, or every 256 writes.
   */
  later<T>(write: () => T): T {
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
  atomically<T>(work: () => T, mode: "DEFERRED" | "IMMEDIATE" = "DEFERRED"): T {
    this.commit();
    return transaction(this.db, work, mode);
  }

  /** A prepared statement, prepared once per connection: preparing costs more than running. */
  sql<P extends SQLInputValue[] = SQLInputValue[], R = unknown>(text: string): Statement<P, R> {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement as unknown as Statement<P, R>;
  }
}

/** An error of SQLite during a run (a full disk, a failing disk), as one MigrateError saying what to do. */
export function explainStateError(error: unknown, file: string): unknown {
  if (error instanceof MigrateError || sqliteCode(error) === undefined) return error;
  return new MigrateError(`state file ${file}: ${sqliteReason(error, file, false)}`, { cause: error });
}
