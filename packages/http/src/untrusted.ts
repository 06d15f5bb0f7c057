import type { Redactor } from "./redact.js";

/**
 * C0 and C1 control characters and DEL (what starts a terminal escape sequence), and the invisible
 * format characters that reorder or hide text: bidi marks, overrides and isolates, zero-width ones.
 */
const CONTROL = /\p{Cc}/gu;
/** Invisible format characters that reorder or hide text: for `text.replace(INVISIBLE, "")`. */
export const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;

/**
 * Makes a string from a server safe to put in an error, a log line or a terminal: credentials
 * redacted, control and invisible characters removed (no escape sequences), whitespace flattened,
 * then cut to `max` characters. Redacted before and after cleaning, so that a secret split by
 * spaces or control characters is found either way.
 */
export function untrusted(text: string, redactor: Redactor, max: number): string {
  // Only the start of a long text is read; what could be part of a secret cut at the end is dropped.
  const window = max * 4 + redactor.longest;
  let head = redactor.redact(text.length > window ? text.slice(0, window) : text);
  if (text.length > window) head = head.slice(0, Math.max(0, head.length - redactor.longest));
  const flat = head.replace(INVISIBLE, "").replace(/\s+/g, " ").replace(CONTROL, "").trim();
  const clean = redactor.redact(flat);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Entries kept per list or object of an error body. */
const MAX_ENTRIES = 50;

/**
 * Redacts every string of a parsed JSON value (keys included), and cuts long strings, without
 * changing its structure. Parsing first and redacting after keeps the JSON valid.
 */
export function redactValue(value: unknown, redactor: Redactor, maxString = 2000, depth = 0): unknown {
  if (typeof value === "string") return untrusted(value, redactor, maxString);
  if (typeof value !== "object" || value === null) return value;
  // Bounded depth and width: a hostile body nested 100 000 levels deep must not overflow the
  // stack, and one of a million short strings must not make a 30 MB error.
  if (depth > 32) return "[nested too deep]";
  const next = (v: unknown) => redactValue(v, redactor, maxString, depth + 1);
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ENTRIES).map(next);
    if (value.length > MAX_ENTRIES) kept.push(`[${value.length - MAX_ENTRIES} more]`);
    return kept;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value);
  for (const [k, v] of entries.slice(0, MAX_ENTRIES)) out[untrusted(k, redactor, 200)] = next(v);
  if (entries.length > MAX_ENTRIES) out["[more]"] = `${entries.length - MAX_ENTRIES} more keys`;
  return out;
}

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

/**
 * Whether arrays and objects nest more than `max` levels in a parsed JSON value: a loop, so any
 * depth is safe to ask about. A 20,000-deep value parses, but overflows the stack of whatever
 * walks it recursively next (JSON.stringify, a mapper): check before keeping or sending it.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [item, depth] = top;
    if (item === null || typeof item !== "object") continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
