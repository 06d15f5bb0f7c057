/**
 * Rejects an id that would address another resource once put in a URL path ("", ".", "..", or
 * only whitespace), before any request is sent.
 */
export function checkId(id: unknown, what = "id"): string {
  if (typeof id !== "string" || id.trim() === "" || id === "." || id === ".." || /\p{Cs}/u.test(id)) {
    const shown = typeof id === "string" ? JSON.stringify(id) : typeof id;
    throw new TypeError(`${what} must be a non-empty string other than "." and "..", got ${shown}`);
  }
  return id;
}

// What a credential or id header may hold: visible ASCII and Latin-1 and single spaces; no tab,
// DEL or C1 control (a server echoing it back would see it cleaned, and the redactor miss it).
const HEADER_VALUE = /^[\x20-\x7e\xa0-\xff]*$/;

/**
 * Checks a value that goes into a header. The message names the option, never the value: for a
 * credential, fetch's own error would quote it.
 */
export function checkHeaderValue(factory: string, name: string, value: unknown, required: boolean): void {
  if (value === undefined || value === "") {
    if (required) throw new TypeError(`${factory}: ${name} is required`);
  } else if (typeof value !== "string" || !HEADER_VALUE.test(value) || /^ | $| {2}/.test(value)) {
    throw new TypeError(
      `${factory}: ${name} holds a line break, a control character, extra spaces or a character not allowed in an HTTP header (value not shown)`,
    );
  }
}
