// The one csv writer of cskit (the migration report, the CLI's `-o csv`): RFC 4180 records, ended
// by CRLF, each cell safe for a spreadsheet.
import { INVISIBLE } from "../untrusted.js";

/**
 * One csv field (RFC 4180). Controls other than tab, CR and LF are dropped. Against formulas (OWASP
 * CSV injection), for every reader:
 * - quoted when it holds a comma, a semicolon, a tab, a quote or a line break: a spreadsheet that
 *   honours quotes keeps it one cell whatever its list separator (`;` in many European locales);
 * - a `'` goes before = + - @ that starts the cell or a piece after , ; tab CR or LF, so that a
 *   reader splitting on one of them anyway (quotes ignored: Excel's import with no text qualifier)
 *   gets no piece that starts a formula: `x;=1+2` is written `"x;'=1+2"`;
 * - a cell starting with tab or CR gets a `'` too.
 * The value read back carries those `'`s; text without a formula trigger is unchanged.
 */
export function csvField(raw: string): string {
  const visible = raw.replace(INVISIBLE, "").replace(/[\u2028\u2029]/g, " ");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping them is the point
  let value = visible.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, "");
  value = value.replace(/(^|[,;\t\r\n])(?=[=+\-@])/g, "$1'");
  if (/^[\t\r]/.test(value)) value = `'${value}`;
  return /[",;\t\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One csv record: the cells (null is an empty cell), comma-separated, ended by CRLF (RFC 4180). */
export function csvLine(cells: readonly (string | null)[]): string {
  return `${cells.map((cell) => csvField(cell ?? "")).join(",")}\r\n`;
}
