// A create's answer may be a replay: an idempotency key the target honours returns the id of the first
// create with that key, even when that record was deleted since (a ledger or state file deleted and
// started over derives the same content keys). Such an id is confirmed before it is called "created".
import type { Helpdesk } from "@cskit/helpdesk";
import { isNotFound } from "@cskit/http";

/**
 * Whether the record a create answered with exists. Where the target ignores idempotency keys
 * (`capabilities.idempotentCreate` false), an answer is always a new record: no request. Elsewhere
 * one `get`; an error other than "not found" is thrown (the caller keeps the create unsure).
 */
export async function createdRecordExists(
  hd: Helpdesk,
  id: string,
  signal?: AbortSignal | undefined,
): Promise<boolean> {
  if (!hd.capabilities.idempotentCreate) return true;
  try {
    await hd.customers.get(id, { signal });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** What a replayed create did, in words: nothing. */
export const replayedReason = (id: string, then: string) =>
  `an earlier create (id ${id}) was replayed; ${id} no longer exists; nothing created; ${then}`;
