import { closeSync, openSync, writeSync } from "node:fs";
import { extname } from "node:path";
import { csvLine } from "./csv.js";
import { MigrateError } from "./errors.js";
import { type ReportRow, StateStore } from "./state.js";

const COLUMNS = ["source_id", "target_id", "action", "reason"] as const;

function line(format: "csv" | "json", row: ReportRow, first: boolean): string {
  if (format === "csv") return csvLine(COLUMNS.map((c) => row[c]));
  return `${first ? "" : ",\n"}${JSON.stringify(row)}`;
}

/**
 * Writes one row per record that a run touched (source id, target id, action, reason) to a `.csv`
 * or `.json` file, streaming from the state file. Returns the number of rows.
 */
export function writeReport(stateFile: string, file: string, runId?: number): number {
  const format =
    extname(file).toLowerCase() === ".json"
      ? "json"
      : extname(file).toLowerCase() === ".csv"
        ? "csv"
        : undefined;
  if (!format) throw new MigrateError(`report file must end in .csv or .json: ${file}`);
  const state = StateStore.open(stateFile, { readonly: true });
  let fd: number | undefined;
  try {
    const run = runId ?? state.lastRunId();
    if (run === undefined) throw new MigrateError(`no run recorded in ${stateFile} yet`);
    fd = openSync(file, "w");
    writeSync(fd, format === "csv" ? csvLine(COLUMNS) : "[\n");
    let count = 0;
    let chunk = "";
    for (const row of state.report(run)) {
      chunk += line(format, row, count++ === 0);
      if (chunk.length > 64 * 1024) {
        writeSync(fd, chunk);
        chunk = "";
      }
    }
    writeSync(fd, format === "csv" ? chunk : `${chunk}\n]\n`);
    return count;
  } finally {
    if (fd !== undefined) closeSync(fd);
    state.close();
  }
}
