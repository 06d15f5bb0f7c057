// JSON text for values from a server or a file, safe for any depth and for a terminal.
import { INVISIBLE } from "@cskit/http/internal";

const MAX_INDENT_DEPTH = 100;

type Frame = { open: string; close: string; entries: [string | undefined, unknown][]; next: number };

/**
 * JSON.stringify without recursion: a hostile server's 100,000-deep array cannot overflow the stack.
 * Plain JSON data only (no toJSON, no cycles).
 */
export function toJson(value: unknown, options: { indent?: number } = {}): string {
  try {
    return escapeInvisible(JSON.stringify(value, null, options.indent) ?? "null");
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const indent = " ".repeat(options.indent ?? 0);
  const out: string[] = [];
  const stack: Frame[] = [];
  // Indented to MAX_INDENT_DEPTH, and on one line below it: a 200,000-deep value indented all the
  // way would need 40 GB of spaces; this way the output stays about as large as the input.
  const newline = (depth: number) => (indent && depth <= MAX_INDENT_DEPTH ? `\n${indent.repeat(depth)}` : "");
  const open = (item: unknown): void => {
    if (item === null || typeof item !== "object") {
      out.push(JSON.stringify(item) ?? "null");
      return;
    }
    const array = Array.isArray(item);
    const keys = array ? [] : Object.keys(item as object).filter((k) => (item as never)[k] !== undefined);
    const entries: Frame["entries"] = array
      ? (item as unknown[]).map((v) => [undefined, v])
      : keys.map((k) => [k, (item as Record<string, unknown>)[k]]);
    stack.push({ open: array ? "[" : "{", close: array ? "]" : "}", entries, next: 0 });
    out.push(array ? "[" : "{");
  };
  open(value);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const depth = stack.length;
    if (frame.next >= frame.entries.length) {
      stack.pop();
      out.push(`${frame.entries.length > 0 ? newline(depth - 1) : ""}${frame.close}`);
      continue;
    }
    const [key, item] = frame.entries[frame.next] as [string | undefined, unknown];
    out.push(`${frame.next > 0 ? "," : ""}${newline(depth)}`);
    if (key !== undefined) out.push(`${JSON.stringify(key)}:${indent ? " " : ""}`);
    frame.next++;
    open(item === undefined ? null : item);
  }
  return escapeInvisible(out.join(""));
}

/**
 * DEL, the C1 controls (U+0080..U+009F, U+009B is a one-character CSI) and bidi overrides pass
 * JSON.stringify raw; as \u escapes they are the same JSON and harmless on a terminal.
 */
function escapeInvisible(text: string): string {
  return text.replace(
    /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** C0 and C1 controls and DEL (with INVISIBLE: bidi and zero-width): never raw on a terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A server string made safe for one terminal line, as `gh` does: an escape sequence loses its ESC
 * (and CSI) so it prints as plain text, line breaks and tabs become spaces, other controls go.
 */
export function forTerminal(text: string): string {
  return text
    .replace(INVISIBLE, "")
    .replace(/[\t\n\r\u2028\u2029]+/g, " ")
    .replace(CONTROL, "");
}
