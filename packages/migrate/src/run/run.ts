import type { StateStore } from "../state/store.js";
import type { MigrateOptions } from "./options.js";
import type { MigrateEvent, MigrateSummary } from "./summary.js";

/** What the phases of one run (reading, writing, deletes) share. */
export interface Run {
  readonly options: MigrateOptions;
  readonly state: StateStore;
  readonly runId: number;
  readonly summary: MigrateSummary;
  readonly emit: (event: MigrateEvent) => void;
  /** Set when the run must stop: the caller stopped iterating, or a phase failed. */
  readonly halt: { now: boolean };
  /** Records the reader refused (a lone surrogate in the id or email), by stored id: the writer fails them. */
  readonly refused: Map<string, string>;
}

/** Whether the run must stop now: halted, or stopped by the caller's signal. */
export function stopped(run: Run): boolean {
  return run.halt.now || (run.options.signal?.aborted ?? false);
}

/** Records read from the state at a time. */
export const TODO_PAGE = 256;
