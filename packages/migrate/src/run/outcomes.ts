import type { RecordAction, RecordRow } from "../state/store.js";
import type { Run } from "./run.js";

/** Each record's outcome: counted in the summary, and reported as a progress event. */
export class Outcomes {
  done = 0;
  /** Records to write known so far; final once the source is read. */
  total = 0;

  constructor(private readonly run: Run) {}

  finish(row: RecordRow, action: RecordAction, targetId?: string, reason?: string): void {
    const { summary } = this.run;
    if (action === "created") summary.created++;
    else if (action === "updated") summary.updated++;
    else if (action === "linked") summary.linked++;
    else if (action === "failed") summary.failed++;
    this.done++;
    this.emit(row, action, targetId, reason);
  }

  /** A create read back as gone (a replayed key): failed, no longer what this run counted it as. */
  replayed(row: RecordRow, reason: string, countedAs: RecordAction | undefined): void {
    const { summary } = this.run;
    if (countedAs === "created") summary.created--;
    else if (countedAs === "unchanged") summary.unchanged--;
    summary.failed++;
    this.emit(row, "failed", undefined, reason);
  }

  /** A target copy deleted because its source record disappeared: not one of the records to write. */
  deleted(row: RecordRow): void {
    this.run.summary.deleted++;
    this.emit(row, "deleted", row.target_id ?? undefined, undefined);
  }

  fail(row: RecordRow, reason: string, unsure: boolean): void {
    this.run.state.markFailed(row.source_id, reason, unsure);
    this.finish(row, "failed", row.target_id ?? undefined, reason);
  }

  private emit(row: RecordRow, action: RecordAction, targetId?: string, reason?: string): void {
    this.run.emit({
      type: "record",
      sourceId: row.source_id,
      targetId,
      action,
      reason,
      done: this.done,
      total: this.total,
    });
  }
}
