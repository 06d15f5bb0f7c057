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
