import { basename } from "node:path";
import { type Doc, specPath } from "@cskit/specs";
import { describe, expect, it } from "vitest";
import { PROVIDER_INFO, PROVIDERS, type Provider } from "../src/index.js";
import { flatten, schemaOf } from "./spec.js";

/** The schema at a dot path of the provider's customer record (a number: an item of a list), if any. */
function schemaAt(provider: Provider, path: string): Doc | undefined {
  let schema: Doc = flatten(provider, schemaOf(provider, "Customer"));
  for (const key of path.split(".")) {
    const next = /^\d+$/.test(key) ? schema.items : schema.properties?.[key];
    if (next === undefined) return undefined;
    schema = flatten(provider, next);
  }
  return schema;
}

describe.each(PROVIDERS)("PROVIDER_INFO.%s", (provider) => {
  const info = PROVIDER_INFO[provider];

  it("names the spec @cskit/specs ships for it", () => {
    expect(basename(specPath(provider))).toBe(`${info.specId}.yaml`);
  });

  it("lists columns of fields its customer record has, id first", () => {
    expect(info.listColumns[0]?.header).toBe("id");
    const paths = info.listColumns.flatMap((column) => column.from.flat());
    expect(paths.filter((path) => schemaAt(provider, path) === undefined)).toEqual([]);
  });

  it("takes as search fields the names of its record's fields, if it has a search", () => {
    if (info.whereField === undefined) return;
    const fields = Object.keys(flatten(provider, schemaOf(provider, "Customer")).properties ?? {});
    expect(fields.filter((field) => !info.whereField?.test(field))).toEqual([]);
    expect(["", "1a", "a.b", "a-b", "a b"].filter((field) => info.whereField?.test(field))).toEqual([]);
  });
});
