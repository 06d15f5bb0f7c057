/**
 * Rejects an id that would address another resource once put in a URL path ("", ".", "..", or
 * only whitespace), before any request is sent.
 */
export function checkId(id: unknown, what = "id"): string {
  if (typeof id !== "string" || id.trim() === "" || id === "." || id === "..") {
    const shown = typeof id === "string" ? JSON.stringify(id) : typeof id;
    throw new TypeError(`${what} must be a non-empty string other than "." and "..", got ${shown}`);
  }
  return id;
}

// What a header value may hold: visible ASCII and Latin-1, spaces and tabs inside.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Checks a value that goes into a header. The message names the option, never the value: for a
 * credential, fetch's own error would quote it.
 */
export function checkHeaderValue(factory: string, name: string, value: unknown, required: boolean): void {
  if (value === undefined || value === "") {
    if (required) throw new TypeError(`${factory}: ${name} is required`);
  } else if (typeof value !== "string" || !HEADER_VALUE.test(value) || value !== value.trim()) {
    throw new TypeError(
      `${factory}: ${name} holds a line break, a control character or surrounding spaces (value not shown)`,
    );
  }
}
