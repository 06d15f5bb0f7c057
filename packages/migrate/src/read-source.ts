import type { Helpdesk, UnifiedCustomer } from "@cskit/helpdesk";
import { classifyError } from "@cskit/http";
import {
  contentOf,
  escaped,
  hashOfContent,
  LONE_SURROGATE,
  loneSurrogateIn,
  primaryEmail,
} from "./content.js";
import { MigrateError, reasonOf } from "./errors.js";
import type { Run } from "./run.js";
import type { ScannedRecord } from "./state.js";
import type { Writer } from "./writer.js";

/** Source records stored in the state per transaction, and between two "scan" events. */
export const SCAN_BATCH = 200;

/**
 * Source pages read ahead of the one being stored (Deskero's client reads 8 by default). Pages
 * arriving faster than they are stored survive V8's scavenges and grow its young generation: with
 * 8, a 100,000-record run peaked at 203-234 MB, with 2 at 155 MB (120 MB at 10,000 either way).
 */
export const SOURCE_PAGES_AHEAD = 2;

/** Reads every source record into the state, a page at a time, and tells the writer what is new. */
export async function readSource(run: Run, writer: Writer): Promise<void> {
  const { options, state, runId, summary, emit, halt } = run;
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
  const source = reading(`the source (${options.from.provider})`, options.from, options.signal, {
    ahead: SOURCE_PAGES_AHEAD,
  });
  try {
    for await (const customer of source) {
      if (halt.now) return writer.sourceRead(undefined);
      const content = contentOf(customer);
      const id = sourceIdOf(customer);
      const email = primaryEmail(content);
      const refused = loneSurrogateIn({ id, email });
      if (refused === undefined) {
        batch.push({ sourceId: id, hash: hashOfContent(content), email, payload: JSON.stringify(content) });
      } else {
        // Kept in the state under an id SQLite stores as it is (escaped if the id is the problem),
        // so that it is reported as failed, with its reason, and never written.
        const sourceId = LONE_SURROGATE.test(id) ? escaped(id) : id;
        run.refused.set(sourceId, refused);
        batch.push({ sourceId, hash: "refused", email: undefined, payload: "{}" });
      }
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

export function sourceIdOf(customer: UnifiedCustomer): string {
  // The type promises a non-empty string; a Helpdesk written elsewhere may still break the promise,
  // and an empty id would make every such record one state row.
  const id: unknown = customer.remote?.id;
  if (typeof id !== "string" || id === "")
    throw new MigrateError("the source listed a customer without an id");
  return id;
}

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
