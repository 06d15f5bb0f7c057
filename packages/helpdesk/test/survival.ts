// Checks `dropped` against what actually came back: a path is in `dropped` exactly when its value did
// not survive the write and the read back. Field kinds come from the Apideck spec, not from a list.
import { isDeepStrictEqual } from "node:util";
import { flatten, loadSpec, schemaOf } from "./spec.js";

type Json = Record<string, unknown>;

const customer = flatten(loadSpec("apideck"), schemaOf("apideck", "Customer"));
const properties = Object.entries(customer.properties as Record<string, Json>);
/** Read-only in the spec, plus `remote`: ignored on write, never reported. */
export const READ_ONLY = new Set([...properties.filter(([, p]) => p.readOnly).map(([k]) => k), "remote"]);
const LISTS = new Set(properties.filter(([, p]) => p.type === "array").map(([k]) => k));
/** Object fields (`bank_accounts`): each key survives or is reported on its own, as `field.key`. */
const OBJECTS = new Set(
  properties.filter(([, p]) => flatten(loadSpec("apideck"), p).type === "object").map(([k]) => k),
);
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const isSet = (value: unknown) => value !== null && value !== undefined;

/** Every disagreement between `dropped` and the read back; empty when `dropped` is exact. */
export function survivalProblems(input: Json, back: Json, dropped: string[]): string[] {
  const problems: string[] = [];
  const claimed = new Set(dropped);
  const explained = new Set<string>();
  const verdict = (path: string, lost: boolean) => {
    explained.add(path);
    if (lost !== claimed.has(path))
      problems.push(`${path}: ${lost ? "lost but not reported" : "reported but survived"}`);
  };
  /** Whether entry `i` of `field` matches read-back entry `b` on every sub-path `dropped` does not name. */
  const fits = (field: string, i: number, entry: Json, b: Json) =>
    Object.entries(entry).every(
      ([key, value]) =>
        !isSet(value) || !isDeepStrictEqual(value, b[key]) === claimed.has(`${field}[${i}].${key}`),
    );

  for (const [field, value] of Object.entries(input)) {
    if (READ_ONLY.has(field) || !isSet(value)) continue;
    if (OBJECTS.has(field) && isObject(value) && !claimed.has(field)) {
      const backValue = isObject(back[field]) ? back[field] : {};
      for (const [key, v] of Object.entries(value))
        if (isSet(v)) verdict(`${field}.${key}`, !isDeepStrictEqual(v, backValue[key]));
      continue;
    }
    if (!LISTS.has(field) || !Array.isArray(value)) {
      verdict(field, !isDeepStrictEqual(value, back[field]));
      continue;
    }
    const entries = value as Json[];
    const backEntries = (back[field] ?? []) as Json[];
    const kept = entries.flatMap((_, i) => (claimed.has(`${field}[${i}]`) ? [] : [i]));
    for (const [i] of entries.entries()) if (!kept.includes(i)) explained.add(`${field}[${i}]`);
    if (backEntries.length !== kept.length) {
      problems.push(`${field}: ${kept.length} entries not reported, ${backEntries.length} came back`);
      continue;
    }
    // Order may change (Deskero reads phones back as primary, mobile, fax): find any one-to-one match.
    const match = (rest: number[], free: Json[]): boolean => {
      const [i, ...others] = rest;
      if (i === undefined) return true;
      return free.some(
        (b, j) =>
          fits(field, i, entries[i] as Json, b) &&
          match(
            others,
            free.filter((_, k) => k !== j),
          ),
      );
    };
    if (!match(kept, backEntries)) problems.push(`${field}: the entries kept do not match what came back`);
    for (const i of kept) {
      for (const [key, v] of Object.entries(entries[i] as Json))
        if (isSet(v)) explained.add(`${field}[${i}].${key}`);
    }
  }
  for (const path of claimed)
    if (!explained.has(path)) problems.push(`${path}: reported, but no such value was given`);
  return problems;
}
