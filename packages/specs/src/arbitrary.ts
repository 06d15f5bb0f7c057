// fast-check arbitraries from the specs' JSON Schemas (the subset our specs use: $ref, allOf, anyOf,
// oneOf, const, enum, type lists, nullable, string length, pattern, email / date-time / uri, integer
// bounds, arrays, open and closed objects). A separate entry point: only tests need fast-check.
import fc, { type Arbitrary } from "fast-check";
import { type Api, type Doc, deref, flatten, pointer, validators } from "./index.js";

export interface ArbitraryOptions {
  /** Leave out `readOnly` properties, as in a request. */
  skipReadOnly?: boolean;
  /** Keep only values the schema accepts (checked with ajv); needs a component name or a `$ref`. */
  onlyValid?: boolean;
}

/** Any text, text dense in spaces (names split in every way), and a few real names. */
function textOf(schema: Doc): Arbitrary<string> {
  const length = { minLength: schema.minLength ?? 0, maxLength: Math.max(schema.maxLength ?? 16, 1) };
  return fc.oneof(
    fc.string(length),
    fc.string({ ...length, unit: fc.constantFrom("a", "B", "é", " ", "-", "@", ".", "1") }),
    fc.string({ ...length, maxLength: Math.min(length.maxLength, 8), unit: "grapheme" }),
    fc
      .constantFrom("Ada Lovelace", "Zoë O'Brien", "李雷", "a&b=c d")
      .filter((s) => s.length >= length.minLength && s.length <= length.maxLength),
  );
}

function stringOf(schema: Doc): Arbitrary<string> {
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  if (schema.format === "date-time") {
    return fc
      .date({ min: new Date("1900-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  if (schema.format === "uri") return fc.webUrl();
  if (schema.format === "email") return fc.emailAddress();
  return textOf(schema);
}

/** Any small JSON object: the values of an open object with no documented property. */
const looseObject = fc.dictionary(
  fc.string({ maxLength: 8 }),
  fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null)),
  { maxKeys: 3, noNullPrototype: true },
);

function objectOf(api: Api, schema: Doc, o: ArbitraryOptions): Arbitrary<unknown> {
  const entries = Object.entries((schema.properties ?? {}) as Doc).filter(
    ([, property]) => property !== false && !(o.skipReadOnly && deref(api, property).readOnly),
  );
  if (entries.length === 0) {
    const closed = schema.additionalProperties === false || schema.unevaluatedProperties === false;
    return closed ? fc.constant({}) : looseObject;
  }
  const required = ((schema.required ?? []) as string[]).filter((key) => entries.some(([k]) => k === key));
  return fc.record(
    Object.fromEntries(entries.map(([key, property]) => [key, arbitraryFrom(api, property, o)])),
    {
      requiredKeys: required,
      noNullPrototype: true,
    },
  );
}

function ofType(api: Api, schema: Doc, type: string, o: ArbitraryOptions): Arbitrary<unknown> {
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
      return stringOf(schema);
    case "array":
      return fc.array(arbitraryFrom(api, schema.items ?? {}, o), { maxLength: 3 });
    case "object":
      return objectOf(api, schema, o);
    default:
      throw new Error(`no arbitrary for type ${type}`);
  }
}

function arbitraryFrom(api: Api, node: Doc, o: ArbitraryOptions): Arbitrary<unknown> {
  const schema = flatten(api, node);
  const values = ((): Arbitrary<unknown> => {
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
    const branches = (schema.anyOf ?? schema.oneOf) as Doc[] | undefined;
    if (branches) return fc.oneof(...branches.map((branch) => arbitraryFrom(api, branch, o)));
    if (schema.type !== undefined)
      return fc.oneof(...[schema.type].flat().map((t: string) => ofType(api, schema, t, o)));
    if (schema.properties) return objectOf(api, schema, o);
    return fc.jsonValue({ maxDepth: 1 });
  })();
  return schema.nullable === true ? fc.oneof(values, fc.constant(null)) : values;
}

/**
 * An arbitrary of the values a JSON Schema of a spec accepts: a component by name, or a schema
 * node (which may be a `$ref`).
 */
export function arbitraryOf(
  api: Api,
  schemaOrName: string | Doc,
  options: ArbitraryOptions = {},
): Arbitrary<unknown> {
  const node =
    typeof schemaOrName === "string"
      ? { $ref: `#${pointer("components", "schemas", schemaOrName)}` }
      : schemaOrName;
  const values = arbitraryFrom(api, node, options);
  if (!options.onlyValid) return values;
  if (typeof node.$ref !== "string") throw new Error("onlyValid needs a component name or a $ref");
  const validate = validators(api).at((node.$ref as string).slice(1));
  return values.filter((value) => validate(value) === true);
}
