// Records the source no longer lists, and their deletes.
import { type Connection, now } from "./connection.js";
import type { RecordRow } from "./rows.js";

export class Disappeared {
  constructor(private readonly c: Connection) {}

  /** Records the source no longer lists (only meaningful after a complete scan). */
  countDisappeared(runId: number): number {
    return (
      this.c
        .sql<[number], { n: number }>(
          "SELECT count(*) AS n FROM records WHERE seen_run < ? AND status <> 'deleted'",
        )
        .get(runId)?.n ?? 0
    );
  }

  /** Records not deleted: what a complete listing of the source should hold. */
  countActive(): number {
    return (
      this.c.sql<[], { n: number }>("SELECT count(*) AS n FROM records WHERE status <> 'deleted'").get()?.n ??
      0
    );
  }

  disappeared(runId: number, after: string, limit: number): RecordRow[] {
    return this.c
      .sql<[number, string, number], RecordRow>(
        `SELECT * FROM records WHERE seen_run < ? AND status <> 'deleted' AND source_id > ?
         ORDER BY source_id LIMIT ?`,
      )
      .all(runId, after, limit);
  }

  /** Reported as gone from the source; `reason` says why its target copy was kept, if it was asked to go. */
  markDisappeared(runId: number, sourceId: string, reason?: string): void {
    this.c.later(() =>
      this.c
        .sql(
          "UPDATE records SET action = 'disappeared', action_run = ?, reason = ?, updated_at = ? WHERE source_id = ?",
        )
        .run(runId, reason ?? null, now(), sourceId),
    );
  }

  /** The source still has it, though its listing did not show it: seen in this run after all. */
  markStillThere(runId: number, sourceId: string): void {
    this.c.later(() =>
      this.c
        .sql("UPDATE records SET seen_run = ?, updated_at = ? WHERE source_id = ?")
        .run(runId, now(), sourceId),
    );
  }

  /** The target copy is deleted: a later create of this record is a new generation, with a new key. */
  markDeleted(runId: number, sourceId: string): void {
    this.c.later(() =>
      this.c
        .sql(
          `UPDATE records SET status = 'deleted', action = 'deleted', action_run = ?, target_id = NULL, migrated_hash = NULL,
         unsure = 0, payload = NULL, reason = NULL, generation = generation + 1, updated_at = ? WHERE source_id = ?`,
        )
        .run(runId, now(), sourceId),
    );
  }
}
