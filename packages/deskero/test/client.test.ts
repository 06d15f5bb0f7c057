import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConnectionError,
  CskitError,
  createDeskeroClient,
  DeskeroError,
  isNotFound,
  PaginationError,
} from "../src/index.js";
import { ACCESS_TOKEN, API_TOKEN, customer, listPage } from "./fixtures.js";

let server: TestServer | undefined;
afterEach(() => server?.close());

async function serve(handler: Parameters<typeof startTestServer>[0], extra = {}) {
  server = await startTestServer(handler);
  const dk = createDeskeroClient({
    clientId: "client-1",
    accessToken: ACCESS_TOKEN,
    baseUrl: server.url,
    retry: { maxAttempts: 3, baseDelayMs: 2 },
    ...extra,
  });
  return { dk, requests: server.requests, url: server.url };
}

const path = (url: string) => new URL(url, "http://x").pathname;
const query = (url: string) => Object.fromEntries(new URL(url, "http://x").searchParams);

describe("auth", () => {
  it("sends the bearer token and clientId configured once", async () => {
    const { dk, requests } = await serve((_, res) => sendJson(res, 200, customer("1")));
    await dk.customers.get("1");
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(requests[0]?.headers.clientid).toBe("client-1");
  });

  it("exchanges the API token once, shares it between concurrent calls, and caches it", async () => {
    const { dk, requests } = await serve(
      (req, res) =>
        path(req.url) === "/oauth/token"
          ? sendJson(res, 200, { access_token: "fresh-token-1", token_type: "bearer", expires_in: 3600 })
          : sendJson(res, 200, customer("1")),
      { accessToken: undefined, apiToken: API_TOKEN },
    );
    await Promise.all([dk.customers.get("1"), dk.customers.get("2"), dk.customers.get("3")]);
    await dk.customers.get("4");
    const tokenCalls = requests.filter((r) => path(r.url) === "/oauth/token");
    expect(tokenCalls).toHaveLength(1);
    expect(query(tokenCalls[0]?.url ?? "")).toEqual({ grant_type: "client_credentials" });
    expect(tokenCalls[0]?.headers.authorization).toBe(`Basic ${API_TOKEN}`);
    const calls = requests.filter((r) => path(r.url) !== "/oauth/token");
    expect(calls.map((r) => r.headers.authorization)).toEqual(Array(4).fill("Bearer fresh-token-1"));
  });

  it("renews a token that is about to expire", async () => {
    let issued = 0;
    const { dk, requests } = await serve(
      (req, res) =>
        path(req.url) === "/oauth/token"
          ? sendJson(res, 200, { access_token: `t-${++issued}`, token_type: "bearer", expires_in: 0 })
          : sendJson(res, 200, customer("1")),
      { accessToken: undefined, apiToken: API_TOKEN },
    );
    await dk.customers.get("1");
    await dk.customers.get("1");
    expect(requests.filter((r) => path(r.url) === "/oauth/token")).toHaveLength(2);
  });

  it("on a 401, renews the token once and replays the call", async () => {
    let issued = 0;
    const { dk, requests } = await serve(
      (req, res) => {
        if (path(req.url) === "/oauth/token") {
          return sendJson(res, 200, {
            access_token: `t-${++issued}`,
            token_type: "bearer",
            expires_in: 3600,
          });
        }
        if (req.headers.authorization === "Bearer t-1") return sendJson(res, 401, { error: "expired" });
        sendJson(res, 200, customer("9"));
      },
      { accessToken: undefined, apiToken: API_TOKEN },
    );
    expect((await dk.customers.get("9")).id).toBe("9");
    expect(requests.map((r) => `${path(r.url)} ${r.headers.authorization}`)).toEqual([
      `/oauth/token Basic ${API_TOKEN}`,
      "/customer/9 Bearer t-1",
      `/oauth/token Basic ${API_TOKEN}`,
      "/customer/9 Bearer t-2",
    ]);
  });

  it("replays only once: a second 401 is an error", async () => {
    const { dk, requests } = await serve(
      (req, res) =>
        path(req.url) === "/oauth/token"
          ? sendJson(res, 200, { access_token: "t", token_type: "bearer", expires_in: 3600 })
          : sendJson(res, 401, {}),
      { accessToken: undefined, apiToken: API_TOKEN },
    );
    const error = (await dk.customers.get("1").catch((e: unknown) => e)) as DeskeroError;
    expect(error.status).toBe(401);
    expect(requests.filter((r) => path(r.url) === "/customer/1")).toHaveLength(2);
  });

  it("a signal aborts a call while its token is fetched, and the token request with it", {
    timeout: 10_000,
  }, async () => {
    let tokenAsked!: () => void;
    const asked = new Promise<void>((resolve) => {
      tokenAsked = resolve;
    });
    let tokenClosed!: () => void;
    const closed = new Promise<void>((resolve) => {
      tokenClosed = resolve;
    });
    // A token endpoint that never answers: only the abort can end the call.
    const { dk } = await serve(
      (req, res) => {
        if (path(req.url) !== "/oauth/token") return sendJson(res, 200, customer("1"));
        res.on("close", tokenClosed);
        tokenAsked();
      },
      { accessToken: undefined, apiToken: API_TOKEN },
    );
    const controller = new AbortController();
    const call = dk.customers.get("1", { signal: controller.signal }).catch((e: unknown) => e);
    await asked;
    controller.abort();
    expect(((await call) as Error).name).toBe("AbortError");
    await closed; // the token request was given up too
  });

  it("a call that gives up while others wait for the same token does not take it from them", async () => {
    let answerToken!: () => void;
    const tokenWanted = new Promise<void>((resolve) => {
      answerToken = resolve;
    });
    let tokenAsked!: () => void;
    const asked = new Promise<void>((resolve) => {
      tokenAsked = resolve;
    });
    const { dk, requests } = await serve(
      async (req, res) => {
        if (path(req.url) !== "/oauth/token") return sendJson(res, 200, customer("1"));
        tokenAsked();
        await tokenWanted;
        sendJson(res, 200, { access_token: "shared", token_type: "bearer", expires_in: 3600 });
      },
      { accessToken: undefined, apiToken: API_TOKEN },
    );
    const controller = new AbortController();
    const leaving = dk.customers.get("1", { signal: controller.signal }).catch((e: unknown) => e);
    const staying = dk.customers.get("2");
    await asked;
    controller.abort();
    expect(((await leaving) as Error).name).toBe("AbortError");
    answerToken();
    expect((await staying).id).toBe("1");
    expect(requests.filter((r) => path(r.url) === "/oauth/token")).toHaveLength(1);
  });

  it("needs a token of some kind", () => {
    expect(() => createDeskeroClient({ clientId: "c" })).toThrow("pass accessToken, or apiToken");
  });

  it("never shows the API token or the fetched token in errors or debug lines", async () => {
    const lines: string[] = [];
    const { dk } = await serve(
      (req, res) =>
        path(req.url) === "/oauth/token"
          ? sendJson(res, 200, { access_token: "secret-bearer-77", token_type: "bearer", expires_in: 3600 })
          : sendJson(res, 400, { error: `bad token secret-bearer-77, api ${API_TOKEN}` }),
      { accessToken: undefined, apiToken: API_TOKEN, debug: (l: string) => lines.push(l) },
    );
    const error = (await dk.customers.get("1").catch((e: unknown) => e)) as DeskeroError;
    const everything = [error.message, JSON.stringify(error), ...lines].join("\n");
    expect(everything).toContain("[redacted]");
    expect(everything).not.toContain("secret-bearer-77");
    expect(everything).not.toContain(API_TOKEN);
  });
});

describe("customers", () => {
  it("list and search send page and plain field parameters", async () => {
    const { dk, requests, url } = await serve((_, res) => sendJson(res, 200, listPage(url, 2, 30)));
    const page = await dk.customers.search({ name: "Frank Elvgren", city: "London" }, { page: 2 });
    expect(query(requests[0]?.url ?? "")).toEqual({ page: "2", name: "Frank Elvgren", city: "London" });
    expect(page.records).toHaveLength(5);
    expect(page.nextQuery).toBeNull();
    await dk.customers.list();
    expect(requests[1]?.url).toBe("/customer/list");
    await dk.customers.list({ page: 3 });
    expect(requests[2]?.url).toBe("/customer/list?page=3"); // no dangling "&" from an empty search
  });

  it("turns a 204 on list or search into an empty page", async () => {
    const { dk } = await serve((_, res) => {
      res.writeHead(204).end();
    });
    expect(await dk.customers.search({ name: "nobody" })).toEqual({
      totalRecords: 0,
      recordsPerPage: 25,
      previousQuery: null,
      nextQuery: null,
      records: [],
      requestId: undefined,
    });
  });

  it("turns a 204 on detail into a not-found DeskeroError", async () => {
    const { dk } = await serve((_, res) => {
      res.writeHead(204).end();
    });
    const error = (await dk.customers.get("missing").catch((e: unknown) => e)) as DeskeroError;
    expect(error).toBeInstanceOf(DeskeroError);
    expect(error).toBeInstanceOf(CskitError);
    expect(isNotFound(error)).toBe(true);
    expect(error.message).toBe("Deskero getCustomer answered 204: no customer with id missing");
  });

  it("create, update and delete hit the documented paths and return the id", async () => {
    const { dk, requests } = await serve((req, res) =>
      sendJson(res, req.method === "POST" ? 201 : 200, { id: "527a" }, { "x-request-id": "rq" }),
    );
    expect(await dk.customers.create({ name: "Customer Name", email: "customer@email.com" })).toEqual({
      id: "527a",
      requestId: "rq",
    });
    await dk.customers.update("527a", { name: "New" });
    await dk.customers.delete("527a");
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /customer/insert",
      "PUT /customer/update/527a",
      "DELETE /customer/delete/527a",
    ]);
    expect(JSON.parse(requests[0]?.body ?? "")).toEqual({
      name: "Customer Name",
      email: "customer@email.com",
    });
  });

  it("iterate follows nextQuery through every page: 60 records in 3 pages", async () => {
    const { dk, requests, url } = await serve((req, res) =>
      sendJson(res, 200, listPage(url, Number(query(req.url).page ?? 1), 60)),
    );
    const ids: string[] = [];
    for await (const c of dk.customers.iterate({ company: "Acme" })) ids.push(c.id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    expect(requests.map((r) => query(r.url))).toEqual([
      { page: "1", company: "Acme" },
      { page: "2", company: "Acme" },
      { page: "3", company: "Acme" },
    ]);
  });

  it("iterate stops on a 204, and throws PaginationError on a page that repeats", async () => {
    const { dk, url } = await serve((req, res) => {
      const page = Number(query(req.url).page ?? 1);
      if (page === 3) return void res.writeHead(204).end();
      sendJson(res, 200, listPage(url, page, 100));
    });
    let count = 0;
    for await (const _ of dk.customers.iterate()) count++;
    expect(count).toBe(50);

    await server?.close();
    const looping = await serve((_, res, n) => {
      const body = listPage("http://x", 1, 100, 2);
      body.customer.nextQuery = "http://x/customer/list?page=2";
      body.customer.records = body.customer.records.map((c) => ({ ...c, id: `${n}-${c.id}` }));
      sendJson(res, 200, body);
    });
    const ids: string[] = [];
    const loop = async () => {
      for await (const c of looping.dk.customers.iterate()) ids.push(c.id);
    };
    await expect(loop()).rejects.toBeInstanceOf(PaginationError);
    expect(ids).toEqual(["1-c1", "1-c2", "2-c1", "2-c2"]);
  });

  it("iterate honours maxItems", async () => {
    const { dk, requests, url } = await serve((req, res) =>
      sendJson(res, 200, listPage(url, Number(query(req.url).page ?? 1), 100)),
    );
    let count = 0;
    for await (const _ of dk.customers.iterate({}, { maxItems: 30 })) count++;
    expect(count).toBe(30);
    expect(requests).toHaveLength(2);
  });
});

describe("never inserting twice", () => {
  it("does not retry an insert after a 503: one attempt, one record", async () => {
    let stored = 0;
    const { dk, requests } = await serve((_, res) => {
      stored++;
      sendJson(res, 503, { error: "busy" });
    });
    const error = (await dk.customers.create({ name: "A" }).catch((e: unknown) => e)) as DeskeroError;
    expect(error.status).toBe(503);
    expect(requests).toHaveLength(1);
    expect(stored).toBe(1);
  });

  it("does not retry an insert whose connection dropped after the server stored it", async () => {
    let stored = 0;
    const { dk, requests } = await serve((_, res) => {
      stored++;
      res.socket?.destroy();
    });
    await expect(dk.customers.create({ name: "A" })).rejects.toBeInstanceOf(ConnectionError);
    expect(requests).toHaveLength(1);
    expect(stored).toBe(1);
  });

  it("retries an insert on 429, which Deskero did not process", async () => {
    const { dk, requests } = await serve((_, res, n) =>
      n === 1 ? sendJson(res, 429, {}, { "retry-after": "0" }) : sendJson(res, 201, { id: "new" }),
    );
    expect((await dk.customers.create({ name: "A" })).id).toBe("new");
    expect(requests).toHaveLength(2);
  });

  it("retries a detail call after a 500: reads are safe", async () => {
    const { dk, requests } = await serve((_, res, n) =>
      n === 1 ? sendJson(res, 500, {}) : sendJson(res, 200, customer("1")),
    );
    expect((await dk.customers.get("1")).id).toBe("1");
    expect(requests).toHaveLength(2);
  });

  it("keeps an error body that is not JSON as an excerpt", async () => {
    const { dk } = await serve((_, res) => {
      res.writeHead(400, { "content-type": "text/plain" }).end("Unknown field shoeSize");
    });
    const error = (await dk.customers.list().catch((e: unknown) => e)) as DeskeroError;
    expect(error.message).toBe("Deskero listCustomers answered 400: Unknown field shoeSize");
    expect(error.body).toBeUndefined();
  });
});
