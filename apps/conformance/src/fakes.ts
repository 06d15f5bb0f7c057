// Small stateful fakes of both APIs, written from the specs, for proxy mode on loopback.
// `breaks` makes the single-record answer violate the spec on purpose.
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";

export type Break = "wrong-type" | "missing-envelope-field" | "unknown-enum";
type Record = { [key: string]: unknown; id: string };

function notFoundApideck(res: ServerResponse, id: string, requestId: string) {
  sendJson(
    res,
    404,
    {
      status_code: 404,
      error: "Not Found",
      type_name: "EntityNotFoundError",
      message: "Unknown Customer",
      detail: `Could not find customer with id: '${id}'`,
      ref: "https://developers.apideck.com/errors#entitynotfounderror",
    },
    { "request-id": requestId },
  );
}

/** Apideck Customer Support: the five customer operations, cursor paging, idempotent create. */
export function startApideckFake(breaks?: Break): Promise<TestServer> {
  const customers = new Map<string, Record>();
  const byKey = new Map<string, string>();
  return startTestServer((req, res) => {
    const url = new URL(req.url, "http://fake");
    const requestId = randomUUID();
    const envelope = (operation: string, data: unknown, extra = {}) => ({
      status_code: 200,
      status: "OK",
      service: "fake",
      resource: "customers",
      operation,
      data,
      ...extra,
    });
    const send = (status: number, body: unknown) => sendJson(res, status, body, { "request-id": requestId });
    if (!req.headers.authorization?.startsWith("Bearer ") || !req.headers["x-apideck-app-id"]) {
      return send(401, {
        status_code: 401,
        error: "Unauthorized",
        type_name: "UnauthorizedError",
        message: "Unauthorized Request",
        detail: "Missing authentication",
        ref: "https://developers.apideck.com/errors#unauthorizederror",
      });
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
      const key = String(req.headers["x-unique-transaction-id"] ?? randomUUID());
      let newId = byKey.get(key);
      if (!newId) {
        newId = String(customers.size + 1000);
        byKey.set(key, newId);
        const now = new Date().toISOString();
        customers.set(newId, { ...JSON.parse(req.body), id: newId, created_at: now, updated_at: now });
      }
      return send(201, { ...envelope("add", { id: newId }), status_code: 201, status: "Created" });
    }
    if (!id)
      return send(404, { status_code: 404, type_name: "EntityNotFoundError", message: "Unknown route" });
    const customer = customers.get(id);
    if (!customer) return notFoundApideck(res, id, requestId);
    if (req.method === "GET") {
      let data: unknown = customer;
      let body: { [key: string]: unknown } = envelope("one", data);
      if (breaks === "wrong-type") data = { ...customer, id: Number(customer.id) };
      if (breaks === "unknown-enum") data = { ...customer, status: "suspended", currency: "XCG" };
      body = envelope("one", data);
      if (breaks === "missing-envelope-field") delete body.service;
      return send(200, body);
    }
    if (req.method === "PATCH") {
      customers.set(id, { ...customer, ...JSON.parse(req.body), id, updated_at: new Date().toISOString() });
      return send(200, envelope("update", { id }));
    }
    if (req.method === "DELETE") {
      customers.delete(id);
      return send(200, envelope("delete", { id }));
    }
    send(400, { status_code: 400, type_name: "RequestValidationError", message: "Unsupported method" });
  });
}

/** Deskero: token exchange, list/search paged by 25 with 204 when empty, detail (204 if unknown), writes. */
export function startDeskeroFake(breaks?: Break): Promise<TestServer> {
  const customers = new Map<string, Record>();
  let next = 1;
  return startTestServer((req, res) => {
    const url = new URL(req.url, "http://fake");
    if (url.pathname === "/oauth/token") {
      if (!req.headers.authorization?.startsWith("Basic "))
        return sendJson(res, 400, { error: "no credentials" });
      return sendJson(res, 200, {
        access_token: randomUUID(),
        token_type: "bearer",
        expires_in: 3600,
        scope: "all",
      });
    }
    if (!req.headers.authorization?.startsWith("Bearer ") || !req.headers.clientid) {
      return sendJson(res, 400, { error: "missing bearer token or clientId" });
    }
    const noContent = () => {
      res.writeHead(204).end();
    };
    if (url.pathname === "/customer/list" && req.method === "GET") {
      const page = Number(url.searchParams.get("page") ?? 1);
      const filters = [...url.searchParams].filter(([k]) => k !== "page");
      const found = [...customers.values()].filter((c) => filters.every(([k, v]) => String(c[k]) === v));
      if (found.length === 0) return noContent();
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
      const id = `fake${String(next++).padStart(20, "0")}`;
      customers.set(id, { ...JSON.parse(req.body), id });
      return sendJson(res, 201, { id });
    }
    const [, action, id = ""] = /^\/customer\/(?:(update|delete)\/)?([^/]+)$/.exec(url.pathname) ?? [];
    const customer = customers.get(id);
    if (req.method === "GET" && !action) {
      if (!customer) return noContent();
      if (breaks === "wrong-type") return sendJson(res, 200, { ...customer, birthDate: "1967-09-10" });
      if (breaks === "missing-envelope-field") return sendJson(res, 200, { ...customer, id: undefined });
      if (breaks === "unknown-enum") return sendJson(res, 200, { ...customer, language: "de" });
      return sendJson(res, 200, customer);
    }
    if (!customer) return sendJson(res, 400, { error: `unknown customer ${id}` });
    if (req.method === "PUT" && action === "update") {
      customers.set(id, { ...customer, ...JSON.parse(req.body), id });
      return sendJson(res, 200, { id });
    }
    if (req.method === "DELETE" && action === "delete") {
      customers.delete(id);
      return sendJson(res, 200, { id });
    }
    sendJson(res, 400, { error: "unsupported" });
  });
}
