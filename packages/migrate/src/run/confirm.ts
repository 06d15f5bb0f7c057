// Creates on a target that may honour idempotency keys (Apideck) are read back before they count:
// a key can be replayed with the id of a record deleted since (a state file started over derives
// the same keys). Reading each one back as it is made would cost a request per record. So a listing
// of the target's ids trails the writes (`TrailingReadBack`), and once they are done, what it did
// not show is read back: one listing of the target when there are many, then a `get` for each one
// left. What a crash leaves unconfirmed, the next run reads back.
import { isNotFound } from "@cskit/http";
import { cleanReason } from "../errors.js";
import type { RecordRow } from "../state/store.js";
import { reading, SCAN_BATCH } from "./listing.js";
import type { Outcomes } from "./outcomes.js";
import { replayedReason } from "./replay.js";
import { type Run, stopped } from "./run.js";

/** Up to this many, each is read with a `get`; more, and one listing of the target comes first. */
const FEW = 64;

/** Ids a page of the read-back asks for (Apideck's most), and creates waiting that start a pass. */
const PAGE = 200;
const PASS_AFTER = 2 * PAGE;

/**
 * Reads back creates while the writes go on: a pass reads the target's ids from the last page the
 * one before reached (which may have grown since) to the end. Against a target that lists in
 * creation order, each id is read about 1.5 times and the writes end with a page or two left to
 * read, not the whole target. Whatever a pass did not show (another order, a failed page, a create
 * marked after its page was read) is left to `confirmCreates`. Each id a page lists exists, so
 * nothing is confirmed that is not there.
 */
export class TrailingReadBack {
  /** Where the next pass starts: the cursor of the last page read (undefined: the first page). */
  private cursor: string | undefined;
  private waiting = 0;
  private pass: Promise<void> | undefined;
  private started = false;
  private ended = false;

  constructor(private readonly run: Run) {}

  /** A create was marked unconfirmed: a pass starts once enough wait. */
  created(): void {
    if (++this.waiting < PASS_AFTER || this.pass || this.ended) return;
    this.pass = this.read().finally(() => {
      this.pass = undefined;
    });
  }

  /**
   * The writes are over: after the pass going on, one more for the creates since, from the last
   * page reached. A trail that never started leaves them to `confirmCreates` (a few are each read
   * with a `get`, not by listing a target of any size).
   */
  async done(): Promise<void> {
    await this.pass;
    if (this.started && this.waiting > 0 && !this.ended) await this.read();
    this.ended = true;
  }

  /** Waits for the pass going on, if any (before the state closes). */
  async settled(): Promise<void> {
    this.ended = true;
    await this.pass;
  }

  private async read(): Promise<void> {
    const { state, options } = this.run;
    const fields = options.to.provider === "apideck" ? "id" : undefined;
    this.started = true;
    this.waiting = 0;
    const seen = new Set<string | undefined>([this.cursor]);
    try {
      for (;;) {
        if (stopped(this.run)) return;
        const page = await options.to.customers.list({
          cursor: this.cursor,
          limit: PAGE,
          fields,
          signal: options.signal,
        });
        state.confirmTargets(page.items.map((customer) => customer.remote.id));
        // The last page stays where the next pass starts. A cursor seen before, or an empty page
        // that points further, ends the trail (as they end an iterate).
        if (page.next === null) return;
        if (seen.has(page.next) || page.items.length === 0) break;
        seen.add(page.next);
        this.cursor = page.next;
      }
    } catch {
      // What the trail did not reach is read back after the writes.
    }
    this.ended = true;
  }
}

/** Reads back every create not confirmed yet; one that no longer exists was a replay, and fails. */
export async function confirmCreates(run: Run, outcomes: Outcomes, trail?: TrailingReadBack): Promise<void> {
  const { state, options } = run;
  await trail?.done();
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
