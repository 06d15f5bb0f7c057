import type { Customer as ApideckCustomer } from "@cskit/apideck-customer-support";
import type { Customer as DeskeroCustomer, CustomerInput as DeskeroInput } from "@cskit/deskero";
import { sortPaths } from "./dropped.js";
import { READ_ONLY_FIELDS, REPORTED, UNIFIED_TO_DESKERO, WRITABLE_FIELDS } from "./fields.js";
import type { UnifiedCustomerInput } from "./types.js";

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

/** Deskero has no such field: a customer with a company is read as a company's, as the sandbox seeds them. */
const isIndividual = (company: unknown) => !hasText(company);

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

/** A field as text or null; any other value (a server's mistake) reads as absent, and stays in `remote.data`. */
function textOf(record: DeskeroCustomer, field: keyof DeskeroCustomer): string | null | undefined {
  const value = record[field];
  return typeof value === "string" || value === null ? value : undefined;
}

/** A Deskero record in the unified model. The record itself is kept, untouched, in `remote.data`. */
export function deskeroToUnified(record: DeskeroCustomer): UnifiedCustomerInput {
  if (!record || typeof record !== "object")
    throw new TypeError("toUnified: a Deskero record must be an object");
  const id = typeof record.id === "string" ? record.id : undefined;
  const c: Writable<ApideckCustomer> = id === undefined ? {} : { id };
  const name = textOf(record, "name");
  if (name !== undefined)
    Object.assign(c, name === null ? { first_name: null, last_name: null } : splitName(name));
  const company = textOf(record, "company");
  if (company !== undefined) c.company_name = company;
  c.individual = isIndividual(company);
  const email = textOf(record, "email");
  if (email !== undefined) c.emails = email === null ? [] : [{ email, type: "primary" }];
  if (PHONE_SLOTS.some(([field]) => textOf(record, field) !== undefined)) {
    c.phone_numbers = PHONE_SLOTS.flatMap(([field, type]) => {
      const number = textOf(record, field);
      return typeof number === "string" ? [{ number, type }] : [];
    });
  }
  if (ADDRESS_SLOTS.some(([field]) => textOf(record, field) !== undefined)) {
    const address: Json = { type: "primary" };
    for (const [field, to] of ADDRESS_SLOTS) if (isSet(textOf(record, field))) address[to] = record[field];
    c.addresses = Object.keys(address).length > 1 ? [address] : [];
  }
  const memo = textOf(record, "memo");
  if (memo !== undefined) c.notes = memo;
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
    (to) => typeof address[to] === "string" && (to !== "country" || COUNTRY_CODE.test(String(address[to]))),
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
  /** A text field of the input; a value of another type is reported, not sent. */
  const text = (field: string): string | null | undefined => {
    const value = c[field];
    if (value === undefined || value === null || typeof value === "string") return value;
    dropped.push(field);
    return undefined;
  };
  const first = text("first_name");
  const last = text("last_name");
  if (first !== undefined || last !== undefined) {
    const name = joinName(first, last);
    record.name = name;
    const back = name === null ? { first_name: null, last_name: null } : splitName(name);
    if (isSet(first) && back.first_name !== first) dropped.push("first_name");
    if (isSet(last) && back.last_name !== last) dropped.push("last_name");
  }
  const company = text("company_name");
  if (company !== undefined) record.company = company;
  const notes = text("notes");
  if (notes !== undefined) record.memo = notes;
  const lists = [
    ["emails", mapEmails],
    ["phone_numbers", mapPhones],
    ["addresses", mapAddresses],
  ] as const;
  for (const [field, map] of lists) {
    // null clears, as an empty list does; a value that is not a list is reported, not sent.
    const value = c[field];
    if (value === undefined) continue;
    if (value === null || Array.isArray(value)) map(asEntries(value), record, dropped);
    else dropped.push(field);
  }
  if (isSet(c.individual) && c.individual !== isIndividual(record.company)) {
    dropped.push("individual");
  }
  for (const [field, value] of Object.entries(c)) {
    if (!isSet(value) || READ_ONLY_FIELDS.has(field)) continue;
    if (!WRITABLE_FIELDS.has(field) || DESKERO_HAS_NO_HOME.has(field)) dropped.push(field);
  }
  return { record: record as DeskeroInput, dropped: sortPaths(dropped) };
}
