// Reads the specs (dist/specs/*.yaml, copied from the repository's specs/) once: the parsed documents, local $refs, the operations, and ajv (JSON Schema
// 2020-12, the specs' `jsonSchemaDialect`) validators of any schema in them.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

export type { ErrorObject, ValidateFunction };
export type Api = "apideck" | "deskero";
export const APIS: readonly Api[] = ["apideck", "deskero"];

// biome-ignore lint/suspicious/noExplicitAny: a parsed OpenAPI document is walked by key, untyped.
export type Doc = Record<string, any>;

const SPEC_FILES: Record<Api, string> = {
  apideck: "apideck-customer-support.yaml",
  deskero: "deskero.yaml",
};
const METHODS = ["get", "put", "post", "patch", "delete"] as const;

/**
 * The spec of an API, as shipped in this package: the build copies the repository's specs/ into
 * dist/specs/ (resolved the same from src/, in tests, and from dist/).
 */
export function specPath(api: Api): string {
  return fileURLToPath(new URL(`../dist/specs/${SPEC_FILES[api]}`, import.meta.url));
}

const docs = new Map<Api, Doc>();

/** The parsed spec (YAML anchors resolved), read once. */
export function loadSpec(api: Api): Doc {
  let doc = docs.get(api);
  if (!doc) {
    doc = parse(readFileSync(specPath(api), "utf8"), { maxAliasCount: -1 }) as Doc;
    docs.set(api, doc);
  }
  return doc;
}

/** A JSON pointer from its parts, escaped (`/` as `~1`, `~` as `~0`). */
export const pointer = (...parts: string[]): string =>
  `/${parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;

/** A node and the JSON pointer it lives at, following local `$ref`s until a node has none. */
export function resolveAt(api: Api, node: Doc, at: string): { node: Doc; at: string } {
  let current = { node, at };
  while (typeof current.node?.$ref === "string") {
    const ref = current.node.$ref as string;
    const target = ref
      .slice(2)
      .split("/")
      .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((n: Doc, part) => n[part], loadSpec(api));
    current = { node: target, at: ref.slice(1) };
  }
  return current;
}

/** Follows a local `$ref` (one level at a time, until a node has none). */
export const deref = (api: Api, node: Doc): Doc => resolveAt(api, node, "").node;

/** A named component schema. */
export function schemaOf(api: Api, name: string): Doc {
  const schema = loadSpec(api).components?.schemas?.[name];
  if (!schema) throw new Error(`no schema ${name} in the ${api} spec`);
  return schema;
}

/** `allOf` of object schemas as one object schema: properties (a later part wins), required, closed or not. */
function mergeAllOf(api: Api, schema: Doc): Doc {
  const parts = (schema.allOf as Doc[]).map((part) => flatten(api, part));
  const properties: Doc = {};
  const required = new Set<string>();
  for (const part of parts) {
    for (const [name, prop] of Object.entries((part.properties ?? {}) as Doc)) {
      properties[name] = prop === false ? false : { ...(properties[name] || {}), ...deref(api, prop) };
    }
    for (const name of part.required ?? []) required.add(name);
  }
  return {
    type: "object",
    properties,
    required: [...required],
    additionalProperties: parts.every((part) => part.additionalProperties !== false),
  };
}

/** The schema with `$ref` and `allOf` resolved at the top. */
export function flatten(api: Api, schema: Doc): Doc {
  const resolved = deref(api, schema);
  return resolved.allOf ? mergeAllOf(api, resolved) : resolved;
}

export interface Parameter {
  name: string;
  in: "query" | "header" | "path" | "cookie";
  required: boolean;
  /** The schema as written (may be a `$ref`). */
  schema: Doc;
  /** The JSON pointer of the schema, `$ref`s followed. */
  schemaAt: string;
}

export interface Operation {
  api: Api;
  operationId: string;
  method: string;
  path: string;
  /** Every documented status, with `default` as is. */
  statuses: string[];
  /** Path-level and operation-level parameters, $refs resolved. */
  parameters: Parameter[];
  /** The JSON request body schema, if the operation takes one. */
  body?: Doc | undefined;
  /** The JSON pointer of the request body schema, if any. */
  bodyAt?: string | undefined;
  /** The security scheme names the operation requires (none: an empty list). */
  security: string[];
}

const listed = new Map<Api, Operation[]>();

/** Every operation of a spec with its documented statuses, parameters, body and security. */
export function operations(api: Api): Operation[] {
  const cached = listed.get(api);
  if (cached) return cached;
  const doc = loadSpec(api);
  const found = Object.entries(doc.paths as Doc).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method): Operation => {
      const op = item[method];
      const opAt = pointer("paths", path, method);
      const parameters = [
        ...((item.parameters ?? []) as Doc[]).map((p, i) =>
          resolveAt(api, p, `${pointer("paths", path, "parameters")}/${i}`),
        ),
        ...((op.parameters ?? []) as Doc[]).map((p, i) => resolveAt(api, p, `${opAt}/parameters/${i}`)),
      ].map(({ node, at }) => ({
        name: node.name,
        in: node.in,
        required: node.required === true,
        schema: node.schema ?? {},
        schemaAt: resolveAt(api, node.schema ?? {}, `${at}/schema`).at,
      }));
      const requestBody = op.requestBody ? resolveAt(api, op.requestBody, `${opAt}/requestBody`) : undefined;
      const body = requestBody?.node.content?.["application/json"]?.schema;
      const security = ((op.security ?? doc.security ?? []) as Doc[]).flatMap((s) => Object.keys(s));
      return {
        api,
        operationId: op.operationId as string,
        method: method.toUpperCase(),
        path,
        statuses: Object.keys(op.responses),
        parameters,
        body,
        bodyAt: body ? `${requestBody?.at}/content/application~1json/schema` : undefined,
        security,
      };
    }),
  );
  listed.set(api, found);
  return found;
}

/** One operation by its operationId. */
export function operation(api: Api, operationId: string): Operation {
  const found = operations(api).find((op) => op.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in the ${api} spec`);
  return found;
}

export interface ValidatorOptions {
  /** Report every violation (the default), or stop at the first, which is faster. */
  allErrors?: boolean;
}

export interface Validators {
  /** A validator of the schema at a JSON pointer of the spec (`/components/schemas/Customer`). */
  at(pointer: string): ValidateFunction;
  /** A validator of a named component schema. */
  component(name: string): ValidateFunction;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const factories = new Map<string, Validators>();

/**
 * The validators of an API's spec: one ajv 2020 instance with formats and the whole spec
 * registered, so that `$ref`s resolve. Each validator is compiled once, on first use.
 */
export function validators(api: Api, options: ValidatorOptions = {}): Validators {
  const allErrors = options.allErrors ?? true;
  const key = `${api}:${allErrors}`;
  const cached = factories.get(key);
  if (cached) return cached;
  const ajv = new Ajv2020({ strict: false, allErrors });
  addFormats(ajv);
  const id = `cskit-${api}`;
  ajv.addSchema({ ...loadSpec(api), $id: id });
  const compiled = new Map<string, ValidateFunction>();
  const at = (where: string): ValidateFunction => {
    let validate = compiled.get(where);
    if (!validate) {
      validate = ajv.compile({ $ref: `${id}#${where}` });
      compiled.set(where, validate);
    }
    return validate;
  };
  const made: Validators = {
    at,
    component: (name) => {
      schemaOf(api, name);
      return at(pointer("components", "schemas", name));
    },
  };
  factories.set(key, made);
  return made;
}

/** Runs a validator; each violation as "<JSON pointer> <message>", none when the value conforms. */
export function violationsOf(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}
