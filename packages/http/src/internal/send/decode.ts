// Content-Encoding and text, decoded the way undici's fetch does, so that both senders read the
// same bytes the same way (undici: lib/web/fetch/index.js, onHeaders; lib/web/fetch/util.js).
import type * as Zlib from "node:zlib";

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

/** The body over the cap at one decoding stage. */
export const TOO_LARGE = Symbol("too large");

/**
 * Undoes `codings` (last applied, first undone) with undici's leniency: a truncated gzip or
 * deflate stream gives what it holds (Z_SYNC_FLUSH, as curl), deflate is zlib-wrapped or raw by
 * its first byte. Empty stays empty. Each stage's output is held to `maxBytes`; zlib errors throw.
 */
export function decodeBody(
  zlib: typeof Zlib,
  body: Buffer,
  codings: readonly string[],
  maxBytes: number,
): Buffer | typeof TOO_LARGE {
  const { Z_SYNC_FLUSH, BROTLI_OPERATION_FLUSH } = zlib.constants;
  const lenient = { finishFlush: Z_SYNC_FLUSH, maxOutputLength: maxBytes };
  let bytes = body;
  try {
    for (let i = codings.length - 1; i >= 0 && bytes.byteLength > 0; i--) {
      const coding = codings[i];
      if (coding === "br")
        bytes = zlib.brotliDecompressSync(bytes, {
          finishFlush: BROTLI_OPERATION_FLUSH,
          maxOutputLength: maxBytes,
        });
      else if (coding === "deflate")
        bytes =
          ((bytes[0] as number) & 15) === 8
            ? zlib.inflateSync(bytes, lenient)
            : zlib.inflateRawSync(bytes, lenient);
      else bytes = zlib.gunzipSync(bytes, lenient);
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") return TOO_LARGE;
    throw error;
  }
  return bytes;
}
