// Small stateful fakes of both APIs, written from the specs, on loopback: they check credentials
// and required headers, validate requests against the spec, and keep records in memory.
// `breaks` makes a fake break one check class on purpose, to show that the check catches it.
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type ReceivedRequest, sendJson, startTestServer, type TestServer } from "@cskit/http/testing";
import { CREDENTIALS, type Credentials } from "./clients.js";
import { type Api, deref, loadSpec, schemaValidator, violationsOf } from "./spec.js";

export type Break =
  /** Response schema: a wrong type, a missing envelope field; an unknown enum value is no break. */
  | "wrong-type"
  | "missing-envelope-field"
  | "unknown-enum"
  /** A get answers 500. */
  | "server-error"
  /** A get answers 418, which no spec documents. */
  | "undocumented-status"
  /** A get answers JSON as text/plain. */
  | "wrong-content-type"
  /** Apideck: no Request-Id header. */
  | "no-request-id"
  /** Creates and updates answer 400 whatever the body. */
  | "rejects-valid"
  /** No request validation at all. */
  | "accepts-invalid"
  /** No credential check. */
  | "ignores-auth"
  /** No check of the required headers (app id, consumer id, clientId). */
  | "ignores-required-header"
  /** Delete answers 200 and keeps the record. */
  | "keeps-deleted"
  /** Create answers an id and stores nothing. */
  | "loses-created";

export interface FakeOptions {
  breaks?: Break | undefined;
  credentials?: Credentials | undefined;
}
type Stored = { [key: string]: unknown; id: string };
/** A running fake; `setBreak` changes how it breaks, so that one fake (and one proxy) serves many cases. */
export type Fake = TestServer & { setBreak(breaks: Break | undefined): void };

/** Spec violations of a JSON request body, or of its JSON syntax. */
function bodyViolations(api: Api, body: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return ["/ body is not JSON"];
  }
  return violationsOf(schemaValidator(api, "/components/schemas/CustomerInput"), value);
}

const isBooleanText = (v: string | null) => v === null || v === "true" || v === "false";
const isIntegerIn = (v: string | null, min: number, max: number) =>
  v === null || (/^-?\d+$/.test(v) && Number(v) >= min && Number(v) <= max);

/** Apideck Customer Support: the five customer operations, cursor paging, idempotent create. */
export async function startApideckFake(options: FakeOptions = {}): Promise<Fake> {
  let { breaks } = options;
  const { apiKey, appId } = (options.credentials ?? CREDENTIALS).apideck;
  const customers = new Map<string, Stored>();
  const byKey = new Map<string, string>();
  const server = await startTestServer((req, res) => {
    const url = new URL(req.url, "http://fake");
    const requestId = randomUUID();
    const headers: Record<string, string> = breaks === "no-request-id" ? {} : { "request-id": requestId };
    const envelope = (operation: string, data: unknown, extra = {}) => ({
      status_code: 200,
      status: "OK",
      service: "fake",
      resource: "customers",
      operation,
      data,
      ...extra,
    });
    const send = (status: number, body: unknown) => sendJson(res, status, body, headers);
    const error = (status: number, type_name: string, message: string, detail: string) =>
      send(status, {
        status_code: status,
        error: message,
        type_name,
        message,
        detail,
        ref: `https://developers.apideck.com/errors#${type_name.toLowerCase()}`,
      });
    if (breaks !== "ignores-auth" && req.headers.authorization !== `Bearer ${apiKey}`)
      return error(401, "UnauthorizedError", "Unauthorized", "Missing or wrong API key");
    if (breaks !== "ignores-required-header") {
      if (req.headers["x-apideck-app-id"] !== appId)
        return error(
          401,
          "UnauthorizedError",
          "Unauthorized",
          "Failed to generate valid JWT Session. Verify applicationId is correct",
        );
      if (!req.headers["x-apideck-consumer-id"])
        return error(
          400,
          "RequestHeadersValidationError",
          "Bad Request",
          "Missing header x-apideck-consumer-id",
        );
    }
    if (breaks !== "accepts-invalid") {
      const bad = [
        !isIntegerIn(url.searchParams.get("limit"), 1, 200) && "limit must be an integer from 1 to 200",
        !isBooleanText(url.searchParams.get("raw")) && "raw must be a boolean",
        !isBooleanText((req.headers["x-apideck-raw"] as string) ?? null) && "x-apideck-raw must be a boolean",
        ...(req.method === "POST" || req.method === "PATCH" ? bodyViolations("apideck", req.body) : []),
      ].filter(Boolean);
      if (bad.length) return error(400, "RequestValidationError", "Bad Request", bad.join("; "));
    }
    const id = /^\/customer-support\/customers\/([^/]+)$/.exec(url.pathname)?.[1];
    if (url.pathname === "/customer-support/customers" && req.method === "GET") {
      const limit = Number(url.searchParams.get("limit") ?? 20);
      const start = Number(url.searchParams.get("cursor") ?? 0);
      const all = [...customers.values()];
      const data = all.slice(start, start + limit);
      const next = start + limit < all.length ? String(start + limit) : null;
      return send(
        200,
        envelope("all", data, {
          meta: { items_on_page: data.length, cursors: { previous: null, current: String(start), next } },
          links: {
            previous: null,
            current: url.href,
            next: next && `${url.origin}${url.pathname}?cursor=${next}`,
          },
        }),
      );
    }
    if (url.pathname === "/customer-support/customers" && req.method === "POST") {
      if (breaks === "rejects-valid") return error(400, "RequestValidationError", "Bad Request", "refused");
      const key = String(req.headers["x-unique-transaction-id"] ?? randomUUID());
      let newId = byKey.get(key);
      if (!newId) {
        newId = String(byKey.size + 1000);
        byKey.set(key, newId);
        const now = new Date().toISOString();
        const record = { ...JSON.parse(req.body), id: newId, created_at: now, updated_at: now };
        if (breaks !== "loses-created") customers.set(newId, record);
      }
      return send(201, { ...envelope("add", { id: newId }), status_code: 201, status: "Created" });
    }
    if (!id) return error(404, "EntityNotFoundError", "Not Found", "Unknown route");
    const customer = customers.get(decodeURIComponent(id));
    if (!customer)
      return error(
        404,
        "EntityNotFoundError",
        "Unknown Customer",
        `Could not find customer with id: '${id}'`,
      );
    if (req.method === "GET") {
      const fields = url.searchParams.get("fields")?.split(",");
      let data: unknown = fields ? Object.fromEntries(fields.map((f) => [f, customer[f]])) : customer;
      if (breaks === "wrong-type") data = { ...customer, id: Number(customer.id) };
      if (breaks === "unknown-enum") data = { ...customer, status: "suspended", currency: "XQQ" };
      const body: { [key: string]: unknown } = envelope("one", data);
      if (breaks === "missing-envelope-field") delete body.service;
      if (breaks === "server-error")
        return error(500, "ConnectorExecutionError", "Internal Server Error", "boom");
      if (breaks === "undocumented-status") return send(418, body);
      if (breaks === "wrong-content-type") {
        res.writeHead(200, { "content-type": "text/plain", ...headers }).end(JSON.stringify(body));
        return;
      }
      return send(200, body);
    }
    if (req.method === "PATCH") {
      if (breaks === "rejects-valid") return error(400, "RequestValidationError", "Bad Request", "refused");
      customers.set(customer.id, {
        ...customer,
        ...JSON.parse(req.body),
        updated_at: new Date().toISOString(),
      });
      return send(200, envelope("update", { id: customer.id }));
    }
    if (req.method === "DELETE") {
      if (breaks !== "keeps-deleted") customers.delete(customer.id);
      return send(200, envelope("delete", { id: customer.id }));
    }
    error(400, "RequestValidationError", "Bad Request", "Unsupported method");
  });
  return Object.assign(server, {
    setBreak: (b: Break | undefined) => {
      breaks = b;
    },
  });
}

/** The search fields Deskero knows: the properties of CustomerSearch (over its allOf). */
function searchFields(): Set<string> {
  const schema = loadSpec("deskero").components.schemas.CustomerSearch;
  const parts = [schema, ...(schema.allOf ?? []).map((p: object) => deref("deskero", p))];
  return new Set(
    parts.flatMap((p: { properties?: object }) =>
      Object.entries(p.properties ?? {})
        .filter(([, v]) => v !== false)
        .map(([k]) => k),
    ),
  );
}

/** Deskero: token exchange, list/search paged by 25 with 204 when empty, detail (204 if unknown), writes. */
export async function startDeskeroFake(options: FakeOptions = {}): Promise<Fake> {
  let { breaks } = options;
  const { accessToken, apiToken, clientId } = (options.credentials ?? CREDENTIALS).deskero;
  const issued = new Set<string>(accessToken ? [accessToken] : []);
  const searchable = searchFields();
  const customers = new Map<string, Stored>();
  let next = 1;
  const noContent = (res: ServerResponse) => {
    res.writeHead(204).end();
  };
  const refuse = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { "content-type": "text/plain" }).end(message);
  };
  const validationErrors = (req: ReceivedRequest, url: URL): string[] => {
    if (breaks === "accepts-invalid") return [];
    const unknown = [...url.searchParams.keys()].filter((k) => k !== "page" && !searchable.has(k));
    return [
      ...(url.pathname === "/customer/list" ? unknown.map((k) => `unknown field ${k}`) : []),
      !isIntegerIn(url.searchParams.get("page"), 1, Number.MAX_SAFE_INTEGER) &&
        "page must be an integer from 1",
      ...(req.method === "POST" || req.method === "PUT" ? bodyViolations("deskero", req.body) : []),
    ].filter((m): m is string => typeof m === "string");
  };
  const server = await startTestServer((req, res) => {
    const url = new URL(req.url, "http://fake");
    if (url.pathname === "/oauth/token") {
      if (breaks !== "ignores-auth" && req.headers.authorization !== `Basic ${apiToken}`)
        return refuse(res, 401, "wrong api token");
      if (breaks !== "accepts-invalid" && url.searchParams.get("grant_type") !== "client_credentials")
        return refuse(res, 400, "unsupported grant_type");
      const token = randomUUID();
      issued.add(token);
      return sendJson(res, 200, {
        access_token: token,
        token_type: "bearer",
        expires_in: 3600,
        scope: "all",
      });
    }
    const bearer = req.headers.authorization?.startsWith("Bearer ") ? req.headers.authorization.slice(7) : "";
    if (breaks !== "ignores-auth" && !issued.has(bearer))
      return refuse(res, 401, "missing or wrong bearer token");
    if (breaks !== "ignores-required-header" && req.headers.clientid !== clientId)
      return refuse(res, 400, "missing or wrong clientId");
    const invalid = validationErrors(req, url);
    if (invalid.length) return refuse(res, 400, invalid.join("; "));
    if (url.pathname === "/customer/list" && req.method === "GET") {
      const page = Number(url.searchParams.get("page") ?? 1);
      const filters = [...url.searchParams].filter(([k]) => k !== "page");
      const found = [...customers.values()].filter((c) => filters.every(([k, v]) => String(c[k]) === v));
      if (found.length === 0) return noContent(res);
      const records = found.slice((page - 1) * 25, page * 25);
      const more = page * 25 < found.length;
      const query = (p: number) => `${url.origin}/customer/list?page=${p}`;
      return sendJson(res, 200, {
        customer: {
          totalRecords: found.length,
          recordsPerPage: 25,
          previousQuery: page > 1 ? query(page - 1) : null,
          nextQuery: more ? query(page + 1) : null,
          records,
        },
      });
    }
    if (url.pathname === "/customer/insert" && req.method === "POST") {
      if (breaks === "rejects-valid") return refuse(res, 400, "refused");
      const id = `fake${String(next++).padStart(20, "0")}`;
      if (breaks !== "loses-created") customers.set(id, { ...JSON.parse(req.body), id });
      return sendJson(res, 201, { id });
    }
    const [, action, rawId = ""] = /^\/customer\/(?:(update|delete)\/)?([^/]+)$/.exec(url.pathname) ?? [];
    const id = decodeURIComponent(rawId);
    const customer = customers.get(id);
    if (req.method === "GET" && !action) {
      if (!customer) return noContent(res);
      if (breaks === "wrong-type") return sendJson(res, 200, { ...customer, birthDate: "1967-09-10" });
      if (breaks === "missing-envelope-field") return sendJson(res, 200, { ...customer, id: undefined });
      if (breaks === "unknown-enum") return sendJson(res, 200, { ...customer, language: "de" });
      if (breaks === "server-error") return refuse(res, 500, "internal error");
      if (breaks === "undocumented-status") return sendJson(res, 418, customer);
      if (breaks === "wrong-content-type") {
        res.writeHead(200, { "content-type": "text/plain" }).end(JSON.stringify(customer));
        return;
      }
      return sendJson(res, 200, customer);
    }
    if (req.method === "PUT" && action === "update" && breaks === "rejects-valid")
      return refuse(res, 400, "refused");
    if (!customer) return refuse(res, 400, `unknown customer ${id}`);
    if (req.method === "PUT" && action === "update") {
      customers.set(id, { ...customer, ...JSON.parse(req.body), id });
      return sendJson(res, 200, { id });
    }
    if (req.method === "DELETE" && action === "delete") {
      if (breaks !== "keeps-deleted") customers.delete(id);
      return sendJson(res, 200, { id });
    }
    refuse(res, 400, "unsupported");
  });
  return Object.assign(server, {
    setBreak: (b: Break | undefined) => {
      breaks = b;
    },
  });
}

/** Starts the fake of an API. */
export function startFake(api: Api, options: FakeOptions = {}): Promise<Fake> {
  return api === "apideck" ? startApideckFake(options) : startDeskeroFake(options);
}
