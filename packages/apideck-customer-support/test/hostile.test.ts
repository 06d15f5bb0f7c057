// The Apideck client against loopback servers that answer wrongly on purpose, with default options.
import { inspect } from "node:util";
import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  ApideckError,
  type CskitError,
  createApideckCustomerSupport,
  PaginationError,
} from "../src/index.js";
import { API_KEY, page, written } from "./fixtures.js";

let server: TestServer | undefined;
afterEach(() => server?.close());

async function serve(handler: Parameters<typeof startTestServer>[0]) {
  server = await startTestServer(handler);
  const cs = createApideckCustomerSupport({
    apiKey: API_KEY,
    appId: "app",
    consumerId: "c",
    baseUrl: server.url,
  });
  return { cs, requests: server.requests };
}
const failure = (pending: Promise<unknown>) =>
  pending.then(
    () => undefined,
    (e: unknown) => e as CskitError,
  );

describe("by default", () => {
  it("retries a 503 on list without being asked to", async () => {
    const { cs, requests } = await serve((_, res, n) =>
      n === 1 ? sendJson(res, 503, {}) : sendJson(res, 200, page(["1"], null)),
    );
    expect((await cs.customers.list()).data).toHaveLength(1);
    expect(requests).toHaveLength(2);
  });
});

describe("a 429 that outlasts the retries", () => {
  it("carries the server's wait hint, for callers that pace themselves", async () => {
    const { cs, requests } = await serve((_, res) =>
      sendJson(
        res,
        429,
        { status_code: 429, type_name: "TooManyRequestsError", message: "slow down" },
        { "retry-after": "30" },
      ),
    );
    const error = await failure(cs.customers.list());
    expect(error?.status).toBe(429);
    expect(error?.retryAfterMs).toBe(30_000);
    expect(requests).toHaveLength(1); // 30 s is past the default 10 s maxDelayMs: handed back at once
  });
});

describe("a 200 of the wrong shape is a typed error naming what is missing", () => {
  it.each([
    ["list {}", (cs: Client) => cs.customers.list(), {}, "`data` is not a list"],
    [
      "list with a numeric cursor",
      (cs: Client) => cs.customers.list(),
      { data: [], meta: { cursors: { next: 7 } } },
      "`meta.cursors.next` is not a string",
    ],
    [
      "list [null]",
      (cs: Client) => cs.customers.list(),
      { data: [null] },
      "`data` holds an item that is not an object",
    ],
    ["get {}", (cs: Client) => cs.customers.get("1"), {}, "`data` is not an object"],
    ["get []", (cs: Client) => cs.customers.get("1"), [], "the body is not a JSON object"],
    ["create {}", (cs: Client) => cs.customers.create({ first_name: "A" }), {}, "`data.id` is missing"],
    [
      "create without id",
      (cs: Client) => cs.customers.create({ first_name: "A" }),
      { data: {} },
      "`data.id` is missing",
    ],
    [
      "update with id null",
      (cs: Client) => cs.customers.update("1", { notes: "x" }),
      { data: { id: null } },
      "`data.id` is missing",
    ],
  ])("%s", async (_name, call, body, what) => {
    const { cs } = await serve((_, res) => sendJson(res, 200, body));
    const error = await failure(call(cs));
    expect(error).toBeInstanceOf(ApideckError);
    expect(error?.message).toContain(`unexpected answer: ${what}`);
    expect(error?.status).toBe(200);
  });

  it("empty pages that always point further end in a PaginationError", async () => {
    const { cs, requests } = await serve((_, res, n) => sendJson(res, 200, page([], `c${n}`)));
    const loop = async () => {
      for await (const _ of cs.customers.iterate()) {
        // no customer ever comes
      }
    };
    await expect(loop()).rejects.toBeInstanceOf(PaginationError);
    expect(requests.length).toBeLessThanOrEqual(3);
  });
});

describe("ids and credentials are checked before any request", () => {
  it.each(["", ".", ".."])("rejects the id %j", async (id) => {
    const { cs, requests } = await serve((_, res) => sendJson(res, 200, written("x", "delete")));
    await expect(cs.customers.delete(id)).rejects.toThrow(TypeError);
    await expect(cs.customers.get(id)).rejects.toThrow(TypeError);
    await expect(cs.customers.update(id, {})).rejects.toThrow(TypeError);
    expect(requests).toHaveLength(0);
  });

  it("refuses a key with a line break, without quoting it", () => {
    const make = () => createApideckCustomerSupport({ apiKey: `${API_KEY}\n`, appId: "a", consumerId: "c" });
    expect(make).toThrow(/apiKey holds a line break/);
    expect(make).not.toThrow(new RegExp(API_KEY));
  });
});

describe("secrets stay out of errors", () => {
  it("a server echoing the key in Request-Id and the body cannot leak it", async () => {
    const { cs } = await serve((_, res) =>
      sendJson(
        res,
        401,
        {
          status_code: 401,
          type_name: "UnauthorizedError",
          message: `bad key ${API_KEY}\u001b[31m`,
          detail: { key: API_KEY },
        },
        { "request-id": `Bearer ${API_KEY}` },
      ),
    );
    const error = await failure(cs.customers.list());
    expect(error).toBeInstanceOf(ApideckError);
    expect(error?.requestId).toBe("Bearer [redacted]");
    for (const text of [error?.message, JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain("\u001b");
    }
  });

  it("shows the violation a validating mock reports", async () => {
    const violations = [
      { location: ["request", "body"], message: "must NOT have additional properties; found 'id'" },
    ];
    const { cs } = await serve((_, res) =>
      sendJson(res, 422, { title: "Invalid request" }, { "sl-violations": JSON.stringify(violations) }),
    );
    const error = await failure(cs.customers.create({ first_name: "A" }));
    expect(error?.message).toContain(
      "(spec violation: request.body: must NOT have additional properties; found 'id')",
    );
  });
});

type Client = ReturnType<typeof createApideckCustomerSupport>;
