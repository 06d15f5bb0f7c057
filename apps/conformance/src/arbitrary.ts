// fast-check arbitraries from the specs' JSON Schemas: the request data the positive checks send.
// Covers what the specs use ($ref, allOf, anyOf, enum, type lists, string length, pattern, email,
// integer bounds, arrays, objects); every generated value is then checked against the schema itself.
import fc, { type Arbitrary } from "fast-check";
import { type Api, type Doc, deref, schemaValidator } from "./spec.js";

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ maxLength: 8, unit: "grapheme" }),
  fc.constantFrom("Ada Lovelace", "Zoë O'Brien", "李雷", "a&b=c d"),
);

/** Merges the object branches of an allOf: properties (a later branch wins) and required. */
function mergeAllOf(api: Api, schema: Doc): Doc {
  const parts = (schema.allOf as Doc[]).map((p) => {
    const resolved = deref(api, p);
    return resolved.allOf ? mergeAllOf(api, resolved) : resolved;
  });
  const properties: Doc = {};
  const required = new Set<string>();
  for (const part of parts) {
    for (const [name, prop] of Object.entries((part.properties ?? {}) as Doc)) {
      properties[name] = prop === false ? false : { ...(properties[name] || {}), ...deref(api, prop) };
    }
    for (const name of part.required ?? []) required.add(name);
  }
  return { type: "object", properties, required: [...required] };
}

function ofType(api: Api, schema: Doc, type: string): Arbitrary<unknown> {
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
    case "array":
      return fc.array(arbitraryOf(api, schema.items ?? {}), { maxLength: 2 });
    case "object":
      return objectOf(api, schema);
    default:
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      if (schema.format === "email") return fc.emailAddress();
      if (schema.minLength) return text.filter((s) => s.length >= schema.minLength);
      return text;
  }
}

function objectOf(api: Api, schema: Doc): Arbitrary<unknown> {
  const properties = Object.entries((schema.properties ?? {}) as Doc).filter(([, p]) => p !== false);
  if (properties.length === 0) return fc.constant({});
  const shape = Object.fromEntries(properties.map(([name, prop]) => [name, arbitraryOf(api, prop)]));
  const required = (schema.required ?? []) as string[];
  return fc.record(shape, { requiredKeys: required.filter((r) => r in shape) });
}

/** An arbitrary of the values a JSON Schema (of a spec) accepts. */
export function arbitraryOf(api: Api, node: Doc): Arbitrary<unknown> {
  const schema = deref(api, node);
  if (schema.allOf) return objectOf(api, mergeAllOf(api, schema));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  const branches = (schema.anyOf ?? schema.oneOf) as Doc[] | undefined;
  if (branches) return fc.oneof(...branches.map((b) => arbitraryOf(api, b)));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? "string"];
  return fc.oneof(...types.map((t: string) => ofType(api, schema, t)));
}

/** Like arbitraryOf, for a schema given by pointer, keeping only values the schema accepts. */
export function validArbitrary(api: Api, pointer: string): Arbitrary<unknown> {
  const validate = schemaValidator(api, pointer);
  return arbitraryOf(api, { $ref: `#${pointer}` }).filter((v) => validate(v) === true);
}
