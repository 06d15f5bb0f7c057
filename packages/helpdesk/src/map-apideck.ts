import type {
  Customer as ApideckCustomer,
  CustomerInput as ApideckInput,
} from "@cskit/apideck-customer-support";
import { copyJson } from "./copy.js";
import { sortPaths } from "./dropped.js";
import { isCurrency, isCustomerStatus } from "./enums.js";
import { READ_ONLY_FIELDS, WRITABLE_FIELDS } from "./fields.js";
import type { UnifiedCustomer, UnifiedCustomerInput } from "./types.js";

type Json = Record<string, unknown>;

/**
 * An Apideck record in the unified model: the same fields (a copy), plus `remote`. A record without
 * an id (some connectors leave it out) gets the id "".
 */
export function apideckToUnified(record: ApideckCustomer): UnifiedCustomer {
  if (!record || typeof record !== "object")
    throw new TypeError("toUnified: an Apideck record must be an object");
  const id = typeof record.id === "string" ? record.id : "";
  return { ...copyJson(record), id, remote: { provider: "apideck", id, data: record } };
}

/** Entries a request cannot carry: a phone number without a string `number`, an email without `email`. */
const ENTRY_CHECKS: Record<string, (entry: Json) => boolean> = {
  phone_numbers: (entry) => typeof entry.number === "string",
  emails: (entry) => "email" in entry && (entry.email === null || typeof entry.email === "string"),
  addresses: () => true,
};

/** The type of each scalar or object field in a request; null is allowed, except for `bank_accounts`. */
const KINDS: Record<string, "string" | "boolean" | "object"> = {
  company_name: "string",
  first_name: "string",
  last_name: "string",
  notes: "string",
  tax_number: "string",
  individual: "boolean",
  bank_accounts: "object",
};

/** The entries of a list the request schema can hold; the others are reported as `field[i]`. */
function sendableEntries(field: string, entries: unknown[], dropped: string[]): unknown[] {
  const check = ENTRY_CHECKS[field] as (entry: Json) => boolean;
  return entries.filter((entry, i) => {
    const ok = entry !== null && typeof entry === "object" && check(entry as Json);
    if (!ok) dropped.push(`${field}[${i}]`);
    return ok;
  });
}

/** A unified customer as an Apideck request body, and every unified value the request schema cannot hold. */
export function unifiedToApideck(customer: UnifiedCustomerInput): {
  record: ApideckInput;
  dropped: string[];
} {
  const record: Json = {};
  const dropped: string[] = [];
  for (const [field, value] of Object.entries(customer as Json)) {
    if (value === undefined || READ_ONLY_FIELDS.has(field)) continue;
    if (!WRITABLE_FIELDS.has(field)) {
      if (value !== null) dropped.push(field);
      continue;
    }
    const kind = KINDS[field];
    if (kind && value !== null && (typeof value !== kind || Array.isArray(value))) dropped.push(field);
    else if (field === "bank_accounts" && value === null) continue;
    else if (field === "currency" && value !== null && !isCurrency(value)) dropped.push(field);
    else if (field === "status" && value !== null && !isCustomerStatus(value)) dropped.push(field);
    else if (field in ENTRY_CHECKS) {
      // A list that is not an array cannot be sent (null is no value: not reported).
      if (Array.isArray(value)) record[field] = sendableEntries(field, value, dropped);
      else if (value !== null) dropped.push(field);
    } else record[field] = value;
  }
  return { record: copyJson(record) as ApideckInput, dropped: sortPaths(dropped) };
}
