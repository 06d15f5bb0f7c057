import { readFileSync } from "node:fs";
import { type Api, specPath } from "@cskit/prism";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

export type { Api };
export const APIS: readonly Api[] = ["apideck", "deskero"];
const METHODS = ["get", "put", "post", "patch", "delete"] as const;

// biome-ignore lint/suspicious/noExplicitAny: a parsed OpenAPI document is walked by key, untyped.
type Doc = Record<string, any>;

export interface Operation {
  api: Api;
  operationId: string;
  method: string;
  path: string;
  /** Every documented status, with `default` as is. */
  statuses: string[];
}

const docs = new Map<Api, Doc>();

/** The parsed spec (YAML anchors resolved). */
export function loadSpec(api: Api): Doc {
  let doc = docs.get(api);
  if (!doc) {
    doc = parse(readFileSync(specPath(api), "utf8"), { maxAliasCount: -1 }) as Doc;
    docs.set(api, doc);
  }
  return doc;
}

/** Every operation of a spec with its documented statuses. */
export function operations(api: Api): Operation[] {
  const doc = loadSpec(api);
  return Object.entries(doc.paths as Doc).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({
      api,
      operationId: item[method].operationId as string,
      method: method.toUpperCase(),
      path,
      statuses: Object.keys(item[method].responses),
    })),
  );
}

/** The operation a request is for: a literal path segment wins over a template, as in OpenAPI. */
export function matchOperation(api: Api, method: string, pathname: string): Operation | undefined {
  const candidates = operations(api).filter((op) => {
    if (op.method !== method) return false;
    const pattern = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    return pattern.test(pathname);
  });
  return candidates.sort((a, b) => a.path.split("{").length - b.path.split("{").length)[0];
}

const pointer = (...parts: string[]) =>
  `/${parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction | null>();

/** The JSON Schema validator of a response, or null when the response has no JSON body (204). */
function responseValidator(op: Operation, status: string): ValidateFunction | null {
  const key = `${op.api} ${op.operationId} ${status}`;
  if (compiled.has(key)) return compiled.get(key) ?? null;
  const doc = loadSpec(op.api);
  const id = `cskit-${op.api}`;
  if (!ajv.getSchema(id)) ajv.addSchema({ ...doc, $id: id });
  const responses = doc.paths[op.path][op.method.toLowerCase()].responses;
  const documented = status in responses ? status : "default";
  let response = responses[documented];
  let at = pointer("paths", op.path, op.method.toLowerCase(), "responses", documented);
  if (response?.$ref) {
    at = (response.$ref as string).slice(1);
    response = at
      .split("/")
      .slice(1)
      .reduce((node: Doc, part) => node[part], doc);
  }
  const validate = response?.content?.["application/json"]
    ? ajv.compile({ $ref: `${id}#${at}/content/application~1json/schema` })
    : null;
  compiled.set(key, validate);
  return validate;
}

/**
 * Checks a response body against the spec. Returns each violation as "<JSON pointer> <message>",
 * or an empty list when the body conforms.
 */
export function validateResponse(op: Operation, status: number, body: string): string[] {
  const documented = op.statuses.includes(String(status)) || op.statuses.includes("default");
  if (!documented) return [`/ status ${status} is not documented for ${op.operationId}`];
  const validate = responseValidator(op, String(status));
  if (!validate)
    return body.trim() === "" ? [] : [`/ ${op.operationId} ${status} documents no body, got one`];
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return [`/ body is not JSON: ${body.slice(0, 80)}`];
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}
