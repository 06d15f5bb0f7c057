// Request checks on raw HTTP, derived from the spec, against any base URL (a Prism mock, a sandbox,
// a live API): negative data, missing required headers and ignored auth must each get a 4xx
// (401 for auth), never a 2xx or a 5xx. The typed clients cannot send these requests: their
// types forbid them (see test/negative.test-d.ts).
import type { CheckClass, CheckResult, Mode } from "./report.js";
import { type Api, checkResponse, type Doc, deref, type Operation, operation, operations } from "./spec.js";

/** The credential values a server under test accepts. */
export interface RawCredentials {
  /** Header values by security scheme name: apideck `apiKey`, deskero `bearer` and `apiToken`. */
  schemes: Record<string, string>;
  /** Values of the required header parameters (`x-apideck-app-id`, `clientId`, ...). */
  headers: Record<string, string>;
}

interface RawRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
}

export interface RequestCase {
  operationId: string;
  check: CheckClass;
  /** What the case breaks, for example "limit above maximum (201)". */
  name: string;
  request: RawRequest;
  /** The statuses that pass: 401 for auth, any 4xx otherwise. */
  expected: "401" | "4xx";
}

const MISSING_ID = "cskit-conformance-missing";
const WRONG = "cskit-wrong-credentials";

/** A request the spec accepts: required parameters and headers, credentials, an empty body. */
function baseline(op: Operation, credentials: RawCredentials): RawRequest {
  const headers: Record<string, string> = { accept: "application/json" };
  const query: Record<string, string> = {};
  for (const p of op.parameters.filter((x) => x.required)) {
    if (p.in === "header") headers[p.name] = credentials.headers[p.name] ?? "cskit";
    if (p.in === "query") query[p.name] = String(p.schema.enum?.[0] ?? p.schema.default ?? "cskit");
  }
  for (const scheme of op.security) {
    const value = credentials.schemes[scheme];
    if (value) headers.authorization = value;
  }
  const request: RawRequest = {
    method: op.method,
    path: op.path.replace(/\{[^}]+\}/g, MISSING_ID),
    query,
    headers,
  };
  if (op.body) {
    request.headers["content-type"] = "application/json";
    request.body = {};
  }
  return request;
}

const withQuery = (r: RawRequest, name: string, value: string): RawRequest => ({
  ...r,
  query: { ...r.query, [name]: value },
});

/** Values that break a parameter schema: out of range, wrong type, outside the enum, too short. */
function badValues(schema: Doc): [string, string][] {
  const bad: [string, string][] = [];
  const types = [schema.type].flat();
  if (schema.minimum !== undefined)
    bad.push([`below minimum (${schema.minimum - 1})`, String(schema.minimum - 1)]);
  if (schema.maximum !== undefined)
    bad.push([`above maximum (${schema.maximum + 1})`, String(schema.maximum + 1)]);
  if (types.includes("integer")) bad.push(["not an integer", "1.5x"]);
  if (types.includes("boolean")) bad.push(["not a boolean", "maybe"]);
  if (schema.enum) bad.push(["not in the enum", "cskit-not-in-enum"]);
  if (schema.minLength) bad.push(["shorter than minLength", ""]);
  return bad;
}

/** The first property of a body schema (merged over allOf) with a scalar type, and a value of another type. */
function wrongTypedProperty(api: Api, body: Doc): [string, unknown] | undefined {
  const schema = deref(api, body);
  const parts = schema.allOf ? (schema.allOf as Doc[]).map((p) => deref(api, p)) : [schema];
  for (const part of parts) {
    for (const [name, prop] of Object.entries((part.properties ?? {}) as Doc)) {
      const types = [deref(api, prop).type].flat();
      if (types.includes("string")) return [name, 12345];
      if (types.includes("boolean")) return [name, "yes"];
    }
  }
  return undefined;
}

/** A nested array property whose items require a field, sent with one item that lacks it. */
function missingRequiredField(api: Api, body: Doc): [string, unknown] | undefined {
  const schema = deref(api, body);
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Doc)) {
    const resolved = deref(api, prop);
    if (resolved.type !== "array") continue;
    const items = deref(api, resolved.items ?? {});
    const required = [
      ...(items.required ?? []),
      ...(items.allOf ?? []).flatMap((p: Doc) => deref(api, p).required ?? []),
    ];
    if (required.length) return [name, [{}]];
  }
  return undefined;
}

/** Every request check the spec allows for an API, per operation. */
export function requestCases(
  api: Api,
  credentials: RawCredentials,
  checkCredentialValues: boolean,
): RequestCase[] {
  return operations(api).flatMap((op) => {
    const base = baseline(op, credentials);
    const cases: RequestCase[] = [];
    const add = (check: CheckClass, name: string, request: RawRequest, expected: "401" | "4xx" = "4xx") =>
      cases.push({ operationId: op.operationId, check, name, request, expected });

    for (const p of op.parameters) {
      if (p.in === "query")
        for (const [name, value] of badValues(p.schema))
          add("negative_data_rejection", `${p.name} ${name}`, withQuery(base, p.name, value));
      // An empty header is "not sent" to most servers: minLength is only checked on queries.
      if (p.in === "header" && !p.required)
        for (const [name, value] of badValues({ ...p.schema, minLength: undefined }))
          add("negative_data_rejection", `${p.name} ${name}`, {
            ...base,
            headers: { ...base.headers, [p.name]: value },
          });
      if (p.in === "header" && p.required) {
        const { [p.name]: _, ...headers } = base.headers;
        add("missing_required_header", `without ${p.name}`, { ...base, headers });
      }
    }
    if (op.body) {
      add("negative_data_rejection", "unknown body field", { ...base, body: { cskit_unknown_field: 1 } });
      add("negative_data_rejection", "body is not an object", { ...base, body: "cskit" });
      const wrong = wrongTypedProperty(api, op.body);
      if (wrong)
        add("negative_data_rejection", `${wrong[0]} of the wrong type`, {
          ...base,
          body: { [wrong[0]]: wrong[1] },
        });
      const missing = missingRequiredField(api, op.body);
      if (missing)
        add("negative_data_rejection", `${missing[0]}[0] without its required field`, {
          ...base,
          body: { [missing[0]]: missing[1] },
        });
    }
    if (op.security.length) {
      const { authorization: _, ...headers } = base.headers;
      add("ignored_auth", "no credentials", { ...base, headers }, "401");
      const bearer = base.headers.authorization?.startsWith("Bearer ");
      // Another scheme than the one documented: refused by anything that checks the header's form.
      if (bearer)
        add(
          "ignored_auth",
          "Basic instead of Bearer",
          { ...base, headers: { ...headers, authorization: `Basic ${btoa("cskit:wrong")}` } },
          "401",
        );
      if (checkCredentialValues) {
        const wrong = bearer ? `Bearer ${WRONG}` : `Basic ${WRONG}`;
        add(
          "ignored_auth",
          "wrong credentials",
          { ...base, headers: { ...headers, authorization: wrong } },
          "401",
        );
      }
    }
    return cases;
  });
}

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

/** Sends one case; the answer, or the network error. */
async function send(baseUrl: string, request: RawRequest, fetchImpl: typeof fetch): Promise<Answer | string> {
  const url = new URL(`${baseUrl.replace(/\/$/, "")}${request.path}`);
  for (const [k, v] of Object.entries(request.query)) url.searchParams.set(k, v);
  try {
    const response = await fetchImpl(url, {
      method: request.method,
      headers: request.headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    return `network error: ${(error as Error).message}`;
  }
}

export interface RequestCheckOptions {
  mode: Mode;
  /**
   * Also run the response checks on every answer. Off against Prism mocks: their refusals are
   * Prism's own (422, application/problem+json), not the API's.
   */
  checkResponses: boolean;
  /** False against Prism mocks (they check the form of a credential, not its value) and @cskit/sandbox (it takes any). */
  checkCredentialValues: boolean;
  fetch?: typeof fetch | undefined;
}

/** Runs every request case of an API against a base URL: one result per case. */
export async function runRequestChecks(
  api: Api,
  baseUrl: string,
  credentials: RawCredentials,
  options: RequestCheckOptions,
): Promise<CheckResult[]> {
  const cases = requestCases(api, credentials, options.checkCredentialValues);
  const results: CheckResult[] = [];
  for (const c of cases) {
    const answer = await send(baseUrl, c.request, options.fetch ?? fetch);
    const status = typeof answer === "string" ? undefined : answer.status;
    const passed =
      status !== undefined && (c.expected === "401" ? status === 401 : status >= 400 && status < 500);
    results.push({
      api,
      operationId: c.operationId,
      check: c.check,
      mode: options.mode,
      passed,
      detail: passed ? undefined : `${c.name}: expected ${c.expected}, got ${status ?? answer}`,
    });
    if (options.checkResponses && typeof answer !== "string") {
      const report = checkResponse(operation(api, c.operationId), answer.status, answer.headers, answer.body);
      for (const [check, violations] of Object.entries(report)) {
        results.push({
          api,
          operationId: c.operationId,
          check: check as CheckClass,
          mode: options.mode,
          passed: violations.length === 0,
          detail: violations.length ? `${c.name}: ${violations.join("; ")}` : undefined,
        });
      }
    }
  }
  return results;
}
