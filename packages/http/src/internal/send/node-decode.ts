// Content-Encoding undone on the path of our own undici Agent, as undici's fetch undoes it (see decode.ts).
import type * as Zlib from "node:zlib";

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
