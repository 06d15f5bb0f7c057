// The ledger of a bulk create (`cskit <api> customers create --file x.ndjson`), kept in the same
// SQLite state store as a migration: WAL, a lock against concurrent runs, and an "in flight" mark
// committed before each create, so that a SIGKILL never leads to a record created twice.
import { StateStore } from "../state/store.js";

/** What the ledger knows of one line's record. */
export type LedgerEntry = { status: "created"; id: string } | { status: "unsure" } | { status: "new" };

export class CreateLedger {
  private constructor(
    private readonly store: StateStore,
    private readonly runId: number,
  ) {}

  /**
   * Opens (or creates) the ledger file and takes its lock; a second run on it is refused. With
   * `account` (`Helpdesk.account`), a ledger of another account is refused too: its "created" would
   * skip records this account has never seen.
   */
  static open(file: string, api: string, account?: string): CreateLedger {
    const store = StateStore.open(file);
    try {
      // The lock first: binding writes, and a live run may hold the file's write lock for a moment.
      store.acquireLock(`cskit ${api} customers create`);
      store.bindProviders("file", api, { to: account });
      return new CreateLedger(store, store.startRun());
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /** Registers this run's records by their content keys, in one transaction. */
  add(entries: { key: string; line: number }[]): void {
    for (let i = 0; i < entries.length; i += 500)
      this.store.scan(
        this.runId,
        entries
          .slice(i, i + 500)
          .map((e) => ({ sourceId: e.key, hash: e.key, email: undefined, payload: String(e.line) })),
      );
  }

  entry(key: string): LedgerEntry {
    const row = this.store.lookup(key);
    if (row?.status === "done" && row.target_id !== null) return { status: "created", id: row.target_id };
    if (row?.unsure === 1) return { status: "unsure" };
    return { status: "new" };
  }

  /** Committed before the create is sent. */
  sending(key: string): void {
    this.store.markInFlight(key, key);
  }

  created(key: string, id: string): void {
    this.store.markDone(key, id, "created", key);
  }

  /** The record's create generation: bumped when a create was answered with a replayed, deleted id. */
  generation(key: string): number {
    return this.store.lookup(key)?.generation ?? 0;
  }

  /**
   * The create was answered with the id of a record that no longer exists (a replayed key): nothing
   * was created; the next run looks the record up by email, then sends it with a new key.
   */
  replayed(key: string, reason: string): void {
    this.store.markReplayed(key, reason);
  }

  /** The line whose record this target id is, if the ledger has it (a found record is never given to two lines). */
  ownerOf(id: string): string | undefined {
    return this.store.ownerOf(id);
  }

  /** `unsure`: the create may have reached the server (a lost answer); it is not sent blindly again. */
  failed(key: string, reason: string, unsure: boolean): void {
    this.store.markFailed(key, reason, unsure);
  }

  close(summary: unknown): void {
    this.store.finishRun(this.runId, "done", summary);
    this.store.close();
  }
}
