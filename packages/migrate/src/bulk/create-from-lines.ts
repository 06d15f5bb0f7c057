// Creating one record per line of NDJSON (the API's own records, as `cskit <api> customers list -o
// ndjson` writes them), through bulkCreate's ledger: `cskit <api> customers create --file x.ndjson`.
import type { Helpdesk, Provider, UnifiedCustomerInput } from "@cskit/helpdesk";
import { PROVIDER_READ_ONLY_FIELDS, toUnifiedInput } from "@cskit/helpdesk";
import { brandError } from "@cskit/http/internal";
import { MigrateError } from "../errors.js";
import { type BulkCreateOptions, bulkCreate } from "./bulk.js";

/** The lines cannot be created as they stand: a line is not a JSON object, or there is none. Nothing was sent. */
export class LinesError extends MigrateError {}
brandError(LinesError, "cskit:LinesError");

/**
 * A record of the provider's API as a unified customer to write: the fields the API sets itself
 * (`id`, `created_at`, ...) taken out and named in `readOnly`; the rest kept whole (see `fromUnified`).
 */
export function writableCustomer(
  provider: Provider,
  record: Record<string, unknown>,
): { customer: UnifiedCustomerInput; readOnly: string[] } {
  const readOnly = PROVIDER_READ_ONLY_FIELDS[provider].filter((k) => Object.hasOwn(record, k));
  const kept = { ...record };
  for (const key of readOnly) delete kept[key];
  return { customer: toUnifiedInput(provider, kept), readOnly };
}

/** Where `createFromLines` keeps its ledger, how it reads a line, and what it calls the input. */
export interface CreateFromLinesOptions extends BulkCreateOptions {
  /** The input's name in error messages, a file path for example (default `"input"`). */
  source?: string | undefined;
  /**
   * Reads the text of one line (trimmed, never blank) as a value; `line` counts from 1, blank lines
   * included. Default: `JSON.parse`, a `LinesError` naming the line when it fails. What it throws
   * ends the call before anything is sent.
   */
  parse?: ((text: string, line: number) => unknown) | undefined;
}

/** What became of each line, by its number (from 1). */
export interface CreateFromLinesResult {
  /** Created now; `dropped`: unified fields the helpdesk could not hold (see `WriteOutcome`). */
  created: { line: number; id: string; dropped: string[] }[];
  /** Created by an earlier run with this ledger (or an equal line above it): not sent. */
  skipped: { line: number; id: string }[];
  /** Not created, or not known to be; `sent`: a create was sent in this run (see `BulkCreateResult`). */
  failed: { line: number; error: unknown; sent: boolean }[];
  /** The read-only fields taken out of the lines sent in this run, sorted, each once (none when nothing was sent). */
  readOnly: string[];
}

/**
 * Creates a record in `hd` for each line of NDJSON, once, however often it is run with the same
 * ledger (see `bulkCreate`). Each line is a record of `hd`'s API; its read-only fields are left out.
 * Every line is read before the first create: a line that is not a JSON object (a `LinesError`, or
 * what `parse` throws), or no line at all, sends nothing.
 */
export async function createFromLines(
  hd: Helpdesk,
  lines: Iterable<string> | AsyncIterable<string>,
  options: CreateFromLinesOptions,
): Promise<CreateFromLinesResult> {
  const { source = "input", parse = parseLine(source), ...bulk } = options;
  const read: { line: number; customer: UnifiedCustomerInput; readOnly: string[] }[] = [];
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = raw.trim();
    if (text === "") continue;
    const value = parse(text, line);
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new LinesError(`${source} line ${line}: expected a JSON object`);
    read.push({ line, ...writableCustomer(hd.provider, value as Record<string, unknown>) });
  }
  if (read.length === 0) throw new LinesError(`${source}: no records (the file is empty)`);
  const result = await bulkCreate(
    hd,
    read.map((r) => r.customer),
    bulk,
  );
  const at = (index: number) => read[index] as (typeof read)[number];
  // Named for the lines sent only: a rerun that skips every line sends no field and names none.
  const sent = [...result.created, ...result.failed.filter((f) => f.sent)];
  return {
    created: result.created.map(({ index, id, dropped }) => ({ line: at(index).line, id, dropped })),
    skipped: result.skipped.map(({ index, id }) => ({ line: at(index).line, id })),
    failed: result.failed.map(({ index, error, sent }) => ({ line: at(index).line, error, sent })),
    readOnly: [...new Set(sent.flatMap((r) => at(r.index).readOnly))].sort(),
  };
}

/** `JSON.parse`, with a `LinesError` that names the line. */
const parseLine = (source: string) => (text: string, line: number) => {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new LinesError(`${source} line ${line}: invalid JSON (${(error as Error).message})`);
  }
};
