import { startTestServer } from "@cskit/http/testing";
import { describe, expect, it } from "vitest";
import {
  ApideckError,
  ConnectionError,
  CskitError,
  createApideckCustomerSupport,
  isNotFound,
  PaginationError,
} from "../src/index.js";
import { API_KEY, customer, errorBody, page, written } from "./fixtures.js";

interface Sent {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** An injected fetch that answers with `answer(sent, n)` and records every request. */
function fakeFetch(answer: (sent: Sent, n: number) => Response) {
  const sent: Sent[] = [];
  const fetch = async (input: string | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const entry = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: request.body ? await request.text() : "",
    };
    sent.push(entry);
    return answer(entry, sent.length);
  };
  return { fetch, sent };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

function client(answer: (sent: Sent, n: number) => Response, extra = {}) {
  const { fetch, sent } = fakeFetch(answer);
  const cs = createApideckCustomerSupport({
    apiKey: API_KEY,
    appId: "app-1",
    consumerId: "consumer-1",
    fetch,
    retry: { maxAttempts: 3, baseDelayMs: 1 },
    ...extra,
  });
  return { cs, sent };
}

describe("auth and headers", () => {
  it("sends the bearer key, app id and consumer id configured once", async () => {
    const { cs, sent } = client(() => json(page(["1"], null)));
    await cs.customers.list();
    const headers = sent[0]?.headers;
    expect(headers?.get("authorization")).toBe(`Bearer ${API_KEY}`);
    expect(headers?.get("x-apideck-app-id")).toBe("app-1");
    expect(headers?.get("x-apideck-consumer-id")).toBe("consumer-1");
    expect(headers?.has("x-apideck-service-id")).toBe(false);
  });

  it("sends the factory serviceId, and lets one call override it", async () => {
    const { cs, sent } = client(() => json(page([], null)), { serviceId: "zendesk" });
    await cs.customers.list();
    await cs.customers.list({}, { serviceId: "intercom" });
    expect(sent.map((s) => s.headers.get("x-apideck-service-id"))).toEqual(["zendesk", "intercom"]);
  });

  it("rejects a plain-http base URL that is not loopback", () => {
    expect(() =>
      createApideckCustomerSupport({
        apiKey: "k",
        appId: "a",
        consumerId: "c",
        baseUrl: "http://example.com",
      }),
    ).toThrow(/must use https/);
  });

  it("names a missing credential", () => {
    expect(() => createApideckCustomerSupport({ apiKey: "", appId: "a", consumerId: "c" })).toThrow(
      "createApideckCustomerSupport: apiKey is required",
    );
  });
});

describe("customers", () => {
  it("list sends the query and returns the envelope with the request id", async () => {
    const { cs, sent } = client(() => json(page(["1", "2"], "next-c"), 200, { "Request-Id": "req-9" }));
    const result = await cs.customers.list(
      { limit: 2, cursor: "abc", fields: "id,emails.email" },
      { raw: true },
    );
    const url = sent[0]?.url;
    expect(url?.pathname).toBe("/customer-support/customers");
    expect(Object.fromEntries(url?.searchParams ?? [])).toEqual({
      limit: "2",
      cursor: "abc",
      fields: "id,emails.email",
      raw: "true",
    });
    expect(result.data.map((c) => c.id)).toEqual(["1", "2"]);
    expect(result.meta?.cursors?.next).toBe("next-c");
    expect(result.requestId).toBe("req-9");
  });

  it("get returns the customer, even with a currency and status added after this spec", async () => {
    const later = customer("7", { currency: "ZZZ", status: "suspended" });
    const { cs, sent } = client(() => json({ ...written("7", "one"), data: later }));
    const result = await cs.customers.get("7", { fields: "id" });
    expect(sent[0]?.url.pathname).toBe("/customer-support/customers/7");
    expect(sent[0]?.url.searchParams.get("fields")).toBe("id");
    expect(result.data.currency).toBe("ZZZ");
    expect(result.data.status).toBe("suspended");
  });

  it("create posts the body with the caller's idempotency key and returns the id", async () => {
    const { cs, sent } = client(() => json(written("12345", "add"), 201, { "Request-Id": "r-1" }));
    const result = await cs.customers.create({ first_name: "Ada" }, { idempotencyKey: "order-42" });
    expect(result).toEqual({ id: "12345", requestId: "r-1" });
    expect(sent[0]?.method).toBe("POST");
    expect(JSON.parse(sent[0]?.body ?? "")).toEqual({ first_name: "Ada" });
    expect(sent[0]?.headers.get("x-unique-transaction-id")).toBe("order-42");
  });

  it("create generates a UUID key when none is given, and reuses it on every retry", async () => {
    const { cs, sent } = client((_, n) => (n < 3 ? json({}, 503) : json(written("1", "add"), 201)));
    await cs.customers.create({ first_name: "Ada" });
    const keys = sent.map((s) => s.headers.get("x-unique-transaction-id"));
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
  });

  it("update patches and delete deletes, both returning the id", async () => {
    const { cs, sent } = client((s) => json(written("5", s.method === "PATCH" ? "update" : "delete")));
    expect((await cs.customers.update("5", { notes: "vip" })).id).toBe("5");
    expect((await cs.customers.delete("5")).id).toBe("5");
    expect(sent.map((s) => `${s.method} ${s.url.pathname}`)).toEqual([
      "PATCH /customer-support/customers/5",
      "DELETE /customer-support/customers/5",
    ]);
  });

  it("iterate follows meta.cursors.next until null, one page at a time", async () => {
    const pages: Record<string, ReturnType<typeof page>> = {
      "": page(["1", "2"], "c2"),
      c2: page(["3", "4"], "c3"),
      c3: page(["5"], null),
    };
    const { cs, sent } = client((s) => json(pages[s.url.searchParams.get("cursor") ?? ""]));
    const ids: (string | undefined)[] = [];
    for await (const c of cs.customers.iterate({ limit: 2 })) ids.push(c.id);
    expect(ids).toEqual(["1", "2", "3", "4", "5"]);
    expect(sent.map((s) => s.url.searchParams.get("cursor"))).toEqual([null, "c2", "c3"]);
  });

  it("iterate stops at maxItems, and throws PaginationError on a repeating cursor", async () => {
    const { cs, sent } = client((_, n) => json(page([`${n}a`, `${n}b`], "same")));
    const ids: string[] = [];
    const loop = async () => {
      for await (const c of cs.customers.iterate()) ids.push(c.id as string);
    };
    await expect(loop()).rejects.toBeInstanceOf(PaginationError);
    expect(ids).toEqual(["1a", "1b", "2a", "2b"]);
    expect(sent).toHaveLength(2);

    const limited: (string | undefined)[] = [];
    for await (const c of cs.customers.iterate({ maxItems: 3 })) limited.push(c.id);
    expect(limited).toHaveLength(3);
  });
});

describe("errors", () => {
  it("throws ApideckError with the vendor fields, the request id and the operation", async () => {
    const body = errorBody(404, "EntityNotFoundError", "Unknown Customer");
    const { cs } = client(() => json(body, 404, { "Request-Id": "req-404" }));
    const error = (await cs.customers.get("nope").catch((e: unknown) => e)) as ApideckError;
    expect(error).toBeInstanceOf(ApideckError);
    expect(error).toBeInstanceOf(CskitError);
    expect(error.message).toBe("EntityNotFoundError: Unknown Customer");
    expect(error).toMatchObject({
      status: 404,
      typeName: "EntityNotFoundError",
      detail: { field: "x" },
      ref: "https://ref",
      requestId: "req-404",
      operation: "customersOne",
      notFound: true,
    });
    expect(isNotFound(error)).toBe(true);
  });

  it("keeps a type name Apideck added later", async () => {
    const { cs } = client(() => json(errorBody(422, "BrandNewError", "new"), 422));
    const error = (await cs.customers.list().catch((e: unknown) => e)) as ApideckError;
    expect(error.typeName).toBe("BrandNewError");
    expect(error.notFound).toBe(false);
  });

  it("turns HTML instead of JSON into an ApideckError with an excerpt", async () => {
    const html = "<html><head><title>502 Bad Gateway</title></head></html>";
    const { cs } = client(
      () => new Response(html, { status: 200, headers: { "content-type": "text/html" } }),
    );
    const error = (await cs.customers.list().catch((e: unknown) => e)) as ApideckError;
    expect(error).toBeInstanceOf(ApideckError);
    expect(error.message).toBe(`HTTP 200: invalid JSON in a 200 answer: ${html}`);
  });

  it("turns an empty 2xx body into an ApideckError", async () => {
    const { cs } = client(() => new Response("", { status: 200 }));
    await expect(cs.customers.get("1")).rejects.toThrow(
      "HTTP 200: unexpected answer: the body is not a JSON object",
    );
  });

  it("never puts the API key in a message, JSON or debug line, even when the server echoes it", async () => {
    const lines: string[] = [];
    const echo = errorBody(401, "UnauthorizedError", `bad key Bearer ${API_KEY}`);
    const { cs } = client(() => json(echo, 401), { debug: (line: string) => lines.push(line) });
    const error = (await cs.customers.list().catch((e: unknown) => e)) as ApideckError;
    const everything = [error.message, JSON.stringify(error), String(error.stack), ...lines].join("\n");
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(API_KEY);
  });

  it("throws ConnectionError when the server cannot be reached", async () => {
    const server = await startTestServer(() => {});
    await server.close();
    const cs = createApideckCustomerSupport({
      apiKey: API_KEY,
      appId: "a",
      consumerId: "c",
      baseUrl: server.url,
      retry: false,
    });
    const error = (await cs.customers.list().catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.code).toBe("ECONNREFUSED");
  });
});
