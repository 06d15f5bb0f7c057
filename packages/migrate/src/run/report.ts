import { closeSync, openSync, type Stats, statSync, unlinkSync, writeSync } from "node:fs";
import { extname } from "node:path";
import { csvLine } from "@cskit/http/internal";
import { MigrateError } from "../errors.js";
import { type ReportRow, StateStore } from "../state/store.js";

const COLUMNS = ["source_id", "target_id", "action", "reason"] as const;

function line(format: "csv" | "json", row: ReportRow, first: boolean): string {
  if (format === "csv") return csvLine(COLUMNS.map((c) => row[c]));
  return `${first ? "" : ",\n"}${JSON.stringify(row)}`;
}

/** Why a file cannot be written, in words: the system's code for anything less common. */
const WHY: Record<string, string> = {
  ENOENT: "its folder does not exist",
  ENOTDIR: "a part of the path is not a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  EISDIR: "it is a folder",
};

function cannotWrite(file: string, error: unknown): MigrateError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = (code && WHY[code]) ?? code ?? (error as Error).message;
  return new MigrateError(`cannot write the report to ${file}: ${why}`, { cause: error });
}

/**
 * Throws a MigrateError naming `file` and why when a report could not be written there (a missing
 * or read-only folder, a folder, something not a regular file): call it before a run, so that a
 * long migration does not end on it. Opens the file for appending (or creates it and removes it).
 */
export function checkReportFile(file: string): void {
  let stats: Stats | undefined;
  try {
    stats = statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw cannotWrite(file, error);
  }
  if (stats?.isDirectory()) throw new MigrateError(`cannot write the report to ${file}: it is a folder`);
  // Opening a FIFO could block, a device never end: only a regular file is tried.
  if (stats && !stats.isFile())
    throw new MigrateError(`cannot write the report to ${file}: not a regular file`);
  try {
    closeSync(openSync(file, stats ? "a" : "wx"));
    if (!stats) unlinkSync(file);
  } catch (error) {
    throw cannotWrite(file, error);
  }
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
    try {
      fd = openSync(file, "w");
    } catch (error) {
      throw cannotWrite(file, error);
    }
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
