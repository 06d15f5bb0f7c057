import type { Customer as ApideckCustomer } from "@cskit/apideck-customer-support";
import type { Customer as DeskeroCustomer, CustomerInput as DeskeroInput } from "@cskit/deskero";
import { sortPaths } from "./dropped.js";
import { READ_ONLY_FIELDS, REPORTED, UNIFIED_TO_DESKERO, WRITABLE_FIELDS } from "./fields.js";
import type { UnifiedCustomer, UnifiedCustomerInput } from "./types.js";

type Json = Record<string, unknown>;
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** A value is "set" unless it is null or absent: null and absent both mean "no value". */
export const isSet = (value: unknown): boolean => value !== null && value !== undefined;
const hasText = (value: unknown) => typeof value === "string" && value.trim() !== "";

/**
 * The name split rule: the first space separates the first name from the last name, and nothing
 * is trimmed. "Ann Marie Smith" gives "Ann" and "Marie Smith"; "Cher" gives "Cher" and null.
 * `joinName` puts them back with one space, so split then join returns the name unchanged.
 */
export function splitName(name: string): { first_name: string; last_name: string | null } {
  const space = name.indexOf(" ");
  if (space < 0) return { first_name: name, last_name: null };
  return { first_name: name.slice(0, space), last_name: name.slice(space + 1) };
}

export function joinName(first: string | null | undefined, last: string | null | undefined): string | null {
  if (!isSet(first)) return last ?? null;
  if (!isSet(last)) return first ?? null;
  return `${first} ${last}`;
}

/** Deskero has no such field: a record is a company when it has a company and no name. */
const isIndividual = (company: unknown, name: unknown) => !(hasText(company) && !hasText(name));

const PHONE_SLOTS = [
  ["phoneNumber", "primary"],
  ["mobileNumber", "mobile"],
  ["faxNumber", "fax"],
] as const;

/** Deskero's address fields and the unified address field each one holds. */
const ADDRESS_SLOTS = [
  ["address", "line1"],
  ["city", "city"],
  ["province", "state"],
  ["postalNumber", "postal_code"],
  ["state", "country"],
  ["website", "website"],
] as const;

const COUNTRY_CODE = /^[A-Z]{2}$/;

/** A Deskero record in the unified model. The record itself is kept, untouched, in `remote.data`. */
export function deskeroToUnified(record: DeskeroCustomer): UnifiedCustomer {
  const id = typeof record.id === "string" ? record.id : "";
  const c: Writable<ApideckCustomer> = { id };
  if (record.name !== undefined) {
    Object.assign(c, record.name === null ? { first_name: null, last_name: null } : splitName(record.name));
  }
  if (record.company !== undefined) c.company_name = record.company;
  c.individual = isIndividual(record.company, record.name);
  if (record.email !== undefined)
    c.emails = isSet(record.email) ? [{ email: record.email, type: "primary" }] : [];
  if (PHONE_SLOTS.some(([field]) => record[field] !== undefined)) {
    c.phone_numbers = PHONE_SLOTS.flatMap(([field, type]) => {
      const number = record[field];
      return typeof number === "string" ? [{ number, type }] : [];
    });
  }
  if (ADDRESS_SLOTS.some(([field]) => record[field] !== undefined)) {
    const address: Json = { type: "primary" };
    for (const [field, to] of ADDRESS_SLOTS) if (isSet(record[field])) address[to] = record[field];
    c.addresses = Object.keys(address).length > 1 ? [address] : [];
  }
  if (record.memo !== undefined) c.notes = record.memo;
  return { ...c, remote: { provider: "deskero", id, data: record } };
}

/** Reports every set key of `entry` that is not in `carried`, as `path.key`. */
function reportRest(entry: Json, carried: readonly string[], path: string, dropped: string[]) {
  for (const [key, value] of Object.entries(entry)) {
    if (isSet(value) && !carried.includes(key)) dropped.push(`${path}.${key}`);
  }
}

const asEntries = (value: unknown): Json[] =>
  Array.isArray(value) ? value.map((entry) => (entry && typeof entry === "object" ? entry : {})) : [];

/** The entry carried out of a list: the first of type primary among the usable ones, else the first usable. */
function pick(entries: Json[], usable: (entry: Json) => boolean): number {
  const candidates = entries.flatMap((entry, i) => (usable(entry) ? [i] : []));
  return candidates.find((i) => entries[i]?.type === "primary") ?? candidates[0] ?? -1;
}

function mapEmails(emails: Json[], record: Json, dropped: string[]) {
  const chosen = pick(emails, (entry) => typeof entry.email === "string");
  record.email = emails[chosen]?.email ?? null;
  emails.forEach((entry, i) => {
    if (i !== chosen) dropped.push(`emails[${i}]`);
    else reportRest(entry, entry.type === "primary" ? ["email", "type"] : ["email"], `emails[${i}]`, dropped);
  });
}

function mapPhones(phones: Json[], record: Json, dropped: string[]) {
  const slotOf = new Map<number, (typeof PHONE_SLOTS)[number]>();
  const taken = new Set<string>();
  const assign = (i: number, slot: (typeof PHONE_SLOTS)[number]) => {
    slotOf.set(i, slot);
    taken.add(slot[0]);
  };
  const valid = (entry: Json) => typeof entry.number === "string";
  // First every typed number into its own field, then an untyped or other-typed one into phoneNumber.
  phones.forEach((entry, i) => {
    const slot = PHONE_SLOTS.find(([, type]) => type === entry.type);
    if (valid(entry) && slot && !taken.has(slot[0])) assign(i, slot);
  });
  const general = PHONE_SLOTS[0];
  phones.forEach((entry, i) => {
    const typed = entry.type === "mobile" || entry.type === "fax";
    if (valid(entry) && !slotOf.has(i) && !typed && !taken.has(general[0])) assign(i, general);
  });
  for (const [field] of PHONE_SLOTS) record[field] = null;
  phones.forEach((entry, i) => {
    const slot = slotOf.get(i);
    if (!slot) {
      dropped.push(`phone_numbers[${i}]`);
      return;
    }
    record[slot[0]] = entry.number;
    reportRest(
      entry,
      entry.type === slot[1] ? ["number", "type"] : ["number"],
      `phone_numbers[${i}]`,
      dropped,
    );
  });
}

/** The address fields Deskero can hold of one unified address. */
function carriedOf(address: Json): string[] {
  return ADDRESS_SLOTS.map(([, to]) => to).filter(
    (to) => isSet(address[to]) && (to !== "country" || COUNTRY_CODE.test(String(address[to]))),
  );
}

function mapAddresses(addresses: Json[], record: Json, dropped: string[]) {
  const chosen = pick(addresses, (entry) => carriedOf(entry).length > 0);
  for (const [field] of ADDRESS_SLOTS) record[field] = null;
  addresses.forEach((entry, i) => {
    if (i !== chosen) {
      dropped.push(`addresses[${i}]`);
      return;
    }
    const carried = carriedOf(entry);
    for (const [field, to] of ADDRESS_SLOTS) if (carried.includes(to)) record[field] = entry[to];
    reportRest(entry, entry.type === "primary" ? [...carried, "type"] : carried, `addresses[${i}]`, dropped);
  });
}

/** The unified fields Deskero has no field for. */
const DESKERO_HAS_NO_HOME: ReadonlySet<string> = new Set(
  Object.entries(UNIFIED_TO_DESKERO).flatMap(([field, fate]) => (fate === REPORTED ? [field] : [])),
);

/** A unified customer as a Deskero request body, and every unified field Deskero cannot hold. */
export function unifiedToDeskero(customer: UnifiedCustomerInput): {
  record: DeskeroInput;
  dropped: string[];
} {
  const c = customer as Json;
  const record: Json = {};
  const dropped: string[] = [];
  if (c.first_name !== undefined || c.last_name !== undefined) {
    const name = joinName(c.first_name as string | null, c.last_name as string | null);
    record.name = name;
    const back = name === null ? { first_name: null, last_name: null } : splitName(name);
    for (const field of ["first_name", "last_name"] as const) {
      if (isSet(c[field]) && back[field] !== c[field]) dropped.push(field);
    }
  }
  if (c.company_name !== undefined) record.company = c.company_name;
  if (c.notes !== undefined) record.memo = c.notes;
  if (c.emails !== undefined) mapEmails(asEntries(c.emails), record, dropped);
  if (c.phone_numbers !== undefined) mapPhones(asEntries(c.phone_numbers), record, dropped);
  if (c.addresses !== undefined) mapAddresses(asEntries(c.addresses), record, dropped);
  if (isSet(c.individual) && c.individual !== isIndividual(record.company, record.name)) {
    dropped.push("individual");
  }
  for (const [field, value] of Object.entries(c)) {
    if (!isSet(value) || READ_ONLY_FIELDS.has(field)) continue;
    if (!WRITABLE_FIELDS.has(field) || DESKERO_HAS_NO_HOME.has(field)) dropped.push(field);
  }
  return { record: record as DeskeroInput, dropped: sortPaths(dropped) };
}
