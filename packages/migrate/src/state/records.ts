// The records of a state file: the scan of the source, then the marks of each write.
import { type Connection, now } from "./connection.js";
import type { RecordAction, RecordRow, ScanKind, ScannedRecord } from "./rows.js";

export class Records {
  /** The last read-order number handed out. */
  private seq = 0;

  constructor(private readonly c: Connection) {}

  /** A run starts: read order goes on after the last record read. Returns that last number. */
  startRun(): number {
    this.seq = this.c.sql<[], { n: number | null }>("SELECT max(scan_seq) AS n FROM records").get()?.n ?? 0;
    return this.seq;
  }

  lookup(sourceId: string): RecordRow | undefined {
    return this.c.sql<[string], RecordRow>("SELECT * FROM records WHERE source_id = ?").get(sourceId);
  }

  /** Records one page of the source listing, in one transaction. Returns what each record needs. */
  scan(runId: number, batch: ScannedRecord[]): ScanKind[] {
    // A new record is inserted without a lookup first (on a first run, every record is new).
    const insert = this.c.sql(
      `INSERT INTO records (source_id, content_hash, status, action, email, payload, seen_run, action_run, first_seen_at,
       updated_at, scan_seq) VALUES (?, ?, 'pending', 'pending', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO NOTHING`,
    );
    const unchanged = this.c.sql(
      `UPDATE records SET content_hash = ?, email = ?, payload = NULL, seen_run = ?, action = 'unchanged', reason = NULL,
       action_run = ? WHERE source_id = ?`,
    );
    const todo = this.c.sql(
      `UPDATE records SET content_hash = ?, email = ?, payload = ?, seen_run = ?, action = 'pending', reason = NULL,
       action_run = ?, status = CASE WHEN unsure = 1 THEN 'in_flight' ELSE 'pending' END, updated_at = ?, scan_seq = ?
       WHERE source_id = ?`,
    );
    return this.c.atomically(() => {
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
    return this.c
      .sql<[number], RecordRow>(
        `SELECT * FROM records WHERE scan_seq > ? AND status IN ('pending', 'in_flight') ORDER BY scan_seq LIMIT ${Math.trunc(limit)}`,
      )
      .all(seq);
  }

  /**
   * `markInFlight` for a batch of creates, in one commit: each is durable before its request leaves.
   * A crash before one is sent costs the next run an email lookup for it, never a second create.
   */
  markAllInFlight(marks: readonly { sourceId: string; attemptHash: string }[]): void {
    const mark = this.c.sql(
      `UPDATE records SET status = 'in_flight', unsure = 1, attempt_hash = ?, attempts = attempts + 1, updated_at = ?
         WHERE source_id = ?`,
    );
    if (!this.c.db.isTransaction) this.c.db.exec("BEGIN");
    const at = now();
    for (const { sourceId, attemptHash } of marks) mark.run(attemptHash, at, sourceId);
    // Durable before the requests leave, with every write that was waiting.
    this.c.commit();
  }

  /** Records marked in flight whose create was never sent (the run stopped first), back as they were. */
  unmarkUnsent(rows: readonly RecordRow[]): void {
    const back = this.c.sql(
      "UPDATE records SET status = ?, unsure = ?, attempt_hash = ?, attempts = ?, updated_at = ? WHERE source_id = ?",
    );
    this.c.atomically(() => {
      const at = now();
      for (const r of rows) back.run(r.status, r.unsure, r.attempt_hash, r.attempts, at, r.source_id);
    });
  }

  countAttempt(sourceId: string): void {
    this.c.later(() =>
      this.c
        .sql("UPDATE records SET attempts = attempts + 1, updated_at = ? WHERE source_id = ?")
        .run(now(), sourceId),
    );
  }

  /** The source record that already owns this target record, if any. */
  ownerOf(targetId: string): string | undefined {
    return this.c
      .sql<[string], { source_id: string }>("SELECT source_id FROM records WHERE target_id = ? LIMIT 1")
      .get(targetId)?.source_id;
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
    const result = this.c.later(() =>
      this.c
        .sql(
          `UPDATE records SET status = 'done', action = ?, target_id = ?, migrated_hash = ?, unsure = 0,
         attempt_hash = NULL, payload = NULL, reason = NULL, unconfirmed = ?, updated_at = ?
         WHERE source_id = ? AND NOT EXISTS (SELECT 1 FROM records o WHERE o.target_id = ? AND o.source_id <> ?)`,
        )
        .run(action, targetId, migratedHash, unconfirmed ? 1 : 0, now(), sourceId, targetId, sourceId),
    );
    return result.changes === 1;
  }

  /** A record that could not be written. `unsure` keeps a possibly-created record marked for reconciliation. */
  markFailed(sourceId: string, reason: string, unsure: boolean): void {
    this.c.later(() =>
      this.c
        .sql(
          `UPDATE records SET status = 'failed', action = 'failed', reason = ?, unsure = ?, updated_at = ?
         WHERE source_id = ?`,
        )
        .run(reason, unsure ? 1 : 0, now(), sourceId),
    );
  }

  /**
   * A create answered with the id of a record that no longer exists (its key was replayed): nothing
   * was created; the next create gets a new generation, so a new key. It stays unsure: should the
   * "not found" have been a read that lagged behind the create, the next run finds the record by
   * email before it sends anything.
   */
  markReplayed(sourceId: string, reason: string): void {
    this.c.later(() =>
      this.c
        .sql(
          `UPDATE records SET status = 'failed', action = 'failed', reason = ?, unsure = 1, attempt_hash = NULL,
         target_id = NULL, migrated_hash = NULL, unconfirmed = 0, generation = generation + 1, updated_at = ?
         WHERE source_id = ?`,
        )
        .run(reason, now(), sourceId),
    );
  }

  /** Records created where a key may be replayed and not read back yet (see confirm.ts). */
  countUnconfirmed(): number {
    return (
      this.c.sql<[], { n: number }>("SELECT count(*) AS n FROM records WHERE unconfirmed = 1").get()?.n ?? 0
    );
  }

  /** The next of those, by source id. */
  unconfirmedAfter(sourceId: string, limit: number): RecordRow[] {
    return this.c
      .sql<[string, number], RecordRow>(
        "SELECT * FROM records WHERE unconfirmed = 1 AND source_id > ? ORDER BY source_id LIMIT ?",
      )
      .all(sourceId, limit);
  }

  /** These target records exist: the records created as them are confirmed. */
  confirmTargets(targetIds: readonly string[]): void {
    const confirm = this.c.sql("UPDATE records SET unconfirmed = 0 WHERE target_id = ? AND unconfirmed = 1");
    this.c.atomically(() => {
      for (const id of targetIds) confirm.run(id);
    });
  }
}
