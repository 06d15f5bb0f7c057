// Listing every customer of a helpdesk, for the phases that read the source or the target.
import type { Helpdesk } from "@cskit/helpdesk";
import { classifyError } from "@cskit/http";
import { MigrateError, reasonOf } from "../errors.js";

/** Source records stored in the state per transaction, and between two "scan" events. */
export const SCAN_BATCH = 200;

/**
 * Every customer of a helpdesk, pages read ahead by its client. Retries and waits on 429 are the
 * client's (its traffic policy); a listing that still fails, or loops, ends the run saying which.
 * `fields`: only these, where the provider can pick them (Apideck); whole customers elsewhere.
 * `ahead`: pages read ahead (the client's default when omitted).
 */
export async function* reading(
  what: string,
  helpdesk: Helpdesk,
  signal: AbortSignal | undefined,
  { fields, ahead }: { fields?: string; ahead?: number } = {},
) {
  try {
    const picked = helpdesk.provider === "apideck" ? fields : undefined;
    yield* helpdesk.customers.iterate({ signal, fields: picked, ahead });
  } catch (error) {
    if (classifyError(error) === "aborted") throw error;
    throw new MigrateError(`reading ${what} failed: ${reasonOf(error)}`, { cause: error });
  }
}
