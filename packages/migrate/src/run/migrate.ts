import { explainStateError, StateStore } from "../state/store.js";
import { dryRun } from "./dry-run.js";
import { checkOptions, type MigrateOptions } from "./options.js";
import { readSource } from "./read-source.js";
import type { Run } from "./run.js";
import { emptySummary, type MigrateEvent, type MigrateSummary } from "./summary.js";
import { Writer } from "./writer.js";

/**
 * Moves every customer of `from` into `to`, yielding progress events and returning the summary.
 * State lives in the SQLite file `state`: a rerun resumes, writes only new and changed records, and
 * never creates a record twice.
 */
export async function* migrate(
  options: MigrateOptions,
): AsyncGenerator<MigrateEvent, MigrateSummary, undefined> {
  checkOptions(options);
  if (options.dryRun) return yield* dryRun(options);

  const { from, to } = options;
  const state = StateStore.open(options.state);
  const summary = emptySummary(options, false);
  const events: MigrateEvent[] = [];
  let wake: (() => void) | undefined;
  const emit = (event: MigrateEvent) => {
    events.push(event);
    wake?.();
  };
  // Left as "interrupted" when the caller stops iterating early; "failed" when something throws.
  let runStatus: "done" | "failed" | "interrupted" = "interrupted";
  let work: Promise<void> | undefined;
  const halt = { now: false };
  try {
    // The lock first: binding writes, and a live run may hold the file's write lock for a moment.
    state.acquireLock();
    state.bindProviders(from.provider, to.provider, { from: from.account, to: to.account });
    const runId = state.startRun();
    summary.runId = runId;

    // The reader stores the source a page at a time; the writers follow it in read order, so
    // writing starts with the first page. Events from both reach the caller as they happen.
    const run: Run = { options, state, runId, summary, emit, halt, refused: new Map() };
    const writer = new Writer(run);
    const reader = readSource(run, writer).catch((error: unknown) => {
      halt.now = true;
      writer.sourceRead(undefined);
      throw error;
    });
    const writing = writer.write().catch((error: unknown) => {
      halt.now = true;
      throw error;
    });
    let finished = false;
    work = Promise.allSettled([reader, writing]).then(([read, written]) => {
      finished = true;
      wake?.();
      if (read.status === "rejected") throw read.reason;
      if (written.status === "rejected") throw written.reason;
    });
    while (!finished || events.length > 0) {
      const event = events.shift();
      if (event) yield event;
      else await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    await work;
    summary.dropped = state.dropped(runId);
    summary.interrupted = options.signal?.aborted ?? false;
    runStatus = summary.interrupted ? "interrupted" : "done";
    return summary;
  } catch (error) {
    runStatus = "failed";
    throw explainStateError(error, options.state);
  } finally {
    // A caller that stops iterating stops the workers too; records in flight finish first.
    halt.now = true;
    if (work) await work.catch(() => undefined);
    let closing: unknown;
    try {
      if (summary.runId !== undefined) state.finishRun(summary.runId, runStatus, summary);
    } catch (error) {
      closing = error;
    }
    try {
      state.close();
    } catch (error) {
      closing ??= error;
    }
    // A full disk fails these too: the error that ended the run, if any, is the one to report.
    if (closing !== undefined && runStatus !== "failed")
      // biome-ignore lint/correctness/noUnsafeFinally: a run whose end was not recorded must not report success
      throw explainStateError(closing, options.state);
  }
}
