// What identifies a source record's content, and the keys derived from it.
import { hash } from "node:crypto";
import type { UnifiedCustomer, UnifiedCustomerInput } from "@cskit/helpdesk";

/** Fields that describe the record at its provider, not its content. */
const NOT_CONTENT = new Set(["id", "remote", "created_at", "updated_at", "created_by", "updated_by"]);

/** The writable content of a unified customer: what a create or update sends. */
export function contentOf(customer: UnifiedCustomer | UnifiedCustomerInput): UnifiedCustomerInput {
  const content: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(customer)) if (!NOT_CONTENT.has(key)) content[key] = value;
  return content as UnifiedCustomerInput;
}

/** Nesting kept in a content hash; deeper parts of a hostile record hash as one marker. */
const MAX_DEPTH = 64;

/** JSON of a key, quoted; the keys seen most are kept (a record's keys repeat from record to record). */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_KEPT = 1024;

function quoted(key: string): string {
  let text = quotedKeys.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_KEPT) quotedKeys.set(key, text);
  }
  return text;
}

/** Up to this many keys, sorted in place by insertion: `Array.prototype.sort` allocates a copy to sort. */
const FEW_KEYS = 32;

/** An object's keys in the order of the default sort (UTF-16 code units, as `<`). */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  if (keys.length > FEW_KEYS) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > key; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = key;
  }
  return keys;
}

/**
 * JSON with sorted keys, so that equal content always gives equal text. Appended to one string,
 * not built per level: it runs once per source record, and was a tenth of a run's garbage.
 */
function stableJson(value: unknown, depth = 0, out = ""): string {
  if (depth > MAX_DEPTH) return `${out}"[nested too deep]"`;
  if (Array.isArray(value)) {
    out += "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      // A hole stays empty, as `map` and `join` leave it (JSON.parse never makes one).
      if (i in value) out = stableJson(value[i], depth + 1, out);
    }
    return `${out}]`;
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    out += "{";
    let first = true;
    for (const key of sortedKeys(record)) {
      const v = record[key];
      if (v === undefined) continue;
      if (!first) out += ",";
      first = false;
      out += quoted(key);
      out += ":";
      out = stableJson(v, depth + 1, out);
    }
    return `${out}}`;
  }
  return out + (JSON.stringify(value) ?? "null");
}

// The one-shot `hash`: no Hash object per call (two calls per record).
const sha256 = (text: string) => hash("sha256", text, "hex");

/** A hash of the record's content: it changes exactly when something a write would carry changes. */
export function contentHash(customer: UnifiedCustomer | UnifiedCustomerInput): string {
  return hashOfContent(contentOf(customer));
}

/** `contentHash` of what `contentOf` returned already (the same hash, one copy fewer). */
export function hashOfContent(content: UnifiedCustomerInput): string {
  return sha256(stableJson(content)).slice(0, 32);
}

/**
 * A hash of everything a create of `customer` at `provider` sends: its content, and the provider's own
 * record that `fromUnified` carries along when `remote` is of the same provider (a native record read
 * from a file keeps the fields the unified model has no home for).
 */
export function writeHash(provider: string, customer: UnifiedCustomerInput): string {
  const remote = customer.remote?.provider === provider ? customer.remote.data : undefined;
  return sha256(stableJson({ content: contentOf(customer), remote })).slice(0, 32);
}

/**
 * The idempotency key of the create of one source record version: the same (provider, id, content,
 * generation) always gives the same key, so a create whose answer was lost is not repeated, on retry
 * or rerun. `generation` counts the target copies the migration deleted: a create after a delete must
 * not replay the first create's answer (the deleted id).
 */
export function idempotencyKey(provider: string, sourceId: string, hash: string, generation = 0): string {
  const again = generation === 0 ? "" : `\n${generation}`;
  return `cskit-migrate-${sha256(`${provider}\n${sourceId}\n${hash}${again}`).slice(0, 40)}`;
}

/** Half of a UTF-16 surrogate pair, alone (a well-formed pair is one code point, not matched). */
export const LONE_SURROGATE = /\p{Cs}/u;

/** `text` as JSON writes it: quoted, a lone surrogate escaped (`"x\ud800"`), printable and unique. */
export const escaped = (text: string): string => JSON.stringify(text);

/**
 * Why a record cannot be written safely, or undefined: its id or its primary email holds a lone
 * UTF-16 surrogate (`/\p{Cs}/u`: half of a pair, such as `\ud800` alone). SQLite stores it, and the
 * key hash reads it, as U+FFFD, so `x\ud800` and `x\ud801` would become one state row and one key;
 * and a lookup by such an email searches another address. Such a record is refused, never guessed.
 */
export function loneSurrogateIn(fields: {
  id?: string | undefined;
  email?: string | undefined;
}): string | undefined {
  for (const [name, value] of Object.entries(fields))
    if (value !== undefined && LONE_SURROGATE.test(value))
      return `its ${name} ${escaped(value)} holds a lone UTF-16 surrogate, which SQLite and the key hash read as U+FFFD (the same as other ${name}s): not written; fix it at the source`;
  return undefined;
}

/**
 * The primary email (or the first), trimmed, as the source wrote it: a lookup of an earlier create
 * searches it as written (Deskero's search is exact) and lower-cased; matching lower-cases it.
 */
export function primaryEmail(customer: UnifiedCustomer | UnifiedCustomerInput): string | undefined {
  // A server's record may hold anything here: a string, nulls in the list.
  const emails = (Array.isArray(customer.emails) ? customer.emails : []).filter(
    (e): e is { email: string; type?: string } =>
      typeof e === "object" && e !== null && typeof e.email === "string" && e.email.trim() !== "",
  );
  const chosen = emails.find((e) => e.type === "primary") ?? emails[0];
  return chosen?.email.trim();
}
