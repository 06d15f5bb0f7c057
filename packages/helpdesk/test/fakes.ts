// Small stateful fakes of both APIs on 127.0.0.1, for the behaviour suite until @cskit/sandbox lands.
import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";

type Json = Record<string, unknown>;

const people = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `Person ${i}`, email: `person${i}@example.com` }));

export async function startApideckFake(customers: number): Promise<TestServer> {
  const store = new Map<string, Json>();
  const byKey = new Map<string, string>();
  let next = 1;
  const add = (record: Json) => {
    const id = String(next++);
    store.set(id, { ...record, id });
    return id;
  };
  for (const p of people(customers)) {
    const [first_name, last_name] = p.name.split(" ");
    add({ first_name, last_name, emails: [{ email: p.email, type: "primary" }] });
  }
  const envelope = (operation: string, data: unknown, extra: Json = {}) => ({
    status_code: 200,
    status: "OK",
    service: "fake",
    resource: "customers",
    operation,
    data,
    ...extra,
  });
  return startTestServer((req, res) => {
    const url = new URL(req.url, "http://fake");
    const id = /^\/customer-support\/customers\/([^/]+)$/.exec(url.pathname)?.[1];
    const send = (status: number, body: unknown) => sendJson(res, status, body, { "request-id": "r" });
    if (url.pathname === "/customer-support/customers" && req.method === "GET") {
      const limit = Number(url.searchParams.get("limit") ?? 20);
      const start = Number(url.searchParams.get("cursor") ?? 0);
      const data = [...store.values()].slice(start, start + limit);
      const after = start + limit < store.size ? String(start + limit) : null;
      return send(
        200,
        envelope("all", data, { meta: { items_on_page: data.length, cursors: { next: after } } }),
      );
    }
    if (url.pathname === "/customer-support/customers" && req.method === "POST") {
      const key = String(req.headers["x-unique-transaction-id"]);
      const created = byKey.get(key) ?? add(JSON.parse(req.body));
      byKey.set(key, created);
      return send(201, envelope("add", { id: created }));
    }
    const found = id ? store.get(id) : undefined;
    if (!id || !found)
      return send(404, { status_code: 404, error: "Not Found", type_name: "EntityNotFoundError" });
    if (req.method === "GET") return send(200, envelope("one", found));
    if (req.method === "PATCH") store.set(id, { ...found, ...JSON.parse(req.body), id });
    if (req.method === "DELETE") store.delete(id);
    return send(200, envelope(req.method === "PATCH" ? "update" : "delete", { id }));
  });
}

const PAGE = 25;

export async function startDeskeroFake(customers: number): Promise<TestServer> {
  const store = new Map<string, Json>();
  let next = 1;
  const add = (record: Json) => {
    const id = `d${next++}`;
    store.set(id, { ...record, id });
    return id;
  };
  for (const p of people(customers)) add(p);
  return startTestServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const send = (status: number, body?: unknown) =>
      body === undefined ? void res.writeHead(status).end() : sendJson(res, status, body);
    if (url.pathname === "/oauth/token")
      return send(200, { access_token: "t", token_type: "bearer", expires_in: 3600 });
    if (url.pathname === "/customer/list") {
      const page = Number(url.searchParams.get("page") ?? 1);
      const filters = [...url.searchParams].filter(([key]) => key !== "page");
      const all = [...store.values()].filter((c) =>
        filters.every(([key, value]) => String(c[key]) === value),
      );
      const records = all.slice((page - 1) * PAGE, page * PAGE);
      if (records.length === 0) return send(204);
      const nextQuery = page * PAGE < all.length ? `http://127.0.0.1/customer/list?page=${page + 1}` : null;
      return send(200, {
        customer: { totalRecords: all.length, recordsPerPage: PAGE, previousQuery: null, nextQuery, records },
      });
    }
    if (url.pathname === "/customer/insert") return send(201, { id: add(JSON.parse(req.body)) });
    const [, action, id = ""] = /^\/customer\/(?:(update|delete)\/)?([^/]+)$/.exec(url.pathname) ?? [];
    const found = store.get(id);
    if (!found) return send(action ? 404 : 204);
    if (action === "update") store.set(id, { ...found, ...JSON.parse(req.body), id });
    if (action === "delete") store.delete(id);
    return action ? send(200, { id }) : send(200, found);
  });
}
