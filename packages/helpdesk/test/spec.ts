// Test helpers derived from specs/*.yaml: fast-check arbitraries built from the JSON Schemas, and
// ajv validators of request bodies. Nothing here lists a field by hand.
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import fc from "fast-check";
import { parse } from "yaml";
import type { Provider } from "../src/index.js";

// biome-ignore lint/suspicious/noExplicitAny: a parsed OpenAPI document is walked by key, untyped.
export type Schema = Record<string, any>;

const FILES: Record<Provider, string> = {
  apideck: "apideck-customer-support.yaml",
  deskero: "deskero.yaml",
};

const docs = new Map<Provider, Schema>();

/** The parsed spec, YAML anchors resolved. */
export function loadSpec(provider: Provider): Schema {
  let doc = docs.get(provider);
  if (!doc) {
    const path = new URL(`../../../specs/${FILES[provider]}`, import.meta.url);
    doc = parse(readFileSync(path, "utf8"), { maxAliasCount: -1 }) as Schema;
    docs.set(provider, doc);
  }
  return doc;
}

/** A named component schema. */
export const schemaOf = (provider: Provider, name: string): Schema =>
  loadSpec(provider).components.schemas[name];

function resolve(doc: Schema, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const path = (schema.$ref as string).replace(/^#\//, "").split("/");
  return resolve(
    doc,
    path.reduce((node: Schema, part) => node[part], doc),
  );
}

/** `allOf` of object schemas as one object schema; a later part's property wins. */
function mergeAllOf(doc: Schema, schema: Schema): Schema {
  const parts = (schema.allOf as Schema[]).map((part) => flatten(doc, part));
  return {
    type: "object",
    properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})),
    required: parts.flatMap((part) => part.required ?? []),
    additionalProperties: parts.every((part) => part.additionalProperties !== false),
  };
}

/** The schema with `$ref` and `allOf` resolved at the top. */
export function flatten(doc: Schema, schema: Schema): Schema {
  const resolved = resolve(doc, schema);
  return resolved.allOf ? mergeAllOf(doc, resolved) : resolved;
}

/** The property names of an object schema (after `allOf`). */
export const propertiesOf = (provider: Provider, name: string): string[] =>
  Object.keys(flatten(loadSpec(provider), schemaOf(provider, name)).properties ?? {});

export interface ArbitraryOptions {
  /** Leave out `readOnly` properties, as in a request. */
  skipReadOnly?: boolean;
}

const loose = fc.dictionary(
  fc.string({ maxLength: 8 }),
  fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null)),
  { maxKeys: 3, noNullPrototype: true },
);

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  if (schema.format === "date-time") {
    return fc
      .date({ min: new Date("1900-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  if (schema.format === "uri") return fc.webUrl();
  if (schema.format === "email") return fc.emailAddress();
  // Any text, and text dense in spaces so that names split in every way.
  const length = { minLength: schema.minLength ?? 0, maxLength: 16 };
  return fc.oneof(
    fc.string(length),
    fc.string({ ...length, unit: fc.constantFrom("a", "B", "é", " ", "-", "@", ".", "1") }),
  );
}

function typed(doc: Schema, schema: Schema, type: string, o: ArbitraryOptions): fc.Arbitrary<unknown> {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({
        min: schema.minimum ?? Number.MIN_SAFE_INTEGER,
        max: schema.maximum ?? Number.MAX_SAFE_INTEGER,
      });
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case "string":
      return stringArbitrary(schema);
    case "array":
      return fc.array(arbitraryFrom(doc, schema.items ?? {}, o), { maxLength: 4 });
    case "object": {
      const entries = Object.entries((schema.properties ?? {}) as Record<string, Schema>).filter(
        ([, property]) => !(o.skipReadOnly && resolve(doc, property).readOnly),
      );
      if (entries.length === 0) return schema.additionalProperties === false ? fc.constant({}) : loose;
      const required = ((schema.required ?? []) as string[]).filter((key) =>
        entries.some(([k]) => k === key),
      );
      return fc.record(
        Object.fromEntries(entries.map(([key, property]) => [key, arbitraryFrom(doc, property, o)])),
        {
          requiredKeys: required,
          noNullPrototype: true,
        },
      );
    }
    default:
      throw new Error(`no arbitrary for type ${type}`);
  }
}

/** Values that satisfy a JSON Schema of the spec (the subset our specs use). */
export function arbitraryFrom(doc: Schema, schema: Schema, o: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const s = flatten(doc, schema);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  const branches = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (branches) return fc.oneof(...branches.map((branch) => arbitraryFrom(doc, branch, o)));
  if (Array.isArray(s.type)) return fc.oneof(...(s.type as string[]).map((t) => typed(doc, s, t, o)));
  if (typeof s.type === "string") return typed(doc, s, s.type, o);
  if (s.properties) return typed(doc, s, "object", o);
  return fc.jsonValue({ maxDepth: 1 });
}

/** Values of a named component schema. */
export const arbitraryOf = (provider: Provider, name: string, o?: ArbitraryOptions) =>
  arbitraryFrom(loadSpec(provider), schemaOf(provider, name), o);

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

/** Validates a value against a named component schema; returns the violations, empty when it conforms. */
export function violations(provider: Provider, name: string, value: unknown): string[] {
  const id = `cskit-${provider}`;
  if (!ajv.getSchema(id)) ajv.addSchema({ ...loadSpec(provider), $id: id });
  const validate = ajv.getSchema(`${id}#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name} in ${provider}`);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}
