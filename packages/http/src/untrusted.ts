import type { Redactor } from "./redact.js";

/** C0 and C1 control characters and DEL: what starts a terminal escape sequence. */
const CONTROL = /\p{Cc}/gu;

/**
 * Makes a string from a server safe to put in an error, a log line or a terminal: control
 * characters removed (no escape sequences), whitespace flattened, credentials redacted, then cut to
 * `max` characters. Stripping comes first, so that a secret split by control characters is still found.
 */
export function untrusted(text: string, redactor: Redactor, max: number): string {
  const flat = text.replace(/\s+/g, " ").replace(CONTROL, "").trim();
  const clean = redactor.redact(flat);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * Redacts every string of a parsed JSON value (keys included), and cuts long strings, without
 * changing its structure. Parsing first and redacting after keeps the JSON valid.
 */
export function redactValue(value: unknown, redactor: Redactor, maxString = 2000, depth = 0): unknown {
  if (typeof value === "string") return untrusted(value, redactor, maxString);
  if (typeof value !== "object" || value === null) return value;
  // Bounded depth: a hostile body nested 100 000 levels deep must not overflow the stack.
  if (depth > 32) return "[nested too deep]";
  if (Array.isArray(value)) return value.map((v) => redactValue(v, redactor, maxString, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[untrusted(k, redactor, 200)] = redactValue(v, redactor, maxString, depth + 1);
  }
  return out;
}
