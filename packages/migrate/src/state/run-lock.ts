// One run per state file, held by the operating system: `<state>.lock` is a SQLite file kept in an
// exclusive transaction for the run's life. The OS releases that lock when the process ends, however
// it ends (SIGKILL, an OOM kill, a container stopped), so a restart never finds a stale lock, and no
// pid is compared (in a container every run is pid 1). The state file itself stays readable meanwhile.
import { MigrateError } from "../errors.js";
import { type DatabaseSync, isBusy, openDatabase, sqliteReason } from "./sqlite.js";

/** How long a run waits for a lock that is only briefly held (`migrate status` peeking at it). */
const BRIEF_HOLD_MS = 2000;

/** The lock file of a state file. */
export function lockFileOf(stateFile: string): string {
  return `${stateFile}.lock`;
}

export class RunLock {
  private constructor(private db: DatabaseSync | undefined) {}

  /**
   * Takes the lock of `stateFile`, or throws a MigrateError naming `holder` when a live process
   * holds it. A `:memory:` state has nothing to share, and takes none.
   */
  static acquire(stateFile: string, busy: () => string): RunLock {
    if (stateFile === ":memory:") return new RunLock(undefined);
    const file = lockFileOf(stateFile);
    let db: DatabaseSync | undefined;
    try {
      db = openDatabase(file);
      db.exec(`PRAGMA busy_timeout = ${BRIEF_HOLD_MS}`);
      db.exec("BEGIN EXCLUSIVE");
      return new RunLock(db);
    } catch (error) {
      db?.close();
      if (isBusy(error)) throw new MigrateError(busy());
      throw new MigrateError(`cannot lock ${file}: ${sqliteReason(error, file, false)}`, { cause: error });
    }
  }

  /** True when a live process holds the lock of `stateFile` now. Takes no lock that lasts. */
  static isHeld(stateFile: string): boolean {
    if (stateFile === ":memory:") return false;
    let db: DatabaseSync | undefined;
    try {
      db = openDatabase(lockFileOf(stateFile), true);
      db.exec("PRAGMA busy_timeout = 0");
      // A read needs a shared lock, which an exclusive holder refuses.
      db.prepare("SELECT count(*) FROM sqlite_schema").get();
      return false;
    } catch (error) {
      // No lock file (never locked, or a read-only folder): nobody holds it.
      return isBusy(error);
    } finally {
      db?.close();
    }
  }

  /** Lets the next run start. Also happens when the process ends. */
  release(): void {
    if (!this.db) return;
    try {
      this.db.exec("ROLLBACK");
    } finally {
      this.db.close();
      this.db = undefined;
    }
  }
}
