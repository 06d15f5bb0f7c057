import { isNotFound } from "@cskit/http";
import { reasonOf } from "../errors.js";
import type { RecordRow } from "../state/store.js";
import type { Outcomes } from "./outcomes.js";
import { type Run, stopped, TODO_PAGE } from "./run.js";

/** Share of the known records one run may delete with `propagateDeletes`, unless `maxDeletes` says. */
const DEFAULT_MAX_DELETE_SHARE = 0.1;

/**
 * Source records that are gone: reported, or deleted from the target with `propagateDeletes`,
 * each confirmed gone at the source first, and none when the listing looks suspect.
 */
export async function handleDisappeared(run: Run, outcomes: Outcomes, count: number): Promise<void> {
  const { propagateDeletes, from, to } = run.options;
  const { state, runId, summary } = run;
  const heldBack = propagateDeletes ? suspectListing(run, count) : undefined;
  if (heldBack) {
    summary.deletesHeldBack = count;
    summary.deletesHeldBackReason = heldBack.reason;
    run.emit({ type: "deletes-held-back", count, ...heldBack });
  }
  let after = "";
  for (;;) {
    const rows = state.disappeared(runId, after, TODO_PAGE);
    if (rows.length === 0 || stopped(run)) return;
    after = (rows.at(-1) as RecordRow).source_id;
    for (const row of rows) {
      if (!propagateDeletes || heldBack) {
        summary.disappeared++;
        state.markDisappeared(runId, row.source_id, heldBack && "kept: deletes held back");
        continue;
      }
      // Missing from one listing is no proof (a list that shifts between pages skips records): ask.
      const gone = await from.customers.get(row.source_id).then(
        () => false,
        (error: unknown) => (isNotFound(error) ? true : reasonOf(error)),
      );
      if (gone === false) {
        state.markStillThere(runId, row.source_id);
        continue;
      }
      summary.disappeared++;
      if (gone !== true) {
        summary.deletesHeldBack++;
        state.markDisappeared(runId, row.source_id, `kept: not confirmed gone at the source: ${gone}`);
        continue;
      }
      const targetId = row.target_id;
      try {
        if (targetId !== null)
          await to.customers.delete(targetId).catch((error: unknown) => {
            if (!isNotFound(error)) throw error;
          });
        state.markDeleted(runId, row.source_id);
        outcomes.deleted(row);
      } catch (error) {
        outcomes.fail(row, `delete of target record ${targetId} failed: ${reasonOf(error)}`, false);
      }
    }
  }
}

/** Why this run's disappeared records must not be deleted at all, if they must not. */
function suspectListing(run: Run, count: number): { limit: number; reason: string } | undefined {
  const limit =
    run.options.maxDeletes ?? Math.max(1, Math.ceil(run.state.countActive() * DEFAULT_MAX_DELETE_SHARE));
  if (run.summary.seen === 0)
    return {
      limit,
      reason: `the source listed no record while the state knows ${count}; nothing deleted (an empty listing is more often a glitch or missing rights than a wipe)`,
    };
  if (count > limit)
    return {
      limit,
      reason: `${count} records disappeared, more than the ${limit} one run may delete; none deleted (check the source, then raise maxDeletes / --max-deletes)`,
    };
  return undefined;
}
