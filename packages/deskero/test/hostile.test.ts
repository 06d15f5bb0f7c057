// The Deskero client against loopback servers that answer wrongly on purpose, with default options.
import { inspect } from "node:util";
import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type CskitError, createDeskeroClient, DeskeroError, PaginationError } from "../src/index.js";
import { ACCESS_TOKEN, API_TOKEN, customer, listPage } from "./fixtures.js";

let server: TestServer | undefined;
afterEach(() => server?.close());

async function serve(handler: Parameters<typeof startTestServer>[0], extra = {}) {
  server = await startTestServer(handler);
  const dk = createDeskeroClient({
    clientId: "client-1",
    accessToken: ACCESS_TOKEN,
    baseUrl: server.url,
    ...extra,
  });
  return { dk, requests: server.requests, url: server.url };
}
const failure = (pending: Promise<unknown>) =>
  pending.then(
    () => undefined,
    (e: unknown) => e as CskitError,
  );
type Client = ReturnType<typeof createDeskeroClient>;

describe("by default", () => {
  it("retries a 503 on detail without being asked to", async () => {
    const { dk, requests } = await serve((_, res, n) =>
      n === 1 ? sendJson(res, 503, {}) : sendJson(res, 200, customer("1")),
    );
    expect((await dk.customers.get("1")).id).toBe("1");
    expect(requests).toHaveLength(2);
  });
});

describe("a 200 of the wrong shape is a typed error naming what is missing", () => {
  it.each([
    ["list {}", (dk: Client) => dk.customers.list(), {}, "`customer.records` is not a list"],
    [
      "list records: null",
      (dk: Client) => dk.customers.list(),
      { customer: { records: null } },
      "`customer.records` is not a list",
    ],
    [
      "list with a numeric nextQuery",
      (dk: Client) => dk.customers.list(),
      { customer: { records: [], nextQuery: 2 } },
      "`customer.nextQuery` is not a string",
    ],
    [
      "list [null]",
      (dk: Client) => dk.customers.list(),
      { customer: { records: [null] } },
      "`customer.records` holds an item that is not an object",
    ],
    ["detail []", (dk: Client) => dk.customers.get("1"), [], "the body is not a JSON object"],
    ["detail {}", (dk: Client) => dk.customers.get("1"), {}, "`id` is missing"],
    ["insert {}", (dk: Client) => dk.customers.create({ name: "A" }), {}, "`id` is missing"],
    [
      "update with id 5",
      (dk: Client) => dk.customers.update("1", { name: "A" }),
      { id: 5 },
      "`id` is missing",
    ],
  ])("%s", async (_name, call, body, what) => {
    const { dk } = await serve((_, res) => sendJson(res, 200, body));
    const error = await failure(call(dk));
    expect(error).toBeInstanceOf(DeskeroError);
    expect(error?.message).toContain(`unexpected answer: ${what}`);
  });

  it("an empty insert answer is an error, not a success", async () => {
    const { dk } = await serve((_, res) => void res.writeHead(201).end());
    expect((await failure(dk.customers.create({ name: "A" })))?.message).toContain(
      "answered 201: unexpected answer: the body is empty",
    );
  });

  it("a list answered 200 with an empty body is an error, not an empty page (only 204 is)", async () => {
    const { dk } = await serve((_, res) => void res.writeHead(200).end());
    expect((await failure(dk.customers.list()))?.message).toContain(
      "answered 200: unexpected answer: the body is empty",
    );
  });

  it("a detail answered 200 with an empty body is an error, not a not-found", async () => {
    const { dk } = await serve((_, res) => void res.writeHead(200).end());
    const error = await failure(dk.customers.get("1"));
    expect(error?.notFound).toBe(false);
    expect(error?.message).toContain("the body is empty");
  });

  it("follows a relative nextQuery", async () => {
    const { dk } = await serve((req, res) => {
      const page = Number(new URL(req.url, "http://x").searchParams.get("page") ?? 1);
      const body = listPage("", page, 50);
      sendJson(res, 200, body);
    });
    let count = 0;
    for await (const _ of dk.customers.iterate()) count++;
    expect(count).toBe(50);
  });

  it("a nextQuery without a page is a typed error, not a loop", async () => {
    const { dk, requests } = await serve((_, res) => {
      const body = listPage("http://x", 1, 100);
      body.customer.nextQuery = "http://x/customer/list?name=Frank";
      sendJson(res, 200, body);
    });
    const loop = async () => {
      for await (const _ of dk.customers.iterate()) {
        // reads the first page only
      }
    };
    await expect(loop()).rejects.toThrow("`nextQuery` names no page");
    expect(requests).toHaveLength(1);
    let read = 0;
    const counted = async () => {
      for await (const _ of dk.customers.iterate()) read++;
    };
    await expect(counted()).rejects.toThrow("`nextQuery` names no page");
    expect(read).toBe(25); // the page's records come first, then the error
  });

  it("empty pages that always point further end in a PaginationError", async () => {
    const { dk, requests } = await serve((_, res, n) =>
      sendJson(res, 200, { customer: { records: [], nextQuery: `/customer/list?page=${n + 1}` } }),
    );
    const loop = async () => {
      for await (const _ of dk.customers.iterate()) {
        // no customer ever comes
      }
    };
    await expect(loop()).rejects.toBeInstanceOf(PaginationError);
    expect(requests.length).toBeLessThanOrEqual(3);
  });
});

describe("ids and credentials are checked before any request", () => {
  it.each(["", ".", ".."])("rejects the id %j", async (id) => {
    const { dk, requests } = await serve((_, res) => sendJson(res, 200, { id: "x" }));
    await expect(dk.customers.delete(id)).rejects.toThrow(TypeError);
    await expect(dk.customers.get(id)).rejects.toThrow(TypeError);
    await expect(dk.customers.update(id, {})).rejects.toThrow(TypeError);
    expect(requests).toHaveLength(0);
  });

  it("refuses a token with a line break, without quoting it", () => {
    const make = () => createDeskeroClient({ clientId: "c", apiToken: `${API_TOKEN}\r\nX: y` });
    expect(make).toThrow(/apiToken holds a line break/);
    expect(make).not.toThrow(new RegExp(API_TOKEN));
  });
});

describe("secrets stay out of errors", () => {
  it.each([
    ["a line feed", "fresh\nsecret-token"],
    ["a NUL", "fresh\u0000secret-token"],
    ["a non-Latin-1 character", "fresh→secret-token"],
  ])(
    "a fetched token with %s is a typed error that never shows it, and is not kept",
    async (_what, token) => {
      const { dk, requests } = await serve(
        (req, res) =>
          new URL(req.url, "http://x").pathname === "/oauth/token"
            ? sendJson(res, 200, { access_token: token, token_type: "bearer", expires_in: 3600 })
            : sendJson(res, 200, customer("1")),
        { accessToken: undefined, apiToken: API_TOKEN },
      );
      for (let i = 0; i < 2; i++) {
        const error = await failure(dk.customers.get("1"));
        expect(error).toBeInstanceOf(DeskeroError);
        expect(error?.message).toContain("cannot be sent in a header");
        for (const text of [error?.message, JSON.stringify(error), inspect(error, { depth: 10 })])
          expect(text).not.toContain("secret-token");
      }
      expect(requests.filter((r) => r.url.startsWith("/oauth/token"))).toHaveLength(2);
    },
  );

  it("a token endpoint answering 200 with garbage does not get the fresh token quoted", async () => {
    const { dk } = await serve(
      (_, res) =>
        void res.writeHead(200, { "content-type": "text/plain" }).end("access_token=fresh-secret-token"),
      { accessToken: undefined, apiToken: API_TOKEN },
    );
    const error = await failure(dk.customers.list());
    expect(error).toBeInstanceOf(DeskeroError);
    for (const text of [error?.message, JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain("fresh-secret-token");
      expect(text).not.toContain(API_TOKEN);
    }
  });

  it("a request id echoing the token is redacted", async () => {
    const { dk } = await serve((_, res) =>
      sendJson(res, 400, { error: `bad ${ACCESS_TOKEN}` }, { "request-id": `Bearer ${ACCESS_TOKEN}` }),
    );
    const error = await failure(dk.customers.get("1"));
    expect(error?.requestId).toBe("Bearer [redacted]");
    expect(JSON.stringify(error)).not.toContain(ACCESS_TOKEN);
    expect(inspect(error, { depth: 10 })).not.toContain(ACCESS_TOKEN);
  });
});
