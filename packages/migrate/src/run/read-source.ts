import type { UnifiedCustomer } from "@cskit/helpdesk";
import {
  contentOf,
  escaped,
  hashOfContent,
  LONE_SURROGATE,
  loneSurrogateIn,
  primaryEmail,
} from "../content.js";
import { MigrateError } from "../errors.js";
import type { ScannedRecord } from "../state/store.js";
import { reading, SCAN_BATCH } from "./listing.js";
import type { Run } from "./run.js";

/**
 * Source pages read ahead of the one being stored (Deskero's client reads 8 by default). Pages
 * arriving faster than they are stored survive V8's scavenges and grow its young generation: with
 * 8, a 100,000-record run peaked at 203-234 MB, with 2 at 155 MB (120 MB at 10,000 either way).
 */
export const SOURCE_PAGES_AHEAD = 2;

/** Records stored at once while a writer waits for work (a Deskero page); SCAN_BATCH otherwise. */
const EARLY_BATCH = 25;

/** What the read tells the writer: how much is new, and when the source is read. */
export interface ReadListener {
  /** Records to write so far. */
  readonly total: number;
  /** A writer waits for records to write. */
  readonly hungry: boolean;
  /** `count` more records to write. */
  more(count: number): void;
  /** The source is read: the count of disappeared records, or undefined when the read stopped. */
  sourceRead(disappeared: number | undefined): void;
}

/** Reads every source record into the state, a page at a time, and tells the writer what is new. */
export async function readSource(run: Run, writer: ReadListener): Promise<void> {
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
      // A writer waiting for work gets it a page at a time, not after 200 records (8 source pages).
      if (batch.length >= SCAN_BATCH || (batch.length >= EARLY_BATCH && writer.hungry)) {
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
