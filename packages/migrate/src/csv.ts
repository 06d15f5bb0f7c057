// The one csv writer of cskit: RFC 4180 records, ended by CRLF, each cell safe for a spreadsheet.
// Also its own entry point (`@cskit/migrate/csv`), so that the CLI writes csv without loading SQLite.
import { csvField } from "@cskit/http";

/** A csv cell: quoted when needed, and never the start of a spreadsheet formula (OWASP). */
export function csvCell(value: string | null): string {
  return csvField(value ?? "");
}

/** One csv record: the cells, comma-separated, ended by CRLF (RFC 4180). */
export function csvLine(cells: readonly (string | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
