// How customers are printed: a table, json, ndjson or csv, written as they arrive; --fields picked.
import { type ListColumn, PROVIDER_INFO, type Provider } from "@cskit/helpdesk/providers";
import { csvLine } from "@cskit/http/internal";
import type { Output } from "../../globals.js";
import type { Sink } from "../../io.js";
import { forTerminal, toJson } from "../../json.js";
import { capLength } from "../../usage.js";

type Json = Record<string, unknown>;

/** A column of a table or csv: its header and how to read it from a record. */
export interface Column {
  header: string;
  value(record: Json): string;
  /** Shown even when empty in every row (id, and the --fields asked for). */
  always?: boolean;
}

const str = (value: unknown): string =>
  value === null || value === undefined ? "" : typeof value === "object" ? toJson(value) : String(value);

/** The value at a dot path of a record (own fields only: `constructor` is no field), undefined when absent. */
function valueAt(record: Json, path: string): unknown {
  let value: unknown = record;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Json)[key];
  }
  return value;
}

/** What a default column shows: the first of its sources with a value (see `ListColumn`). */
function firstValue(record: Json, from: ListColumn["from"]): unknown {
  for (const source of from) {
    const value =
      typeof source === "string"
        ? valueAt(record, source)
        : source
            .map((path) => valueAt(record, path))
            .filter((part) => part)
            .join(" ") || undefined;
    if (value !== null && value !== undefined) return value;
  }
  return undefined;
}

/** The default columns of a customer of the API (its `listColumns`); the id is shown even when empty. */
const defaultColumns = (api: Provider): Column[] =>
  PROVIDER_INFO[api].listColumns.map(({ header, from }) => ({
    header,
    value: (r) => str(firstValue(r, from)),
    always: header === "id",
  }));

/**
 * The cell at a dot path (`address.city`), "" when absent. A list on the way applies the rest of the
 * path to each item (`emails.email`: every email, joined with ", "), as Apideck's `fields` reads it;
 * a number picks one item (`emails.0.email`).
 */
function cellAt(value: unknown, keys: readonly string[]): string {
  for (const [i, key] of keys.entries()) {
    if (Array.isArray(value) && !/^\d+$/.test(key))
      return value
        .map((item) => cellAt(item, keys.slice(i)))
        .filter((cell) => cell !== "")
        .join(", ");
    // Own fields only: `--fields constructor` must not print Object's constructor.
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return "";
    value = (value as Json)[key];
  }
  return str(value);
}

/** The `--fields` asked for: names, or dot paths, without blanks and repeats. */
function fieldsOf(fields: string | undefined): string[] {
  const asked = (fields ?? "")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  return [...new Set(asked)];
}

/** Keeps the `paths` of `value` (each applied to every item of a list on the way), as Apideck's `fields` does. */
function project(value: unknown, paths: readonly (readonly string[])[]): unknown {
  if (Array.isArray(value)) return value.map((item) => project(item, paths));
  if (typeof value !== "object" || value === null) return value;
  const source = value as Json;
  const heads = new Map<string, string[][]>();
  for (const [head, ...rest] of paths) if (head) heads.set(head, [...(heads.get(head) ?? []), rest]);
  const out: Json = {};
  for (const [head, rests] of heads) {
    // Own fields only: `--fields constructor` must not copy Object's constructor.
    if (!Object.hasOwn(source, head)) continue;
    out[head] = rests.some((rest) => rest.length === 0) ? source[head] : project(source[head], rests);
  }
  return out;
}

/**
 * A record with only the `--fields` asked for, and its id: what Apideck answers to `fields`, for an
 * API that always returns whole records (Deskero).
 */
export function pickFields(record: Json, fields: string | undefined): Json {
  const asked = fieldsOf(fields);
  if (asked.length === 0) return record;
  return project(
    record,
    ["id", ...asked].map((f) => f.split(".")),
  ) as Json;
}

/** The columns for a table or csv: the `--fields` asked for, in that order, or the API's default set. */
export function columnsOf(api: Provider, fields?: string): Column[] {
  const asked = fieldsOf(fields);
  if (asked.length === 0) return defaultColumns(api);
  return asked.map((f) => {
    const keys = f.split(".");
    return { header: f, value: (r: Json) => cellAt(r, keys), always: true };
  });
}

/** The widest a table cell gets before it is cut with an ellipsis (ids are never cut). */
const MIN_WIDTH = 6;

/**
 * Lays rows out in columns no wider than `width`, shrinking the widest column first. Cells are
 * made safe for a terminal; the id column is never cut, so that it can be copied.
 */
export function renderTable(columns: Column[], records: Json[], width: number): string {
  const headers = columns.map((c) => forTerminal(c.header.toUpperCase()));
  const rows = records.map((r) => columns.map((c) => forTerminal(c.value(r))));
  const shown = columns.map((_, i) => i).filter((i) => columns[i]?.always || rows.some((r) => r[i] !== ""));
  // A loop, not Math.max(...rows): a spread of 200,000 rows overflows the stack.
  const widths = shown.map((i) =>
    rows.reduce((w, r) => Math.max(w, (r[i] as string).length), (headers[i] as string).length),
  );
  const fixed = shown.map((i) => columns[i]?.header === "id");
  const gap = 2;
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * (shown.length - 1);
  while (total() > width) {
    const widest = Math.max(...widths.filter((_, j) => !fixed[j]));
    const j = widths.findIndex((w, k) => w === widest && !fixed[k]);
    if (j === -1 || widest <= MIN_WIDTH) break;
    widths[j] = widest - 1;
  }
  const line = (values: string[]) =>
    shown
      .map((i, j) => capLength(values[i] as string, widths[j] as number).padEnd(widths[j] as number))
      .join(" ".repeat(gap))
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

/** Writes records as they arrive. json and ndjson keep memory flat; table waits for the end to size its columns. */
export interface RecordWriter {
  write(record: Json): Promise<void>;
  end(): Promise<void>;
}

export interface WriterOptions {
  /** Terminal width for a table. */
  width?: number;
  /** `--fields`: the columns of a table or csv. */
  fields?: string | undefined;
}

/** The most a writer holds before it writes. */
export const BATCH_CHARS = 64 * 1024;

export function createRecordWriter(
  output: Output,
  api: Provider,
  sink: Sink,
  options: WriterOptions = {},
): RecordWriter {
  // Records are written in batches, not one write each (a write to a file is a system call): what
  // one turn of the event loop produced (a page), or 64 KiB, whichever comes first. While the sink
  // is full nothing more is written, and every write waits for it to drain (a slow reader of the
  // pipe holds the export; memory stays at one batch).
  let batch: string[] = [];
  let batchSize = 0;
  let scheduled = false;
  let full: Promise<void> | undefined;
  const flush = (): Promise<void> => {
    scheduled = false;
    if (full || batch.length === 0) return full ?? Promise.resolve();
    const chunk = batch.join("");
    batch = [];
    batchSize = 0;
    if (sink.write(chunk)) return Promise.resolve();
    full = new Promise<void>((resolve) =>
      sink.once("drain", () => {
        full = undefined;
        resolve();
      }),
    );
    return full;
  };
  const put = (chunk: string): Promise<void> => {
    batch.push(chunk);
    batchSize += chunk.length;
    if (full) return full;
    if (batchSize >= BATCH_CHARS) return flush();
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    return Promise.resolve();
  };
  const columns = columnsOf(api, options.fields);
  const csvHeader = csvLine(columns.map((c) => c.header));
  let count = 0;
  const records: Json[] = [];
  return {
    async write(record) {
      count++;
      if (output === "ndjson") return put(`${toJson(record)}\n`);
      if (output === "json") return put(`${count === 1 ? "[\n" : ",\n"}${toJson(record)}`);
      if (output === "csv") {
        const row = csvLine(columns.map((c) => c.value(record)));
        return put(count === 1 ? csvHeader + row : row);
      }
      records.push(record);
    },
    async end() {
      if (output === "json") batch.push(count === 0 ? "[]\n" : "\n]\n");
      if (output === "csv" && count === 0) batch.push(csvHeader);
      if (output === "table")
        batch.push(
          records.length === 0
            ? "No customers.\n"
            : `${renderTable(columns, records, options.width ?? 100)}\n`,
        );
      await full;
      return flush();
    },
  };
}

/** One object (a customer, a write result) in the chosen output; csv has its keys as columns. */
export function formatOne(output: Output, value: Json): string {
  if (output === "json") return `${toJson(value, { indent: 2 })}\n`;
  if (output === "ndjson") return `${toJson(value)}\n`;
  if (output === "csv") {
    const keys = Object.keys(value);
    return csvLine(keys) + csvLine(keys.map((k) => str(value[k])));
  }
  const keys = Object.keys(value).filter((k) => value[k] !== null && value[k] !== undefined);
  const pad = Math.max(0, ...keys.map((k) => forTerminal(k).length));
  return `${keys.map((k) => `${forTerminal(k).padEnd(pad)}  ${forTerminal(str(value[k]))}`.trimEnd()).join("\n")}\n`;
}
