// Text that cskit reads from the user: stdin, files, .env. Decoded once, as UTF-8, without a BOM.
import type { Readable } from "node:stream";
import { DEFAULTS } from "@cskit/http/internal";
import { UsageError } from "./usage.js";

/** The most a create or update reads from stdin: one record, capped as an answer body is (32 MiB). */
export const MAX_STDIN_BYTES = DEFAULTS.maxResponseBytes;

/**
 * Bytes as UTF-8 text. Decoded once, so that a character split across two chunks of a pipe stays
 * whole, and without a leading byte order mark (Windows editors save one), which JSON and .env refuse.
 */
export function decodeText(bytes: Uint8Array): string {
  // TextDecoder drops a leading BOM unless told otherwise.
  return new TextDecoder("utf-8").decode(bytes);
}

/** All of `stream` as text, or a UsageError once it holds more than `max` bytes (`yes | cskit ... -`). */
export async function readStream(stream: Readable, source: string, max = MAX_STDIN_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    bytes += buffer.length;
    if (bytes > max) {
      stream.destroy();
      throw new UsageError(
        `${source}: more than ${max / (1024 * 1024)} MiB; one record is smaller (many records: --file records.ndjson)`,
      );
    }
    chunks.push(buffer);
  }
  return decodeText(Buffer.concat(chunks, bytes));
}
