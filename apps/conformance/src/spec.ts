// What the conformance suite checks against the specs; reading them is @cskit/specs' job.
import {
  type Api,
  type Doc,
  deref,
  loadSpec,
  type Operation,
  operations,
  pointer,
  type ValidateFunction,
  validators,
  violationsOf,
} from "@cskit/specs";

export {
  APIS,
  type Api,
  type Doc,
  deref,
  loadSpec,
  type Operation,
  operation,
  operations,
  type Parameter,
  violationsOf,
} from "@cskit/specs";

/** The operation a request is for: a literal path segment wins over a template, as in OpenAPI. */
export function matchOperation(api: Api, method: string, pathname: string): Operation | undefined {
  const candidates = operations(api).filter((op) => {
    if (op.method !== method) return false;
    const pattern = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    return pattern.test(pathname);
  });
  return candidates.sort((a, b) => a.path.split("{").length - b.path.split("{").length)[0];
}

/** A JSON Schema validator for any schema in a spec, by JSON pointer (`/components/schemas/Customer`). */
export const schemaValidator = (api: Api, at: string): ValidateFunction => validators(api).at(at);

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
