import type { UnifiedCustomerInput, WriteOutcome } from "@cskit/helpdesk";
import { hadNoEffect, isNotFound } from "@cskit/http";
import { idempotencyKey } from "../content.js";
import { cleanReason, reasonOf } from "../errors.js";
import type { RecordRow } from "../state/store.js";
import { confirmCreates, TrailingReadBack } from "./confirm.js";
import { handleDisappeared } from "./deletes.js";
import { EmailMatcher } from "./email-match.js";
import { notesWithLeftovers } from "./leftovers.js";
import { DEFAULT_CONCURRENCY } from "./options.js";
import { Outcomes } from "./outcomes.js";
import type { ReadListener } from "./read-source.js";
import { type Run, stopped } from "./run.js";

/**
 * Most new records marked in flight per commit (see `Writer.prepareBatch`): one commit per batch
 * instead of one per record. A batch holds at most `MARKS_PER_WRITER` records per writer, so a crash
 * leaves at most 5 per writer in flight (a batch, and one in each writer's hands) for the next run
 * to look up by email: a few rounds of lookups, which a run killed again and again must still get
 * past.
 */
export const MARK_BATCH = 64;
/** New records marked per writer in one batch: 4 commit a quarter as often as 1 (bench/README, "Migration"). */
export const MARKS_PER_WRITER = 4;

/** A record handed to a worker; `marked`: a create already marked in flight, to send as it is. */
interface Ready {
  row: RecordRow;
  marked: boolean;
}

/** The write phase of one run. */
export class Writer implements ReadListener {
  private readonly outcomes: Outcomes;
  private readonly matcher: EmailMatcher;
  /** Undefined while reading; then the count of disappeared records, or null when the read failed. */
  private disappeared: number | null | undefined;
  private readonly waiting: (() => void)[] = [];
  private readonly trail: TrailingReadBack;

  constructor(private readonly run: Run) {
    this.outcomes = new Outcomes(run);
    this.matcher = new EmailMatcher(run, this.outcomes);
    this.trail = new TrailingReadBack(run);
  }

  /** Whether a writer waits for records to write: the reader then stores what it has read so far. */
  get hungry(): boolean {
    return this.waiting.length > 0;
  }

  /** Records to write known so far; final once the source is read. */
  get total(): number {
    return this.outcomes.total;
  }

  private get stopped(): boolean {
    return stopped(this.run);
  }

  /** The reader stored `count` more records to write. */
  more(count: number): void {
    this.outcomes.total += count;
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** The reader is done: `disappeared` counts what the source no longer lists (undefined: the read failed). */
  sourceRead(disappeared: number | undefined): void {
    this.disappeared = disappeared ?? null;
    for (const wake of this.waiting.splice(0)) wake();
  }

  async write(): Promise<void> {
    const { state, options } = this.run;
    let after = state.seqAtStart;
    const writers = options.concurrency ?? DEFAULT_CONCURRENCY;
    const batchSize = Math.min(MARK_BATCH, writers * MARKS_PER_WRITER);
    // Records ready for a worker, in read order; `marked` ones are in flight (committed), not sent yet.
    let ready: Ready[] = [];
    let preparing: Promise<void> | undefined;
    const next = async (): Promise<Ready | undefined> => {
      for (;;) {
        if (this.stopped) return undefined;
        const item = ready.shift();
        if (item) return item;
        if (preparing) {
          await preparing;
          continue;
        }
        const rows = state.todoAfter(after, batchSize);
        if (rows.length > 0) {
          after = (rows.at(-1) as RecordRow).scan_seq;
          preparing = this.prepareBatch(rows).then(
            (items) => {
              ready.push(...items);
              preparing = undefined;
            },
            (error: unknown) => {
              preparing = undefined;
              throw error;
            },
          );
          await preparing;
          continue;
        }
        if (this.disappeared !== undefined) return undefined;
        await new Promise<void>((resolve) => this.waiting.push(resolve));
      }
    };
    // A record in flight belongs to one writer until its outcome is known.
    const writing = new Set<string>();
    const worker = async () => {
      for (let item = await next(); item; item = await next()) {
        const { row } = item;
        if (writing.has(row.source_id)) continue;
        writing.add(row.source_id);
        try {
          await this.writeRecord(row, item.marked);
        } finally {
          writing.delete(row.source_id);
        }
      }
    };
    // The target's traffic policy paces the writes; its holds and slowdowns reach the caller as events.
    const unobserve = options.to.traffic?.observe((event) => {
      if (event.type === "hold")
        this.run.emit({ type: "slowdown", waitMs: event.waitMs, concurrency: event.concurrency });
      else if (event.type === "recover") this.run.emit({ type: "recover", concurrency: event.concurrency });
    });
    try {
      await Promise.all(Array.from({ length: writers }, worker));
      if (!this.stopped) await confirmCreates(this.run, this.outcomes, this.trail);
    } finally {
      unobserve?.();
      await this.trail.settled();
      // Stopped early: creates marked in flight that no worker took were never sent.
      const unsent = ready.filter((item) => item.marked).map((item) => item.row);
      ready = [];
      try {
        if (unsent.length > 0) state.unmarkUnsent(unsent);
      } catch {
        // They stay in flight: the next run looks each up by email first, which is safe.
      }
    }
    if (this.disappeared && !this.stopped) await handleDisappeared(this.run, this.outcomes, this.disappeared);
  }

  /**
   * A batch of records to write, before any of it is sent: new records that the target already holds
   * (by email) are linked, and the creates of the rest are marked in flight in one commit. A create
   * that needs a lookup first (unsure), or could not be looked up after a crash (no email), is marked
   * on its own, right before it is sent, as are updates.
   */
  private async prepareBatch(rows: RecordRow[]): Promise<Ready[]> {
    const { state, options } = this.run;
    const fresh = (row: RecordRow) =>
      row.target_id === null && row.unsure === 0 && !this.run.refused.has(row.source_id);
    const matching = (options.match ?? "email") === "email";
    let emailsFailed: { error: unknown } | undefined;
    if (matching && rows.some((row) => fresh(row) && row.email))
      await this.matcher.targetEmails().catch((error: unknown) => {
        emailsFailed = { error };
      });
    const items: Ready[] = [];
    const marks: { sourceId: string; attemptHash: string }[] = [];
    for (const row of rows) {
      if (!fresh(row) || !row.email) {
        items.push({ row, marked: false });
        continue;
      }
      if (matching) {
        if (emailsFailed) {
          this.outcomes.fail(row, reasonOf(emailsFailed.error), false);
          continue;
        }
        if (this.linked(row, row.email)) continue;
      }
      marks.push({ sourceId: row.source_id, attemptHash: row.content_hash });
      items.push({ row, marked: true });
    }
    if (marks.length > 0) state.markAllInFlight(marks);
    return items;
  }

  /** Links a new record to the one target record with its email, if there is exactly one free. */
  private linked(row: RecordRow, email: string): boolean {
    const { state } = this.run;
    const candidates = this.matcher.freeTargets(email);
    if (candidates.length > 1) {
      this.matcher.ambiguous(row, email, candidates, false);
      return true;
    }
    const [targetId] = candidates;
    if (targetId === undefined || !state.markDone(row.source_id, targetId, "linked", row.content_hash))
      return false;
    this.outcomes.finish(row, "linked", targetId);
    return true;
  }

  /** The content to send, with dropped fields in the notes when asked and the mapping is known. */
  private prepare(content: UnifiedCustomerInput): UnifiedCustomerInput {
    const { preview, leftovers } = this.run.options;
    if (leftovers !== "notes" || !preview) return content;
    const { dropped } = preview(content);
    return dropped.length === 0 ? content : { ...content, notes: notesWithLeftovers(content, dropped) };
  }

  /** Counts what the target dropped; without a preview, carries it into the notes with a second write. */
  private async afterWrite(
    targetId: string,
    content: UnifiedCustomerInput,
    outcome: WriteOutcome,
  ): Promise<void> {
    this.run.state.addDropped(this.run.runId, outcome.dropped);
    const { preview, leftovers } = this.run.options;
    if (leftovers === "notes" && !preview && outcome.dropped.length > 0)
      await this.run.options.to.customers.update(targetId, {
        ...content,
        notes: notesWithLeftovers(content, outcome.dropped),
      });
  }

  /** `marked`: a create already marked in flight (see `prepareBatch`), to send as it is. */
  private async writeRecord(row: RecordRow, marked: boolean): Promise<void> {
    const refused = this.run.refused.get(row.source_id);
    if (refused !== undefined) return this.outcomes.fail(row, cleanReason(refused), row.unsure === 1);
    const content = JSON.parse(row.payload ?? "{}") as UnifiedCustomerInput;
    const input = this.prepare(content);
    try {
      if (row.target_id !== null) {
        const targetId = row.target_id;
        this.run.state.countAttempt(row.source_id);
        const outcome = await this.run.options.to.customers.update(targetId, input);
        await this.afterWrite(targetId, content, outcome);
        this.run.state.markDone(row.source_id, targetId, "updated", row.content_hash);
        return this.outcomes.finish(row, "updated", targetId);
      }
      await this.create(row, content, input, marked);
    } catch (error) {
      const reason = isNotFound(error)
        ? `target record ${row.target_id} no longer exists: ${reasonOf(error)}`
        : reasonOf(error);
      this.outcomes.fail(row, reason, row.unsure === 1 && row.target_id === null);
    }
  }

  /**
   * Creates the record once: a create that may have happened is reconciled, never blindly repeated.
   * One attempt per run: the client retries what is safe to retry; a create whose outcome stays
   * unknown is marked so, and the next run settles it before any new insert.
   */
  private async create(
    row: RecordRow,
    content: UnifiedCustomerInput,
    input: UnifiedCustomerInput,
    marked: boolean,
  ): Promise<void> {
    const { state } = this.run;
    let unsure = row.unsure === 1;
    let hash = unsure ? (row.attempt_hash ?? row.content_hash) : row.content_hash;
    // Whatever fails below keeps the record's "outcome unknown" mark as it stands now: a create whose
    // answer was lost stays unsure even if the lookup after it fails, so no rerun creates it twice.
    try {
      if (marked) return await this.send(row, content, input, hash, false);
      if (unsure) {
        // Look for the record by email before any new insert: Deskero has no idempotency key, and
        // Apideck's is "upcoming" in its own documentation, so neither is trusted to stop a double.
        const found = await this.matcher.earlierCreate(row);
        if (found === null) return;
        if (found !== undefined) return this.settle(row, content, input, found, hash);
        unsure = false;
        hash = row.content_hash;
      }
      if (!unsure && (this.run.options.match ?? "email") === "email" && row.email) {
        await this.matcher.targetEmails();
        if (this.linked(row, row.email)) return;
      }
      state.markInFlight(row.source_id, hash);
      return await this.send(row, content, input, hash, unsure);
    } catch (error) {
      return this.outcomes.fail(row, reasonOf(error), unsure);
    }
  }

  /**
   * Sends the create of a record marked in flight (committed), and settles what came of it.
   * Whatever fails after the send leaves it unsure, for the next run to look up before any new insert.
   */
  private async send(
    row: RecordRow,
    content: UnifiedCustomerInput,
    input: UnifiedCustomerInput,
    hash: string,
    wasUnsure: boolean,
  ): Promise<void> {
    const { from, to } = this.run.options;
    let unsure = wasUnsure;
    try {
      let outcome: WriteOutcome;
      try {
        const key = idempotencyKey(from.provider, row.source_id, hash, row.generation);
        // The key still goes along (it helps where the vendor honours it), but the client retries this
        // create only where it surely had no effect: a repeat after a lost answer could double it.
        outcome = await to.customers.create(input, { idempotencyKey: key, trustIdempotencyKey: false });
      } catch (error) {
        // Refused or rate-limited: this attempt created nothing, but an earlier one may have.
        if (hadNoEffect(error)) return this.outcomes.fail(row, reasonOf(error), unsure);
        unsure = true;
        // The answer was lost: look once now, the record may be there already.
        const found = await this.matcher.earlierCreate(row);
        if (found === null) return;
        if (found !== undefined) return this.settle(row, content, input, found, hash);
        return this.outcomes.fail(
          row,
          `outcome unknown (${reasonOf(error)}); the next run settles it before any new create`,
          true,
        );
      }
      // A key the target may honour can be replayed with the id of a record deleted since (a state
      // file started over derives the same keys): such a create is read back before the run ends.
      const unconfirmed = to.capabilities.idempotentCreate;
      return this.settle(row, content, input, outcome.id, hash, outcome, unconfirmed);
    } catch (error) {
      return this.outcomes.fail(row, reasonOf(error), unsure);
    }
  }

  /**
   * Records a created (or found) target record at once, then counts what it dropped and brings it
   * up to date if the source changed since the create was first sent.
   */
  private async settle(
    row: RecordRow,
    content: UnifiedCustomerInput,
    input: UnifiedCustomerInput,
    targetId: string,
    hash: string,
    outcome?: WriteOutcome,
    unconfirmed = false,
  ): Promise<void> {
    const { state } = this.run;
    if (!state.markDone(row.source_id, targetId, "created", hash, unconfirmed))
      return this.outcomes.fail(
        row,
        `target record ${targetId} already belongs to another source record`,
        false,
      );
    if (unconfirmed) this.trail.created();
    if (outcome) await this.afterWrite(targetId, content, outcome);
    if (hash !== row.content_hash) {
      const updated = await this.run.options.to.customers.update(targetId, input);
      await this.afterWrite(targetId, content, updated);
      state.markDone(row.source_id, targetId, "created", row.content_hash, unconfirmed);
    }
    this.outcomes.finish(row, "created", targetId);
  }
}
