// Creating many records in one helpdesk, with a ledger so that a rerun (after a crash, a SIGKILL, a
// failed line) creates each record once: `cskit <api> customers create --file x.ndjson`.
import type { Helpdesk, Provider, UnifiedCustomerInput } from "@cskit/helpdesk";
import { classifyError, hadNoEffect } from "@cskit/http";
import { idempotencyKey, writeHash } from "./content.js";
import { MigrateError, reasonOf } from "./errors.js";
import { CreateLedger } from "./ledger.js";

/** Where `bulkCreate` keeps its ledger, and how it stops. */
export interface BulkCreateOptions {
  /**
   * The ledger: a SQLite file (the state store of a migration), created if missing. Each create is
   * marked in flight before it is sent and recorded once it is answered; a rerun with the same file
   * skips what was created, and a second run on it is refused while one runs.
   */
  ledger: string;
  /** A JSON-lines ledger of an older cskit (`{ key, id }` per line), brought in first when it exists. */
  importJsonl?: string | undefined;
  /** Stops the run (the create in flight is aborted); the ledger keeps what was done. */
  signal?: AbortSignal | undefined;
}

/** What became of each record, by its index in `records`. */
export interface BulkCreateResult {
  /** Created now; `dropped`: unified fields the helpdesk could not hold (see `WriteOutcome`). */
  created: { index: number; id: string; dropped: string[] }[];
  /** Created by an earlier run with this ledger (or an equal record earlier in `records`): not sent. */
  skipped: { index: number; id: string }[];
  /**
   * Not created. `sent`: the create was sent (and failed); false for a create that an earlier run may
   * have done, on a helpdesk without idempotent creates, which is not sent blindly again.
   */
  failed: { index: number; error: unknown; sent: boolean }[];
}

const TITLE: Record<Provider, string> = { apideck: "Apideck", deskero: "Deskero" };

/** The ledger's key of a record: the same content always gives the same key (and idempotency key). */
export function bulkKey(provider: Provider, customer: UnifiedCustomerInput): string {
  return idempotencyKey("file", "", writeHash(provider, customer));
}

/**
 * Creates each record in `hd` once, however often it is run with the same ledger. Where the helpdesk
 * has idempotent creates (`capabilities.idempotentCreate`), each create carries its record's key, so
 * even a create whose answer was lost is not repeated; where it has none, such a create is reported
 * as failed, not sent again. A rejected promise means the run could not start (the ledger is locked
 * or belongs to another account) or was aborted; a record that fails is in `failed`.
 */
export async function bulkCreate(
  hd: Helpdesk,
  records: readonly UnifiedCustomerInput[],
  options: BulkCreateOptions,
): Promise<BulkCreateResult> {
  const ledger = CreateLedger.open(options.ledger, hd.provider, hd.account);
  const result: BulkCreateResult = { created: [], skipped: [], failed: [] };
  try {
    if (options.importJsonl !== undefined) ledger.importJsonl(options.importJsonl);
    const keyed = records.map((customer, index) => ({
      index,
      customer,
      key: bulkKey(hd.provider, customer),
    }));
    ledger.add(keyed.map((r) => ({ key: r.key, line: r.index + 1 })));
    for (const { index, customer, key } of keyed) {
      options.signal?.throwIfAborted();
      const before = ledger.entry(key);
      if (before.status === "created") {
        result.skipped.push({ index, id: before.id });
        continue;
      }
      if (before.status === "unsure" && !hd.capabilities.idempotentCreate) {
        const error = new MigrateError(
          `an earlier create of this record may have reached ${TITLE[hd.provider]} (its answer was lost); not sent again, to avoid a duplicate: check, then delete ${options.ledger} to start over`,
        );
        result.failed.push({ index, error, sent: false });
        continue;
      }
      ledger.sending(key);
      try {
        const outcome = await hd.customers.create(customer, { idempotencyKey: key, signal: options.signal });
        ledger.created(key, outcome.id);
        result.created.push({ index, id: outcome.id, dropped: outcome.dropped });
      } catch (error) {
        if (classifyError(error) === "aborted") throw error;
        ledger.failed(key, reasonOf(error), !hadNoEffect(error));
        result.failed.push({ index, error, sent: true });
      }
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
