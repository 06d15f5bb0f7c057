// Creating many records in one helpdesk, with a ledger so that a rerun (after a crash, a SIGKILL, a
// failed line) creates each record once: `cskit <api> customers create --file x.ndjson`.
import type { Helpdesk, Provider, UnifiedCustomerInput } from "@cskit/helpdesk";
import { PROVIDER_INFO } from "@cskit/helpdesk/providers";
import { classifyError, hadNoEffect } from "@cskit/http";
import { idempotencyKey, loneSurrogateIn, primaryEmail, writeHash } from "../content.js";
import { MigrateError, reasonOf } from "../errors.js";
import { createdRecordExists, replayedReason } from "../run/replay.js";
import { CreateLedger } from "./ledger.js";

/** Where `bulkCreate` keeps its ledger, and how it stops. */
export interface BulkCreateOptions {
  /**
   * The ledger: a SQLite file (the state store of a migration), created if missing. Each create is
   * marked in flight before it is sent and recorded once it is answered; a rerun with the same file
   * skips what was created, and a second run on it is refused while one runs.
   */
  ledger: string;
  /** Stops the run (the create in flight is aborted); the ledger keeps what was done. */
  signal?: AbortSignal | undefined;
}

/** What became of each record, by its index in `records`. */
export interface BulkCreateResult {
  /** Created now; `dropped`: unified fields the helpdesk could not hold (see `WriteOutcome`). */
  created: { index: number; id: string; dropped: string[] }[];
  /**
   * Created by an earlier run with this ledger (or an equal record earlier in `records`): not sent.
   * A create whose answer an earlier run lost, and that is found by its email, is here too.
   */
  skipped: { index: number; id: string }[];
  /**
   * Not created (or not known to be). `sent`: a create was sent in this run; false for a create that
   * an earlier run may have done and that could not be settled by email (no email, several records
   * with it, the lookup failed): it is not sent blindly again, and the next run looks again.
   */
  failed: { index: number; error: unknown; sent: boolean }[];
}

/** The ledger's key of a record: the same content always gives the same key (and idempotency key). */
export function bulkKey(provider: Provider, customer: UnifiedCustomerInput): string {
  return idempotencyKey("file", "", writeHash(provider, customer));
}

/** The idempotency key a create sends: the ledger's key, or a new one per generation after a replay. */
function sendKey(provider: Provider, customer: UnifiedCustomerInput, key: string, generation: number) {
  return generation === 0 ? key : idempotencyKey("file", "", writeHash(provider, customer), generation);
}

/**
 * The target record that an earlier create of this record may have made, found by its email (as
 * written and lower-cased; see `findByEmail`): an id, "absent", or why it cannot be settled.
 */
async function earlierCreate(
  hd: Helpdesk,
  ledger: CreateLedger,
  key: string,
  customer: UnifiedCustomerInput,
  signal: AbortSignal | undefined,
): Promise<{ id: string } | "absent" | { why: string }> {
  const where = PROVIDER_INFO[hd.provider].title;
  const email = primaryEmail(customer);
  if (email === undefined)
    return {
      why: `an earlier create of this record may have reached ${where} (its answer was lost), and it has no email to look it up; not sent again, to avoid a duplicate: check ${where}, and if it is not there, create it on its own`,
    };
  let ids: string[];
  try {
    ids = [...new Set((await hd.customers.findByEmail(email, { signal })).map((c) => c.remote.id))];
  } catch (error) {
    if (classifyError(error) === "aborted") throw error;
    return {
      why: `an earlier create of this record may have reached ${where} (its answer was lost), and looking it up by email failed (${reasonOf(error)}); not sent again: the next run looks again`,
    };
  }
  const own = ids.find((id) => ledger.ownerOf(id) === key);
  if (own !== undefined) return { id: own };
  const free = ids.filter((id) => ledger.ownerOf(id) === undefined);
  if (free.length === 0) return "absent";
  if (free.length === 1) return { id: free[0] as string };
  const shown = free.slice(0, 3).join(", ") + (free.length > 3 ? ", ..." : "");
  return {
    why: `an earlier create of this record may have reached ${where} (its answer was lost), and ${free.length} records there have its email ${email} (${shown}); not sent again: delete the extra ones in ${where}, then run again`,
  };
}

/**
 * Creates each record in `hd` once, however often it is run with the same ledger. Each create carries
 * its record's key (`bulkKey`), but no idempotency key is trusted to stop a double (Apideck calls its
 * own "upcoming"): the client does not repeat a create that may have reached the server, and a
 * create whose answer was lost is looked up by email before it is ever sent again. Where the target
 * may honour the key, an id that comes back is confirmed (a `get`): a replayed key can answer with a
 * record deleted since, and that is reported, not called created; the next run looks it up by email,
 * then sends a new key. A
 * rejected promise means the run could not start (the ledger is locked or belongs to another
 * account) or was aborted; a record that fails is in `failed`.
 */
export async function bulkCreate(
  hd: Helpdesk,
  records: readonly UnifiedCustomerInput[],
  options: BulkCreateOptions,
): Promise<BulkCreateResult> {
  const ledger = CreateLedger.open(options.ledger, hd.provider, hd.account);
  const result: BulkCreateResult = { created: [], skipped: [], failed: [] };
  const { signal } = options;
  try {
    const keyed = records.map((customer, index) => ({
      index,
      customer,
      key: bulkKey(hd.provider, customer),
    }));
    ledger.add(keyed.map((r) => ({ key: r.key, line: r.index + 1 })));
    for (const { index, customer, key } of keyed) {
      signal?.throwIfAborted();
      const before = ledger.entry(key);
      if (before.status === "created") {
        result.skipped.push({ index, id: before.id });
        continue;
      }
      // An email with a lone surrogate would be looked up as another address (U+FFFD in its place).
      const refused = loneSurrogateIn({ email: primaryEmail(customer) });
      if (refused !== undefined) {
        result.failed.push({ index, error: new MigrateError(refused), sent: false });
        continue;
      }
      if (before.status === "unsure") {
        const found = await earlierCreate(hd, ledger, key, customer, signal);
        if (found !== "absent" && "id" in found) {
          ledger.created(key, found.id);
          result.skipped.push({ index, id: found.id });
          continue;
        }
        if (found !== "absent") {
          ledger.failed(key, found.why, true);
          result.failed.push({ index, error: new MigrateError(found.why), sent: false });
          continue;
        }
      }
      const generation = ledger.generation(key);
      ledger.sending(key);
      let id: string;
      let dropped: string[];
      try {
        const idempotencyKey = sendKey(hd.provider, customer, key, generation);
        const outcome = await hd.customers.create(customer, {
          idempotencyKey,
          trustIdempotencyKey: false,
          signal,
        });
        ({ id, dropped } = outcome);
      } catch (error) {
        if (classifyError(error) === "aborted") throw error;
        if (hadNoEffect(error)) {
          ledger.failed(key, reasonOf(error), false);
          result.failed.push({ index, error, sent: true });
          continue;
        }
        // The answer was lost: the record may be there. Look once now; the ledger keeps it unsure.
        ledger.failed(key, reasonOf(error), true);
        const found = await earlierCreate(hd, ledger, key, customer, signal);
        if (found !== "absent" && "id" in found) {
          ledger.created(key, found.id);
          result.created.push({ index, id: found.id, dropped: [] });
        } else {
          const why =
            found === "absent"
              ? `outcome unknown (${reasonOf(error)}); not found by email yet: the next run looks again before sending it`
              : found.why;
          ledger.failed(key, why, true);
          result.failed.push({ index, error: new MigrateError(why, { cause: error }), sent: true });
        }
        continue;
      }
      try {
        if (!(await createdRecordExists(hd, id, signal))) {
          const why = replayedReason(
            id,
            `run again, keeping ${options.ledger}: it looks the record up by email, then creates it with a new key`,
          );
          ledger.replayed(key, why);
          result.failed.push({ index, error: new MigrateError(why), sent: true });
          continue;
        }
      } catch (error) {
        if (classifyError(error) === "aborted") throw error;
        const why = `created as ${id}, but checking that it exists failed (${reasonOf(error)}); the next run looks it up by email`;
        ledger.failed(key, why, true);
        result.failed.push({ index, error: new MigrateError(why, { cause: error }), sent: true });
        continue;
      }
      ledger.created(key, id);
      result.created.push({ index, id, dropped });
    }
  } finally {
    ledger.close({
      created: result.created.length,
      skipped: result.skipped.length,
      failed: result.failed.length,
    });
  }
  return result;
}
