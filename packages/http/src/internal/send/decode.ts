// Content-Encoding and text, decoded the way undici's fetch does, so that both senders read the
// same bytes the same way (undici: lib/web/fetch/index.js, onHeaders; lib/web/fetch/util.js).

/** More codings than this are refused before the body is read (undici allows 5). */
export const MAX_CODINGS = 4;
const KNOWN = new Set(["gzip", "x-gzip", "deflate", "br", "identity"]);
const utf8 = new TextDecoder(); // strips a leading BOM; a bad sequence becomes U+FFFD

/** UTF-8 text of a body, without its BOM. */
export const decodeText = (bytes: Uint8Array): string => utf8.decode(bytes);

/**
 * No body to read, whatever the Content-Encoding says: 204, 304, an answer to HEAD, and one that
 * declares `Content-Length: 0`.
 */
export const declaresNoBody = (
  method: string,
  status: number,
  contentLength: string | null | undefined,
): boolean => status === 204 || status === 304 || method === "HEAD" || contentLength === "0";

/**
 * The codings of a Content-Encoding value, in the order they were applied; identity dropped.
 * A string is the reason the answer cannot be read: too many codings, or one cskit does not read.
 */
export function codingsOf(header: string | null | undefined): string[] | string {
  if (header == null || header.trim() === "") return [];
  const listed = header.toLowerCase().split(",");
  if (listed.length > MAX_CODINGS)
    return `the answer lists ${listed.length} content codings; at most ${MAX_CODINGS} are read`;
  const codings: string[] = [];
  for (const entry of listed) {
    const coding = entry.trim();
    if (!KNOWN.has(coding))
      return `the answer's content coding ${JSON.stringify(coding.slice(0, 40))} is not one cskit reads (gzip, deflate, br)`;
    // undici passes a list holding identity through undecoded: refuse it rather than read garbage.
    if (coding === "identity" && listed.length > 1)
      return "the answer mixes identity with other content codings";
    if (coding !== "identity") codings.push(coding);
  }
  return codings;
}
