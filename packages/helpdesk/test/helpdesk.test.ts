// createHelpdesk details, against a node:http server on 127.0.0.1 that records every request.
import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  ApideckError,
  CskitError,
  createHelpdesk,
  DeskeroError,
  type HelpdeskOptions,
} from "../src/index.js";

let server: TestServer | undefined;
afterEach(() => server?.close());

const noWait = async () => {};
const envelope = (data: unknown, extra = {}) => ({
  status_code: 200,
  status: "OK",
  service: "s",
  resource: "customers",
  operation: "x",
  data,
  ...extra,
});

const apideck = (url: string): HelpdeskOptions => ({
  provider: "apideck",
  apiKey: "secret-key",
  appId: "app",
  consumerId: "consumer",
  baseUrl: url,
  sleep: noWait,
});
const deskero = (url: string): HelpdeskOptions => ({
  provider: "deskero",
  clientId: "client",
  accessToken: "secret-token",
  baseUrl: url,
  sleep: noWait,
});

describe("apideck", () => {
  it("sends the idempotency key on create, the same on every retry", async () => {
    server = await startTestServer((_req, res, n) =>
      n === 1 ? sendJson(res, 503, { status_code: 503 }) : sendJson(res, 201, envelope({ id: "42" })),
    );
    const hd = createHelpdesk({ ...apideck(server.url), retry: { maxAttempts: 2 } });
    const outcome = await hd.customers.create(
      { first_name: "A", status: "frozen" as "active" },
      { idempotencyKey: "k-1" },
    );
    expect(outcome).toMatchObject({ id: "42", dropped: ["status"] });
    expect(server.requests.map((r) => r.headers["x-unique-transaction-id"])).toEqual(["k-1", "k-1"]);
    expect(JSON.parse(server.requests[0]?.body ?? "")).toEqual({ first_name: "A" });
  });

  it("reads 200 customers a page when iterating, and fewer when maxItems is smaller", async () => {
    server = await startTestServer((req, res) => {
      const limit = Number(new URL(req.url, "http://x").searchParams.get("limit"));
      sendJson(res, 200, envelope([{ id: String(limit) }], { meta: { cursors: { next: null } } }));
    });
    const hd = createHelpdesk(apideck(server.url));
    for await (const _ of hd.customers.iterate()) break;
    for await (const _ of hd.customers.iterate({ maxItems: 5 })) break;
    expect(server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("limit"))).toEqual([
      "200",
      "5",
    ]);
  });

  it("asks for the id when a caller gives fields, and refuses a customer without one with ApideckError", async () => {
    server = await startTestServer((req, res) =>
      req.url.endsWith("/gone")
        ? sendJson(res, 404, { status_code: 404, type_name: "EntityNotFoundError", message: "Unknown" })
        : req.url.includes("/customers/")
          ? sendJson(res, 200, envelope({ first_name: "NoId" }))
          : sendJson(res, 200, envelope([{ first_name: "NoId" }]), { "request-id": "req-9" }),
    );
    const hd = createHelpdesk(apideck(server.url));
    const listed = await hd.customers.list({ fields: "first_name" }).catch((e: unknown) => e);
    expect(listed).toBeInstanceOf(ApideckError);
    expect(listed).toMatchObject({ operation: "customersAll", requestId: "req-9" });
    expect(String(listed)).toContain("a customer has no id");
    const read = await hd.customers.get("x1", { fields: "id, first_name" }).catch((e: unknown) => e);
    expect(read).toBeInstanceOf(ApideckError);
    const iterated = hd.customers.iterateRemote({ fields: "emails.email" }).next();
    await expect(iterated).rejects.toBeInstanceOf(ApideckError);
    const fields = server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("fields"));
    expect(fields).toEqual(["first_name,id", "id, first_name", "emails.email,id"]);
    const error = await hd.customers.get("gone").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApideckError);
    expect(error).toMatchObject({ notFound: true, status: 404 });
    expect(String(error)).not.toContain("secret-key");
  });
});

describe("deskero", () => {
  const frank = { id: "d1", name: "Frank Elvgren", email: "frank@example.com", birthDate: 5 };

  it("keeps the record untouched in remote.data: no requestId added", async () => {
    server = await startTestServer((_req, res) => sendJson(res, 200, frank, { "request-id": "req-1" }));
    const hd = createHelpdesk(deskero(server.url));
    const customer = await hd.customers.get("d1");
    expect(customer.remote).toEqual({ provider: "deskero", id: "d1", data: frank });
  });

  it("refuses a listed customer without an id with DeskeroError", async () => {
    const list = { totalRecords: 1, recordsPerPage: 25, nextQuery: null, records: [{ name: "NoId" }] };
    server = await startTestServer((_req, res) => sendJson(res, 200, { customer: list }));
    const hd = createHelpdesk(deskero(server.url));
    const error = await hd.customers.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeskeroError);
    expect(String(error)).toContain("a customer has no id");
    await expect(hd.customers.iterate().next()).rejects.toBeInstanceOf(DeskeroError);
  });

  it("throws DeskeroError with notFound for a 204 on detail", async () => {
    server = await startTestServer((_req, res) => void res.writeHead(204).end());
    const error = await createHelpdesk(deskero(server.url))
      .customers.get("nope")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeskeroError);
    expect(error).toBeInstanceOf(CskitError);
    expect(error).toMatchObject({ notFound: true });
  });

  it("ignores idempotencyKey, writes the mapped record and reports what it dropped", async () => {
    server = await startTestServer((_req, res) => sendJson(res, 201, { id: "d9" }));
    const hd = createHelpdesk(deskero(server.url));
    const outcome = await hd.customers.create(
      { first_name: "Ann", emails: [{ email: "a@x.example" }, { email: "b@x.example" }], currency: "EUR" },
      { idempotencyKey: "k" },
    );
    expect(outcome).toMatchObject({ id: "d9", dropped: ["currency", "emails[1]"] });
    expect(server.requests[0]?.headers["x-unique-transaction-id"]).toBeUndefined();
    expect(JSON.parse(server.requests[0]?.body ?? "")).toEqual({ name: "Ann", email: "a@x.example" });
  });

  it("searches by email on the server and keeps exact matches only", async () => {
    server = await startTestServer((_req, res) =>
      sendJson(res, 200, {
        customer: {
          totalRecords: 2,
          recordsPerPage: 25,
          previousQuery: null,
          nextQuery: null,
          records: [frank, { id: "d2", email: "frank@example.com.au" }],
        },
      }),
    );
    const found = await createHelpdesk(deskero(server.url)).customers.findByEmail("Frank@Example.com");
    expect(found.map((c) => c.id)).toEqual(["d1"]);
    const queries = server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("email"));
    expect(queries).toEqual(["Frank@Example.com", "frank@example.com"]);
  });

  it("refuses a list cursor that is not a page number", async () => {
    server = await startTestServer((_req, res) => void res.writeHead(204).end());
    const hd = createHelpdesk(deskero(server.url));
    await expect(hd.customers.list({ cursor: "abc" })).rejects.toThrow(/page number/);
    expect(await hd.customers.list({ cursor: "3" })).toEqual({ items: [], next: null });
    expect(server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("page"))).toEqual(["3"]);
  });
});

it("refuses an unknown provider and missing credentials with a clear TypeError", () => {
  expect(() => createHelpdesk({ provider: "zendesk" } as unknown as HelpdeskOptions)).toThrow(
    /unknown provider "zendesk"/,
  );
  expect(() => createHelpdesk({ provider: "deskero", clientId: "c" } as unknown as HelpdeskOptions)).toThrow(
    /accessToken/,
  );
  expect(() =>
    createHelpdesk({ provider: "apideck", apiKey: "k", appId: "a" } as unknown as HelpdeskOptions),
  ).toThrow(/consumerId/);
});

describe.each(["apideck", "deskero"] as const)("%s iterate", (provider) => {
  it("is lazy: breaking after the first customer reads one page only", async () => {
    server = await startTestServer((req, res) => {
      const page = Number(
        new URL(req.url, "http://x").searchParams.get(provider === "apideck" ? "cursor" : "page") ?? 1,
      );
      const records = [{ id: `c${page}` }];
      const next = String(page + 1);
      if (provider === "apideck") sendJson(res, 200, envelope(records, { meta: { cursors: { next } } }));
      else
        sendJson(res, 200, {
          customer: {
            totalRecords: 1000,
            recordsPerPage: 25,
            previousQuery: null,
            nextQuery: `${server?.url}/customer/list?page=${next}`,
            records,
          },
        });
    });
    const hd = createHelpdesk(provider === "apideck" ? apideck(server.url) : deskero(server.url));
    const seen: (string | undefined)[] = [];
    for await (const c of hd.customers.iterate()) {
      seen.push(c.id);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(["c1", "c2"]);
    expect(server.requests).toHaveLength(2);
  });
});

describe("account", () => {
  it("names the provider, base URL and account ids, never a credential", () => {
    const apideck = createHelpdesk({
      provider: "apideck",
      apiKey: "sk_live_secret",
      appId: "app",
      consumerId: "c1",
    });
    expect(apideck.account).toBe("apideck https://unify.apideck.com app=app consumer=c1");
    const deskero = createHelpdesk({
      provider: "deskero",
      clientId: "cl",
      apiToken: "tok_secret",
      baseUrl: "http://127.0.0.1:9/",
    });
    expect(deskero.account).toBe("deskero http://127.0.0.1:9 client=cl");
  });
});
