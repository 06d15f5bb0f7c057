import type { Helpdesk, UnifiedCustomerInput } from "@cskit/helpdesk";
import { MigrateError } from "../errors.js";

/** What the target would receive for one unified customer, and the fields it cannot hold (`fromUnified`). */
export type PreviewFn = (customer: UnifiedCustomerInput) => { record: unknown; dropped: string[] };

export interface MigrateOptions {
  from: Helpdesk;
  to: Helpdesk;
  /** Path of the SQLite state file; created if missing. See `defaultStatePath`. */
  state: string;
  /** Read the source and report what would happen; write nothing, not even the state file. */
  dryRun?: boolean | undefined;
  /** Link a new source record to a target record that already has its email (default), or never. */
  match?: "email" | "none" | undefined;
  /**
   * The most writes in flight at once (1..64). Default 32. Below it, the target client's traffic
   * policy decides how many go at once: it adapts to the target's latency and 429s.
   */
  concurrency?: number | undefined;
  /** Fields the target cannot hold: only counted in the summary (default), or also appended to notes. */
  leftovers?: "report" | "notes" | undefined;
  /**
   * Delete target records whose source record disappeared. Default false: they are only reported.
   * Each one is confirmed gone at the source (a read of the record) before its copy is deleted.
   */
  propagateDeletes?: boolean | undefined;
  /**
   * With `propagateDeletes`: the most target records one run may delete. When more records disappeared
   * than this, the listing is suspect (a glitch, a token that lost its rights): none is deleted, and
   * the summary says how many were held back. Default: 10% of the records the state knows, at least 1.
   * An empty source listing never deletes anything.
   */
  maxDeletes?: number | undefined;
  /** The target mapping (`fromUnified` of @cskit/helpdesk): dry-run samples, dropped counts, notes before a write. */
  preview?: PreviewFn | undefined;
  /** Records shown side by side in a dry run. Default 5. */
  samples?: number | undefined;
  /** Stops the run between records; records in flight finish first. */
  signal?: AbortSignal | undefined;
}

/**
 * Writes in flight at most, by default: at 40 ms a request, 32 in flight allow 800 requests a second,
 * above the vendors' documented limits, so the target's limit (and its client's pacing) is what binds.
 */
export const DEFAULT_CONCURRENCY = 32;

/** Refuses options no run can honour, before anything is read or written. */
export function checkOptions(options: MigrateOptions): void {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new MigrateError(`concurrency must be a whole number from 1 to 64, not ${concurrency}`);
  const { maxDeletes } = options;
  if (
    maxDeletes !== undefined &&
    !(maxDeletes === Number.POSITIVE_INFINITY || (Number.isInteger(maxDeletes) && maxDeletes >= 0))
  )
    throw new MigrateError(`maxDeletes must be a whole number, 0 or more, not ${maxDeletes}`);
}
