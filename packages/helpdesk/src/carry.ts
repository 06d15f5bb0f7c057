import { customerReadOnlyFields as apideckReadOnly } from "@cskit/apideck-customer-support";
import { customerReadOnlyFields as deskeroReadOnly } from "@cskit/deskero";
import { copyJson, sameJson, setKey } from "./copy.js";
import { DESKERO_TO_UNIFIED, KEPT, READ_ONLY_FIELDS, UNIFIED_TO_APIDECK } from "./fields.js";
import type { Provider } from "./providers.js";
import type { UnifiedCustomerInput } from "./types.js";

type Json = Record<string, unknown>;

/** The fields of each provider's record that the provider sets itself: never written. */
export const PROVIDER_READ_ONLY_FIELDS: Readonly<Record<Provider, readonly string[]>> = {
  apideck: apideckReadOnly,
  deskero: deskeroReadOnly,
};

/** True for a provider field that the unified model has no home for (a Deskero birthDate, a field a spec lacks). */
function hasNoHome(provider: Provider, field: string): boolean {
  if (provider === "apideck") return !Object.hasOwn(UNIFIED_TO_APIDECK, field);
  const fate = (DESKERO_TO_UNIFIED as Record<string, string>)[field];
  return fate === undefined || fate === KEPT;
}

/** True when every unified field of `customer` is as `asRead` has it (read-only fields and `remote` aside). */
function unchanged(customer: Json, asRead: Json): boolean {
  const fields = new Set([...Object.keys(customer), ...Object.keys(asRead)]);
  for (const field of fields) {
    if (READ_ONLY_FIELDS.has(field)) continue;
    if (!sameJson(customer[field] ?? null, asRead[field] ?? null)) return false;
  }
  return true;
}

/**
 * Writing back to the provider a customer was read from. Unchanged since it was read: the record
 * as read, whole (its read-only fields aside), nothing dropped. Changed: the mapped record, plus
 * every field of `remote.data` the unified model has no home for, as it was.
 */
export function carryRemote(
  provider: Provider,
  customer: UnifiedCustomerInput,
  data: Json,
  asRead: Json,
  mapped: { record: object; dropped: string[] },
): { record: Json; dropped: string[] } {
  const readOnly = PROVIDER_READ_ONLY_FIELDS[provider];
  const fields = Object.keys(data).filter((f) => data[f] !== undefined && !readOnly.includes(f));
  if (unchanged(customer as Json, asRead)) {
    const record: Json = {};
    for (const field of fields) setKey(record, field, copyJson(data[field]));
    return { record, dropped: [] };
  }
  const record: Json = { ...mapped.record };
  for (const field of fields) {
    if (!Object.hasOwn(record, field) && hasNoHome(provider, field))
      setKey(record, field, copyJson(data[field]));
  }
  return { record, dropped: mapped.dropped };
}
