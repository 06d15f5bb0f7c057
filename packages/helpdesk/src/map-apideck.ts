import type {
  Customer as ApideckCustomer,
  CustomerInput as ApideckInput,
  components,
} from "@cskit/apideck-customer-support";
import { copyJson } from "./copy.js";
import { sortPaths } from "./dropped.js";
import { isEmailAddress } from "./email.js";
import {
  ADDRESS_TYPES,
  BANK_ACCOUNT_TYPES,
  EMAIL_TYPES,
  isCurrency,
  isCustomerStatus,
  isOneOf,
  PHONE_NUMBER_TYPES,
} from "./enums.js";
import { READ_ONLY_FIELDS, WRITABLE_FIELDS } from "./fields.js";
import type { UnifiedCustomerInput } from "./types.js";

type Json = Record<string, unknown>;
type Schemas = components["schemas"];

/**
 * An Apideck record in the unified model: the same fields (a copy), plus `remote`. A record without
 * a string id has no `id` (never a made-up one); `toUnified` refuses it, `toUnifiedInput` keeps it.
 */
export function apideckToUnified(record: ApideckCustomer): UnifiedCustomerInput {
  if (!record || typeof record !== "object")
    throw new TypeError("toUnified: an Apideck record must be an object");
  const { id: _, ...fields } = copyJson(record);
  const id = typeof record.id === "string" ? record.id : undefined;
  return {
    ...fields,
    ...(id === undefined ? {} : { id }),
    remote: { provider: "apideck", id, data: record },
  };
}

/** What a request schema takes in one key: `accepts` a set value; `nullable` when null may be sent. */
interface Rule {
  accepts: (value: unknown) => boolean;
  nullable: boolean;
  required?: true;
}
const isText = (value: unknown) => typeof value === "string";
const TEXT: Rule = { accepts: isText, nullable: true };
const oneOf = (values: readonly string[], nullable = false): Rule => ({ accepts: isOneOf(values), nullable });
/** Every key of a request object; the compiler refuses a key the generated type lacks or adds. */
type Rules<T> = Record<keyof Required<T>, Rule>;

const ADDRESS: Rules<Schemas["AddressInput"]> = {
  id: TEXT,
  string: TEXT,
  name: TEXT,
  line1: TEXT,
  line2: TEXT,
  line3: TEXT,
  line4: TEXT,
  street_number: TEXT,
  city: TEXT,
  state: TEXT,
  postal_code: TEXT,
  country: TEXT,
  latitude: TEXT,
  longitude: TEXT,
  county: TEXT,
  contact_name: TEXT,
  salutation: TEXT,
  phone_number: TEXT,
  fax: TEXT,
  email: TEXT,
  website: TEXT,
  row_version: TEXT,
  type: oneOf(ADDRESS_TYPES),
};
const PHONE_NUMBER: Rules<Schemas["PhoneNumberInput"]> = {
  id: TEXT,
  country_code: TEXT,
  area_code: TEXT,
  extension: TEXT,
  number: { accepts: (value) => isText(value) && value !== "", nullable: false, required: true },
  type: oneOf(PHONE_NUMBER_TYPES),
};
const EMAIL: Rules<Schemas["EmailInput"]> = {
  id: { accepts: isText, nullable: false },
  email: { accepts: isEmailAddress, nullable: false, required: true },
  type: oneOf(EMAIL_TYPES),
};
const BANK_ACCOUNT: Rules<Schemas["BankAccountInput"]> = {
  account_number: TEXT,
  account_name: TEXT,
  iban: TEXT,
  bic: TEXT,
  bsb_number: TEXT,
  branch_identifier: TEXT,
  bank_code: TEXT,
  account_type: oneOf(BANK_ACCOUNT_TYPES, true),
  currency: { accepts: isCurrency, nullable: true },
};
const LIST_ENTRIES: Record<string, Record<string, Rule>> = {
  addresses: ADDRESS,
  phone_numbers: PHONE_NUMBER,
  emails: EMAIL,
};

/**
 * The part of `value` that a request object can hold, or undefined when it cannot be sent at all
 * (not an object, or a required key it cannot hold): then `path` is reported. Otherwise each key it
 * cannot hold is reported as `path.key`; a null where the schema takes none is left out (no value).
 */
function sendable(
  value: unknown,
  rules: Record<string, Rule>,
  path: string,
  dropped: string[],
): Json | undefined {
  const entry = value as Json;
  const fits = value !== null && typeof value === "object" && !Array.isArray(value);
  if (!fits || Object.entries(rules).some(([key, rule]) => rule.required && !rule.accepts(entry[key]))) {
    dropped.push(path);
    return undefined;
  }
  const out: Json = {};
  for (const [key, item] of Object.entries(entry)) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (item === undefined || (item === null && !rule?.nullable)) continue;
    if (rule && (item === null || rule.accepts(item))) out[key] = item;
    else dropped.push(`${path}.${key}`);
  }
  return out;
}

/** The type of each scalar field in a request; null is allowed. */
const KINDS: Record<string, "string" | "boolean"> = {
  company_name: "string",
  first_name: "string",
  last_name: "string",
  notes: "string",
  tax_number: "string",
  individual: "boolean",
};

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
    const entryRules = LIST_ENTRIES[field];
    if (kind) {
      if (value === null || typeof value === kind) record[field] = value;
      else dropped.push(field);
    } else if (field === "currency" || field === "status") {
      const known = field === "currency" ? isCurrency(value) : isCustomerStatus(value);
      if (value === null || known) record[field] = value;
      else dropped.push(field);
    } else if (field === "bank_accounts") {
      // BankAccountInput takes no null: null is no value, left out.
      const account = value === null ? undefined : sendable(value, BANK_ACCOUNT, field, dropped);
      if (account) record[field] = account;
    } else if (entryRules) {
      // A list that is not an array cannot be sent (null is no value: not reported).
      if (Array.isArray(value)) {
        record[field] = value.flatMap(
          (entry, i) => sendable(entry, entryRules, `${field}[${i}]`, dropped) ?? [],
        );
      } else if (value !== null) dropped.push(field);
    } else record[field] = value;
  }
  return { record: copyJson(record) as ApideckInput, dropped: sortPaths(dropped) };
}
