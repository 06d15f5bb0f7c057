// Creates on a target that may honour idempotency keys (Apideck) are read back before they count:
// a key can be replayed with the id of a record deleted since (a state file started over derives
// the same keys). Reading each one back as it is made would cost a request per record, so the run
// reads them back once its writes are done: one listing of the target when there are many, then a
// `get` for each one the listing did not show. What a crash leaves unconfirmed, the next run reads back.
import { isNotFound } from "@cskit/http";
import { cleanReason } from "../errors.js";
import type { RecordRow } from "../state/store.js";
import { reading, SCAN_BATCH } from "./listing.js";
import type { Outcomes } from "./outcomes.js";
import { replayedReason } from "./replay.js";
import type { Run } from "./run.js";

/** Up to this many, each is read with a `get`; more, and one listing of the target comes first. */
const FEW = 64;

/** Reads back every create not confirmed yet; one that no longer exists was a replay, and fails. */
export async function confirmCreates(run: Run, outcomes: Outcomes): Promise<void> {
  const { state, options } = run;
  if (state.countUnconfirmed() > FEW) await confirmByListing(run);
  for (let after = ""; ; ) {
    const rows = state.unconfirmedAfter(after, FEW);
    if (rows.length === 0) return;
    after = (rows.at(-1) as RecordRow).source_id;
    // As many at once as the writers: the client's traffic policy paces them.
    await Promise.all(rows.map((row) => confirmOne(run, outcomes, row)));
    if (options.signal?.aborted) return;
  }
}

/** One pass over the target: every record it lists exists. A failed listing leaves the rest to `get`. */
async function confirmByListing(run: Run): Promise<void> {
  const { state, options } = run;
  let ids: string[] = [];
  try {
    // Only the ids: the listing is a proof of existence, and the rest of each record is not read.
    const listing = reading(`the target (${options.to.provider})`, options.to, options.signal, {
      fields: "id",
    });
    for await (const customer of listing) {
      ids.push(customer.remote.id);
      if (ids.length >= SCAN_BATCH) {
        state.confirmTargets(ids);
        ids = [];
      }
    }
  } catch {
    // What the listing did not reach is read back one by one.
  }
  state.confirmTargets(ids);
}

async function confirmOne(run: Run, outcomes: Outcomes, row: RecordRow): Promise<void> {
  const { state, options, runId } = run;
  const targetId = row.target_id as string;
  try {
    await options.to.customers.get(targetId, { signal: options.signal });
    state.confirmTargets([targetId]);
  } catch (error) {
    // Any other error: it stays unconfirmed, and the next run reads it back.
    if (!isNotFound(error)) return;
    const reason = cleanReason(
      replayedReason(targetId, "the next run looks it up by email, then creates it with a new key"),
    );
    state.markReplayed(row.source_id, reason);
    outcomes.replayed(row, reason, row.action_run === runId ? row.action : undefined);
  }
}
