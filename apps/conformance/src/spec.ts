import { readFileSync } from "node:fs";
import { type Api, specPath } from "@cskit/prism";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

export type { Api };
export const APIS: readonly Api[] = ["apideck", "deskero"];
const METHODS = ["get", "put", "post", "patch", "delete"] as const;

// biome-ignore lint/suspicious/noExplicitAny: a parsed OpenAPI document is walked by key, untyped.
export type Doc = Record<string, any>;

export interface Parameter {
  name: string;
  in: "query" | "header" | "path";
  required: boolean;
  schema: Doc;
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
  /** The security scheme names the operation requires (none: an empty list). */
  security: string[];
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

/** Follows a local `$ref` (one level at a time, until a node has none). */
export function deref(api: Api, node: Doc): Doc {
  let current = node;
  while (current?.$ref) {
    current = (current.$ref as string)
      .slice(2)
      .split("/")
      .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((n: Doc, part) => n[part], loadSpec(api));
  }
  return current;
}

/** Every operation of a spec with its documented statuses, parameters, body and security. */
export function operations(api: Api): Operation[] {
  const doc = loadSpec(api);
  return Object.entries(doc.paths as Doc).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => {
      const op = item[method];
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Doc) => {
        const resolved = deref(api, p);
        return {
          name: resolved.name,
          in: resolved.in,
          required: resolved.required === true,
          schema: resolved.schema ?? {},
        };
      });
      const body = op.requestBody
        ? deref(api, op.requestBody).content?.["application/json"]?.schema
        : undefined;
      const security = ((op.security ?? doc.security ?? []) as Doc[]).flatMap((s) => Object.keys(s));
      return {
        api,
        operationId: op.operationId as string,
        method: method.toUpperCase(),
        path,
        statuses: Object.keys(op.responses),
        parameters,
        body,
        security,
      };
    }),
  );
}

export function operation(api: Api, operationId: string): Operation {
  const found = operations(api).find((op) => op.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in the ${api} spec`);
  return found;
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

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** A JSON Schema validator for any schema in a spec, by JSON pointer (`/components/schemas/Customer`). */
export function schemaValidator(api: Api, pointer: string): ValidateFunction {
  const key = `${api}#${pointer}`;
  let validate = compiled.get(key);
  if (!validate) {
    const id = `cskit-${api}`;
    if (!ajv.getSchema(id)) ajv.addSchema({ ...loadSpec(api), $id: id });
    validate = ajv.compile({ $ref: `${id}#${pointer}` });
    compiled.set(key, validate);
  }
  return validate;
}

/** Runs a validator; each violation as "<JSON pointer> <message>". */
export function violationsOf(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}

const pointer = (...parts: string[]) =>
  `/${parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;

/** The documented response for a status (or `default`), with the JSON pointer it lives at. */
function documentedResponse(op: Operation, status: number): { at: string; response: Doc } | undefined {
  const responses = loadSpec(op.api).paths[op.path][op.method.toLowerCase()].responses;
  const key = String(status) in responses ? String(status) : "default" in responses ? "default" : undefined;
  if (!key) return undefined;
  const node = responses[key];
  const at = node.$ref
    ? (node.$ref as string).slice(1)
    : pointer("paths", op.path, op.method.toLowerCase(), "responses", key);
  return { at, response: deref(op.api, node) };
}

/** The response checks of the Schemathesis family, each with the violations it found. */
export interface ResponseReport {
  not_a_server_error: string[];
  status_code_conformance: string[];
  content_type_conformance: string[];
  response_headers_conformance: string[];
  response_schema_conformance: string[];
}

/**
 * Checks one answer against the spec: status documented, declared media type, documented required
 * headers present and valid, body valid. A response that documents no content accepts any body
 * (Deskero's errors), except 204, which has none by HTTP. `serverErrorExpected` is set when the
 * caller asked for a 5xx (the mock's `Prefer: code=500`).
 */
export function checkResponse(
  op: Operation,
  status: number,
  headers: Headers,
  body: string,
  serverErrorExpected = false,
): ResponseReport {
  const report: ResponseReport = {
    not_a_server_error:
      status >= 500 && !serverErrorExpected ? [`/ ${op.operationId} answered ${status}, a server error`] : [],
    status_code_conformance: [],
    content_type_conformance: [],
    response_headers_conformance: [],
    response_schema_conformance: [],
  };
  const documented = documentedResponse(op, status);
  if (!documented) {
    report.status_code_conformance.push(`/ status ${status} is not documented for ${op.operationId}`);
    return report;
  }
  const { at, response } = documented;
  for (const [name, header] of Object.entries((response.headers ?? {}) as Doc)) {
    const resolved = deref(op.api, header);
    const value = headers.get(name);
    if (value === null) {
      if (resolved.required) report.response_headers_conformance.push(`/ missing response header ${name}`);
      continue;
    }
    const headerAt = header.$ref ? (header.$ref as string).slice(1) : `${at}/headers/${name}`;
    const validate = schemaValidator(op.api, `${headerAt}/schema`);
    for (const v of violationsOf(validate, value)) report.response_headers_conformance.push(`${name} ${v}`);
  }
  const contents = (response.content ?? {}) as Doc;
  const mediaTypes = Object.keys(contents);
  if (mediaTypes.length === 0) {
    if (status === 204 && body.trim() !== "")
      report.response_schema_conformance.push(`/ ${op.operationId} ${status} documents no body, got one`);
    return report;
  }
  const contentType = (headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!mediaTypes.includes(contentType)) {
    report.content_type_conformance.push(
      `/ content type "${contentType}" is not one of the documented ${mediaTypes.join(", ")}`,
    );
  }
  if (!contents["application/json"]) return report;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    report.response_schema_conformance.push(`/ body is not JSON: ${body.slice(0, 80)}`);
    return report;
  }
  const validate = schemaValidator(op.api, `${at}/content/application~1json/schema`);
  report.response_schema_conformance.push(...violationsOf(validate, value));
  return report;
}

/**
 * Checks a response body (and its status) against the spec, as JSON. Returns each violation as
 * "<JSON pointer> <message>", or an empty list when the body conforms.
 */
export function validateResponse(op: Operation, status: number, body: string): string[] {
  const headers = new Headers({ "content-type": "application/json" });
  const report = checkResponse(op, status, headers, body, true);
  return [...report.status_code_conformance, ...report.response_schema_conformance];
}
