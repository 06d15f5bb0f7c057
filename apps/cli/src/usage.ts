import { MAX_JSON_DEPTH, readJson } from "@cskit/http/internal";

/** A mistake in how cskit was called: bad flag, malformed JSON, missing argument or credential. Exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The offset of the first syntax error in `text`, found by a small JSON scanner (Node 20 does not report it). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const ch = text[i] as string;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch < " ") fail();
      i += ch === "\\" ? 2 : 1;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const open = text[i];
    if (open === "{" || open === "[") {
      const close = open === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (open === "{") {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ":") fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (open === '"') {
      string();
      return;
    }
    literal.lastIndex = i;
    const match = literal.exec(text);
    if (!match) fail();
    i += (match as RegExpExecArray)[0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (offset) {
    return offset as number;
  }
}

/**
 * Parses JSON, or throws a UsageError that names the line and column of the mistake (or the
 * nesting limit, `MAX_JSON_DEPTH`). `firstLine` is the line `text` starts on in its file (a line of
 * an .ndjson file), so one line number is named.
 */
export function parseJson(text: string, source: string, firstLine?: number): unknown {
  const read = readJson(text);
  if (read === undefined) {
    const offset = Math.max(0, jsonErrorOffset(text));
    const before = text.slice(0, offset).split("\n");
    const line = before.length + (firstLine ?? 1) - 1;
    const column = (before.at(-1)?.length ?? 0) + 1;
    const found =
      offset >= text.length ? "unexpected end of input" : `unexpected ${JSON.stringify(text[offset])}`;
    throw new UsageError(
      `${source}: invalid JSON at line ${line}, column ${column}: ${capLength(found, 40)}`,
    );
  }
  if (read.tooDeep)
    throw new UsageError(
      `${source}${firstLine === undefined ? "" : ` line ${firstLine}`}: JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
  return read.value;
}

/** At most `max` characters, with an ellipsis when cut. */
export function capLength(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
