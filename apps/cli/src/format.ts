import type { Api, Output } from "./plan.js";

/** The columns a table or csv shows for a customer of either API. */
export const COLUMNS = ["id", "name", "email", "phone", "company", "status", "updated"] as const;
type Row = Record<(typeof COLUMNS)[number], string>;

type Json = Record<string, unknown>;
const str = (value: unknown): string => (value === null || value === undefined ? "" : String(value));
const first = (list: unknown, key: string): string =>
  Array.isArray(list) && list.length > 0 ? str((list[0] as Json)?.[key]) : "";

/** The useful columns of one customer record. */
export function rowOf(api: Api, record: Json): Row {
  if (api === "apideck") {
    const person = [record.first_name, record.last_name].filter((v) => v).join(" ");
    return {
      id: str(record.id),
      name: person || str(record.company_name),
      email: first(record.emails, "email"),
      phone: first(record.phone_numbers, "number"),
      company: str(record.company_name),
      status: str(record.status),
      updated: str(record.updated_at),
    };
  }
  return {
    id: str(record.id),
    name: str(record.name),
    email: str(record.email),
    phone: str(record.phoneNumber ?? record.mobileNumber),
    company: str(record.company),
    status: record.topClient === true ? "top client" : "",
    updated: "",
  };
}

/** One field of RFC 4180 csv: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Lays rows out in columns no wider than `width`, shrinking the widest column first. */
export function renderTable(rows: Row[], width: number): string {
  const cols = COLUMNS.filter((c) => c === "id" || rows.some((r) => r[c] !== ""));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const gap = 2;
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * (cols.length - 1);
  while (total() > width) {
    const widest = widths.indexOf(Math.max(...widths));
    if ((widths[widest] as number) <= 6) break;
    widths[widest] = (widths[widest] as number) - 1;
  }
  const cell = (value: string, i: number) => {
    const w = widths[i] as number;
    const fitted = value.length > w ? `${value.slice(0, w - 1)}…` : value;
    return fitted.padEnd(w);
  };
  const line = (values: string[]) => values.map(cell).join(" ".repeat(gap)).trimEnd();
  return [line(cols.map((c) => c.toUpperCase())), ...rows.map((r) => line(cols.map((c) => r[c])))].join("\n");
}

/** Something with a write that may ask us to wait (process.stdout, a file stream). */
export interface Sink {
  write(chunk: string): boolean;
  once(event: "drain", listener: () => void): unknown;
}

/** Writes records as they arrive. json and ndjson keep memory flat; table waits for the end to size its columns. */
export interface RecordWriter {
  write(record: Json): Promise<void>;
  end(): Promise<void>;
}

export function createRecordWriter(output: Output, api: Api, sink: Sink, width = 100): RecordWriter {
  const put = (chunk: string) =>
    sink.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => sink.once("drain", resolve));
  let count = 0;
  const rows: Row[] = [];
  return {
    async write(record) {
      count++;
      if (output === "ndjson") return put(`${JSON.stringify(record)}\n`);
      if (output === "json") return put(`${count === 1 ? "[\n" : ",\n"}${JSON.stringify(record)}`);
      if (output === "csv") {
        const header = count === 1 ? `${COLUMNS.join(",")}\r\n` : "";
        const row = rowOf(api, record);
        return put(`${header}${COLUMNS.map((c) => csvField(row[c])).join(",")}\r\n`);
      }
      rows.push(rowOf(api, record));
    },
    async end() {
      if (output === "json") return put(count === 0 ? "[]\n" : "\n]\n");
      if (output === "csv" && count === 0) return put(`${COLUMNS.join(",")}\r\n`);
      if (output === "table")
        return put(rows.length === 0 ? "No customers.\n" : `${renderTable(rows, width)}\n`);
    },
  };
}

/** One object (a customer, a write result) in the chosen output. */
export function formatOne(output: Output, value: Json): string {
  if (output === "json") return `${JSON.stringify(value, null, 2)}\n`;
  if (output === "ndjson") return `${JSON.stringify(value)}\n`;
  if (output === "csv") {
    const keys = Object.keys(value);
    return `${keys.map(csvField).join(",")}\r\n${keys.map((k) => csvField(flat(value[k]))).join(",")}\r\n`;
  }
  const keys = Object.keys(value).filter((k) => value[k] !== null && value[k] !== undefined);
  const pad = Math.max(...keys.map((k) => k.length));
  return `${keys.map((k) => `${k.padEnd(pad)}  ${flat(value[k])}`).join("\n")}\n`;
}

function flat(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : str(value);
}
