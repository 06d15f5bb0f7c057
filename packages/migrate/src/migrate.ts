import { existsSync } from "node:fs";
import { join } from "node:path";
import type {
  Helpdesk,
  Provider,
  UnifiedCustomer,
  UnifiedCustomerInput,
  WriteOutcome,
} from "@cskit/helpdesk";
import { CskitError, classifyError, hadNoEffect } from "@cskit/http";
import {
  cleanReason,
  contentHash,
  contentOf,
  idempotencyKey,
  notesWithLeftovers,
  primaryEmail,
} from "./content.js";
import { MigrateError } from "./errors.js";
import { type RecordAction, type RecordRow, type ScannedRecord, StateStore } from "./state.js";

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

export type MigrateEvent =
  | { type: "scan"; seen: number }
  | { type: "plan"; seen: number; todo: number; unchanged: number; disappeared: number }
  | {
      type: "record";
      sourceId: string;
      targetId: string | undefined;
      action: RecordAction;
      reason: string | undefined;
      done: number;
      total: number;
    }
  | { type: "slowdown"; waitMs: number; concurrency: number }
  | { type: "deletes-held-back"; count: number; limit: number; reason: string }
  | { type: "recover"; concurrency: number };

export interface Sample {
  sourceId: string;
  source: UnifiedCustomerInput;
  target: unknown;
  dropped: string[] | undefined;
}

export interface MigrateSummary {
  dryRun: boolean;
  from: Provider;
  to: Provider;
  state: string;
  /** The run's number in the state file (not set for a dry run). */
  runId: number | undefined;
  /** True when the run was stopped (signal) before it finished. */
  interrupted: boolean;
  /** Records the source listed. */
  seen: number;
  created: number;
  updated: number;
  linked: number;
  unchanged: number;
  failed: number;
  /** Target records deleted because their source record disappeared (`propagateDeletes`). */
  deleted: number;
  /** Records migrated earlier that the source no longer lists. */
  disappeared: number;
  /** Disappeared records whose target copy `propagateDeletes` did not delete, and why (see `maxDeletes`). */
  deletesHeldBack: number;
  deletesHeldBackReason?: string | undefined;
  /** Records not linked because their email matches several target records (failed, with the ids). */
  ambiguous: number;
  /** Per unified field, how many records the target could not hold it for. */
  dropped: Record<string, number>;
  leftovers: "report" | "notes";
  /** Dry run: what a real run would do. */
  plan?: { create: number; update: number; unchanged: number; disappeared: number } | undefined;
  /** Dry run: per unified field, how many source records have a value. */
  coverage?: Record<string, number> | undefined;
  /** Dry run: the first records, as read and as the target would get them. */
  samples?: Sample[] | undefined;
}

/** `.cskit/migrate-<from>-<to>.sqlite` under `dir`. */
export function defaultStatePath(from: Provider, to: Provider, dir = process.cwd()): string {
  return join(dir, ".cskit", `migrate-${from}-${to}.sqlite`);
}

const SCAN_BATCH = 200;
const TODO_PAGE = 256;
/**
 * Writes in flight at most, by default: at 40 ms a request, 32 in flight allow 800 requests a second,
 * above the vendors' documented limits, so the target's limit (and its client's pacing) is what binds.
 */
const DEFAULT_CONCURRENCY = 32;
/** Share of the known records one run may delete with `propagateDeletes`, unless `maxDeletes` says. */
const DEFAULT_MAX_DELETE_SHARE = 0.1;

/**
 * Moves every customer of `from` into `to`, yielding progress events and returning the summary.
 * State lives in the SQLite file `state`: a rerun resumes, writes only new and changed records, and
 * never creates a record twice.
 */
export async function* migrate(
  options: MigrateOptions,
): AsyncGenerator<MigrateEvent, MigrateSummary, undefined> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new MigrateError(`concurrency must be a whole number from 1 to 64, not ${concurrency}`);
  const { maxDeletes } = options;
  if (
    maxDeletes !== undefined &&
    !(maxDeletes === Number.POSITIVE_INFINITY || (Number.isInteger(maxDeletes) && maxDeletes >= 0))
  )
    throw new MigrateError(`maxDeletes must be a whole number, 0 or more, not ${maxDeletes}`);
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
    state.bindProviders(from.provider, to.provider, { from: from.account, to: to.account });
    state.acquireLock();
    const runId = state.startRun();
    summary.runId = runId;

    // The reader stores the source a page at a time; the writers follow it in read order, so
    // writing starts with the first page. Events from both reach the caller as they happen.
    const writer = new Writer(options, state, runId, summary, emit, halt);
    const reader = readSource(options, state, runId, summary, emit, writer, halt).catch((error: unknown) => {
      halt.now = true;
      writer.sourceRead(undefined);
      throw error;
    });
    const writing = writer.run().catch((error: unknown) => {
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
    throw error;
  } finally {
    // A caller that stops iterating stops the workers too; records in flight finish first.
    halt.now = true;
    if (work) await work.catch(() => undefined);
    if (summary.runId !== undefined) state.finishRun(summary.runId, runStatus, summary);
    state.close();
  }
}

/** Reads every source record into the state, a page at a time, and tells the writer what is new. */
async function readSource(
  options: MigrateOptions,
  state: StateStore,
  runId: number,
  summary: MigrateSummary,
  emit: (event: MigrateEvent) => void,
  writer: Writer,
  halt: { now: boolean },
): Promise<void> {
  let batch: ScannedRecord[] = [];
  const flush = () => {
    let todo = 0;
    for (const kind of state.scan(runId, batch))
      if (kind === "unchanged") summary.unchanged++;
      else if (kind !== "repeat") todo++;
      else summary.seen--; // a record listed twice is one record
    summary.seen += batch.length;
    batch = [];
    writer.more(todo);
  };
  const source = reading(`the source (${options.from.provider})`, options.from, options.signal);
  try {
    for await (const customer of source) {
      if (halt.now) return writer.sourceRead(undefined);
      const content = contentOf(customer);
      batch.push({
        sourceId: sourceIdOf(customer),
        hash: contentHash(content),
        email: primaryEmail(content),
        payload: JSON.stringify(content),
      });
      if (batch.length >= SCAN_BATCH) {
        flush();
        emit({ type: "scan", seen: summary.seen });
      }
    }
  } catch (error) {
    // Stopped by the caller's signal: an interrupted run, not a failed one.
    if (options.signal?.aborted) return writer.sourceRead(undefined);
    throw error;
  }
  flush();
  const disappeared = state.countDisappeared(runId);
  emit({ type: "plan", seen: summary.seen, todo: writer.total, unchanged: summary.unchanged, disappeared });
  writer.sourceRead(disappeared);
}

function emptySummary(options: MigrateOptions, dry: boolean): MigrateSummary {
  return {
    dryRun: dry,
    from: options.from.provider,
    to: options.to.provider,
    state: options.state,
    runId: undefined,
    interrupted: false,
    seen: 0,
    created: 0,
    updated: 0,
    linked: 0,
    unchanged: 0,
    failed: 0,
    deleted: 0,
    disappeared: 0,
    deletesHeldBack: 0,
    ambiguous: 0,
    dropped: {},
    leftovers: options.leftovers ?? "report",
  };
}

function sourceIdOf(customer: UnifiedCustomer): string {
  const raw: unknown = customer.remote?.id ?? customer.id ?? (customer.remote?.data as { id?: unknown })?.id;
  const id = typeof raw === "number" && Number.isFinite(raw) ? String(raw) : raw;
  if (typeof id !== "string" || id === "")
    throw new MigrateError("the source listed a customer without an id");
  return id;
}

/**
 * Every customer of a helpdesk, pages read ahead by its client. Retries and waits on 429 are the
 * client's (its traffic policy); a listing that still fails, or loops, ends the run saying which.
 */
async function* reading(what: string, helpdesk: Helpdesk, signal: AbortSignal | undefined) {
  try {
    yield* helpdesk.customers.iterate({ signal });
  } catch (error) {
    if (classifyError(error) === "aborted") throw error;
    throw new MigrateError(`reading ${what} failed: ${reasonOf(error)}`, { cause: error });
  }
}

const isNotFound = (error: unknown) => classifyError(error) === "not-found";

function reasonOf(error: unknown): string {
  if (error instanceof CskitError) {
    const status = error.status === undefined ? "" : ` (HTTP ${error.status})`;
    return cleanReason(`${error.name}${status}: ${error.message}`);
  }
  return cleanReason(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/** The write phase of one run. */
class Writer {
  private done = 0;
  /** Records to write known so far; final once the source is read. */
  total = 0;
  /** Undefined while reading; then the count of disappeared records, or null when the read failed. */
  private disappeared: number | null | undefined;
  private readonly waiting: (() => void)[] = [];
  private emails: Promise<void> | undefined;

  constructor(
    private readonly options: MigrateOptions,
    private readonly state: StateStore,
    private readonly runId: number,
    private readonly summary: MigrateSummary,
    private readonly emit: (event: MigrateEvent) => void,
    private readonly halt: { now: boolean },
  ) {}

  private get stopped(): boolean {
    return this.halt.now || (this.options.signal?.aborted ?? false);
  }

  /** The reader stored `count` more records to write. */
  more(count: number): void {
    this.total += count;
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** The reader is done: `disappeared` counts what the source no longer lists (undefined: the read failed). */
  sourceRead(disappeared: number | undefined): void {
    this.disappeared = disappeared ?? null;
    for (const wake of this.waiting.splice(0)) wake();
  }

  async run(): Promise<void> {
    let after = this.state.seqAtStart;
    let page: RecordRow[] = [];
    const next = async (): Promise<RecordRow | undefined> => {
      for (;;) {
        if (this.stopped) return undefined;
        if (page.length === 0) {
          page = this.state.todoAfter(after, TODO_PAGE);
          after = page.at(-1)?.scan_seq ?? after;
        }
        const row = page.shift();
        if (row) return row;
        if (this.disappeared !== undefined) return undefined;
        await new Promise<void>((resolve) => this.waiting.push(resolve));
      }
    };
    // A record in flight belongs to one writer until its outcome is known.
    const writing = new Set<string>();
    const worker = async () => {
      for (let row = await next(); row; row = await next()) {
        if (writing.has(row.source_id)) continue;
        writing.add(row.source_id);
        try {
          await this.write(row);
        } finally {
          writing.delete(row.source_id);
        }
      }
    };
    // The target's traffic policy paces the writes; its holds and slowdowns reach the caller as events.
    const unobserve = this.options.to.traffic?.observe((event) => {
      if (event.type === "hold")
        this.emit({ type: "slowdown", waitMs: event.waitMs, concurrency: event.concurrency });
      else if (event.type === "recover") this.emit({ type: "recover", concurrency: event.concurrency });
    });
    try {
      await Promise.all(Array.from({ length: this.options.concurrency ?? DEFAULT_CONCURRENCY }, worker));
    } finally {
      unobserve?.();
    }
    if (this.disappeared && !this.stopped) await this.handleDisappeared(this.disappeared);
  }

  /** The target's emails, read once before the first create that may link (`match: "email"`). */
  private targetEmails(): Promise<void> {
    this.emails ??= this.indexTargetEmails();
    return this.emails;
  }

  /** One pass over the target: its emails go into the state, so matching costs no request per record. */
  private async indexTargetEmails(): Promise<void> {
    this.state.clearTargetEmails();
    let rows: { email: string; targetId: string }[] = [];
    const { to } = this.options;
    for await (const customer of reading(`the target (${to.provider}) to match emails`, to, undefined)) {
      const targetId = customer.remote?.id ?? customer.id;
      for (const e of customer.emails ?? [])
        if (e.email && targetId) rows.push({ email: e.email.trim().toLowerCase(), targetId });
      if (rows.length >= SCAN_BATCH) {
        this.state.addTargetEmails(rows);
        rows = [];
      }
    }
    this.state.addTargetEmails(rows);
  }

  private finish(row: RecordRow, action: RecordAction, targetId?: string, reason?: string): void {
    if (action === "created") this.summary.created++;
    else if (action === "updated") this.summary.updated++;
    else if (action === "linked") this.summary.linked++;
    else if (action === "failed") this.summary.failed++;
    this.done++;
    this.emit({
      type: "record",
      sourceId: row.source_id,
      targetId,
      action,
      reason,
      done: this.done,
      total: this.total,
    });
  }

  private fail(row: RecordRow, reason: string, unsure: boolean): void {
    this.state.markFailed(row.source_id, reason, unsure);
    this.finish(row, "failed", row.target_id ?? undefined, reason);
  }

  /** The content to send, with dropped fields in the notes when asked and the mapping is known. */
  private prepare(content: UnifiedCustomerInput): UnifiedCustomerInput {
    const { preview, leftovers } = this.options;
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
    this.state.addDropped(this.runId, outcome.dropped);
    const { preview, leftovers } = this.options;
    if (leftovers === "notes" && !preview && outcome.dropped.length > 0)
      await this.options.to.customers.update(targetId, {
        ...content,
        notes: notesWithLeftovers(content, outcome.dropped),
      });
  }

  private async write(row: RecordRow): Promise<void> {
    const content = JSON.parse(row.payload ?? "{}") as UnifiedCustomerInput;
    const input = this.prepare(content);
    try {
      if (row.target_id !== null) {
        const targetId = row.target_id;
        this.state.countAttempt(row.source_id);
        const outcome = await this.options.to.customers.update(targetId, input);
        await this.afterWrite(targetId, content, outcome);
        this.state.markDone(row.source_id, targetId, "updated", row.content_hash);
        return this.finish(row, "updated", targetId);
      }
      await this.create(row, content, input);
    } catch (error) {
      const reason = isNotFound(error)
        ? `target record ${row.target_id} no longer exists: ${reasonOf(error)}`
        : reasonOf(error);
      this.fail(row, reason, row.unsure === 1 && row.target_id === null);
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
  ): Promise<void> {
    const { from, to } = this.options;
    let unsure = row.unsure === 1;
    let hash = unsure ? (row.attempt_hash ?? row.content_hash) : row.content_hash;
    // Whatever fails below keeps the record's "outcome unknown" mark as it stands now: a create whose
    // answer was lost stays unsure even if the lookup after it fails, so no rerun creates it twice.
    try {
      if (unsure && !to.capabilities.idempotentCreate) {
        // No idempotency key: look for the record by email before any new insert.
        const found = await this.earlierCreate(row);
        if (found === null) return;
        if (found !== undefined) return this.settle(row, content, input, found, hash);
        unsure = false;
        hash = row.content_hash;
      }
      if (!unsure && (this.options.match ?? "email") === "email" && row.email) {
        await this.targetEmails();
        const candidates = this.state.freeTargetsByEmail(row.email);
        if (candidates.length > 1) return this.ambiguous(row, row.email, candidates, false);
        const [targetId] = candidates;
        if (
          targetId !== undefined &&
          this.state.markDone(row.source_id, targetId, "linked", row.content_hash)
        )
          return this.finish(row, "linked", targetId);
      }
      this.state.markInFlight(row.source_id, hash);
      let outcome: WriteOutcome;
      try {
        const key = idempotencyKey(from.provider, row.source_id, hash, row.generation);
        outcome = await to.customers.create(input, { idempotencyKey: key });
      } catch (error) {
        // Refused or rate-limited: this attempt created nothing, but an earlier one may have.
        if (hadNoEffect(error)) return this.fail(row, reasonOf(error), unsure);
        unsure = true;
        // The answer was lost. Without a key, look once now: the record may be there already.
        const found = to.capabilities.idempotentCreate ? undefined : await this.earlierCreate(row);
        if (found === null) return;
        if (found !== undefined) return this.settle(row, content, input, found, hash);
        return this.fail(
          row,
          `outcome unknown (${reasonOf(error)}); the next run settles it before any new create`,
          true,
        );
      }
      return this.settle(row, content, input, outcome.id, hash, outcome);
    } catch (error) {
      return this.fail(row, reasonOf(error), unsure);
    }
  }

  /**
   * Deskero: the target record that an earlier create of this record may have made, found by email.
   * undefined: none; null: the record could not be settled (no email, or several candidates) and is failed.
   */
  private async earlierCreate(row: RecordRow): Promise<string | undefined | null> {
    if (!row.email) {
      this.fail(
        row,
        "an earlier create may have reached the target, and the record has no email to look it up; " +
          "not sent again, to avoid a duplicate (check the target)",
        true,
      );
      return null;
    }
    const found = await this.options.to.customers.findByEmail(row.email);
    const ids = [...new Set(found.map((c) => c.remote?.id ?? c.id).filter((id): id is string => !!id))];
    const own = ids.find((id) => this.state.ownerOf(id) === row.source_id);
    const free = ids.filter((id) => this.state.ownerOf(id) === undefined);
    if (own === undefined && free.length > 1) {
      this.ambiguous(row, row.email, free, true);
      return null;
    }
    return own ?? free[0];
  }

  /** An email that several target records share is not a match: the record fails, naming them. */
  private ambiguous(row: RecordRow, email: string, targetIds: string[], unsure: boolean): void {
    this.summary.ambiguous++;
    const shown = targetIds.slice(0, 3).join(", ") + (targetIds.length > 3 ? ", ..." : "");
    const reason = unsure
      ? `an earlier create may have reached the target, and ${targetIds.length} target records have its email ${email} (${shown}): ` +
        "not linked, not sent again (check the target)"
      : `its email ${email} matches ${targetIds.length} target records (${shown}): ambiguous, not linked; ` +
        "merge them in the target, or use match none to create a new record";
    this.fail(row, cleanReason(reason), unsure);
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
  ): Promise<void> {
    if (!this.state.markDone(row.source_id, targetId, "created", hash))
      return this.fail(row, `target record ${targetId} already belongs to another source record`, false);
    if (outcome) await this.afterWrite(targetId, content, outcome);
    if (hash !== row.content_hash) {
      const updated = await this.options.to.customers.update(targetId, input);
      await this.afterWrite(targetId, content, updated);
      this.state.markDone(row.source_id, targetId, "created", row.content_hash);
    }
    this.finish(row, "created", targetId);
  }

  /**
   * Source records that are gone: reported, or deleted from the target with `propagateDeletes`,
   * each confirmed gone at the source first, and none when the listing looks suspect.
   */
  private async handleDisappeared(count: number): Promise<void> {
    const { propagateDeletes, from, to } = this.options;
    const heldBack = propagateDeletes ? this.suspectListing(count) : undefined;
    if (heldBack) {
      this.summary.deletesHeldBack = count;
      this.summary.deletesHeldBackReason = heldBack.reason;
      this.emit({ type: "deletes-held-back", count, ...heldBack });
    }
    let after = "";
    for (;;) {
      const rows = this.state.disappeared(this.runId, after, TODO_PAGE);
      if (rows.length === 0 || this.stopped) return;
      after = (rows.at(-1) as RecordRow).source_id;
      for (const row of rows) {
        if (!propagateDeletes || heldBack) {
          this.summary.disappeared++;
          this.state.markDisappeared(this.runId, row.source_id, heldBack && "kept: deletes held back");
          continue;
        }
        // Missing from one listing is no proof (a list that shifts between pages skips records): ask.
        const gone = await from.customers.get(row.source_id).then(
          () => false,
          (error: unknown) => (isNotFound(error) ? true : reasonOf(error)),
        );
        if (gone === false) {
          this.state.markStillThere(this.runId, row.source_id);
          continue;
        }
        this.summary.disappeared++;
        if (gone !== true) {
          this.summary.deletesHeldBack++;
          this.state.markDisappeared(
            this.runId,
            row.source_id,
            `kept: not confirmed gone at the source: ${gone}`,
          );
          continue;
        }
        const targetId = row.target_id;
        try {
          if (targetId !== null)
            await to.customers.delete(targetId).catch((error: unknown) => {
              if (!isNotFound(error)) throw error;
            });
          this.state.markDeleted(this.runId, row.source_id);
          this.summary.deleted++;
          this.emit({
            type: "record",
            sourceId: row.source_id,
            targetId: targetId ?? undefined,
            action: "deleted",
            reason: undefined,
            done: this.done,
            total: this.total,
          });
        } catch (error) {
          this.fail(row, `delete of target record ${targetId} failed: ${reasonOf(error)}`, false);
        }
      }
    }
  }

  /** Why this run's disappeared records must not be deleted at all, if they must not. */
  private suspectListing(count: number): { limit: number; reason: string } | undefined {
    const limit =
      this.options.maxDeletes ?? Math.max(1, Math.ceil(this.state.countActive() * DEFAULT_MAX_DELETE_SHARE));
    if (this.summary.seen === 0)
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
}

/** A dry run: reads the source (and the state, read-only) and reports; writes nothing anywhere. */
async function* dryRun(options: MigrateOptions): AsyncGenerator<MigrateEvent, MigrateSummary, undefined> {
  const summary = emptySummary(options, true);
  const plan = { create: 0, update: 0, unchanged: 0, disappeared: 0 };
  const coverage: Record<string, number> = {};
  const dropped: Record<string, number> = {};
  const samples: Sample[] = [];
  const sampleCount = options.samples ?? 5;
  const state = existsSync(options.state) ? StateStore.open(options.state, { readonly: true }) : undefined;
  try {
    state?.checkProviders(options.from.provider, options.to.provider, {
      from: options.from.account,
      to: options.to.account,
    });
    let seenKnown = 0;
    for await (const customer of reading(
      `the source (${options.from.provider})`,
      options.from,
      options.signal,
    )) {
      const sourceId = sourceIdOf(customer);
      const content = contentOf(customer);
      const hash = contentHash(content);
      const row = state?.lookup(sourceId);
      if (row && row.status !== "deleted") seenKnown++;
      if (!row || row.target_id === null) plan.create++;
      else if (row.status === "done" && row.migrated_hash === hash) plan.unchanged++;
      else plan.update++;
      for (const [field, value] of Object.entries(content))
        if (
          value !== null &&
          value !== undefined &&
          value !== "" &&
          !(Array.isArray(value) && value.length === 0)
        )
          coverage[field] = (coverage[field] ?? 0) + 1;
      const preview = options.preview?.(content);
      for (const field of preview?.dropped ?? []) dropped[field] = (dropped[field] ?? 0) + 1;
      if (samples.length < sampleCount)
        samples.push({
          sourceId,
          source: content,
          target: preview?.record ?? content,
          dropped: preview?.dropped,
        });
      if (++summary.seen % SCAN_BATCH === 0) yield { type: "scan", seen: summary.seen };
    }
    plan.disappeared = state ? state.countActive() - seenKnown : 0;
    summary.unchanged = plan.unchanged;
    summary.disappeared = plan.disappeared;
    return { ...summary, plan, coverage, dropped, samples };
  } finally {
    state?.close();
  }
}
