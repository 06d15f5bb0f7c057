// Both sandboxes behind `prism proxy --errors`, driven by our typed clients: every request and every
// answer is validated against our specs, so an answer that breaks the spec fails the call.
import { ApideckError, createApideckCustomerSupport } from "@cskit/apideck-customer-support";
import { createDeskeroClient, type DeskeroClient, isNotFound } from "@cskit/deskero";
import { type RunningPrism, specPath, startPrism } from "@cskit/prism";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, type RunningSandbox, SANDBOX_CREDENTIALS, startSandbox } from "../src/index.js";

const SEEDED = 1000;
const running: { stop(): Promise<void> }[] = [];
afterAll(() => Promise.all(running.map((r) => r.stop())));

interface Exchange {
  method: string;
  path: string;
  status: number;
  requestId: string | null;
  violations: string | null;
}

/** A sandbox behind a validating Prism proxy, and a fetch that records every exchange. */
async function proxied(api: Api) {
  const sandbox = await startSandbox(api, { customers: SEEDED, seed: 7 });
  running.push(sandbox);
  const prism: RunningPrism = await startPrism(specPath(api), {
    mode: "proxy",
    upstream: sandbox.url,
    errors: true,
  });
  running.push(prism);
  const exchanges: Exchange[] = [];
  const fetch = async (input: string | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const response = await globalThis.fetch(request);
    const url = new URL(request.url);
    exchanges.push({
      method: request.method,
      path: url.pathname,
      status: response.status,
      requestId: response.headers.get("request-id"),
      violations: response.headers.get("sl-violations"),
    });
    return response;
  };
  return { sandbox, url: prism.url, fetch, exchanges };
}

const summary = (exchanges: Exchange[]) => exchanges.map((e) => `${e.method} ${e.status}`);

describe("apideck sandbox behind prism proxy --errors", () => {
  let env: Awaited<ReturnType<typeof proxied>>;
  let cs: ReturnType<typeof createApideckCustomerSupport>;
  beforeAll(async () => {
    env = await proxied("apideck");
    cs = createApideckCustomerSupport({
      ...SANDBOX_CREDENTIALS.apideck,
      baseUrl: env.url,
      fetch: env.fetch,
      retry: false,
    });
  });

  it("create, get, update, get, delete, get gives EntityNotFoundError; every answer conforms", async () => {
    env.exchanges.length = 0;
    const before = env.sandbox.size();
    const { id } = await cs.customers.create({
      first_name: "Ada",
      last_name: "Lovelace",
      emails: [{ email: "ada@example.com", type: "primary" }],
      status: "active",
      currency: "GBP",
    });
    expect(env.sandbox.size()).toBe(before + 1);
    expect((await cs.customers.get(id)).data).toMatchObject({ id, first_name: "Ada", last_name: "Lovelace" });
    await cs.customers.update(id, { notes: "prefers email" });
    const updated = (await cs.customers.get(id)).data;
    expect(updated).toMatchObject({ id, first_name: "Ada", notes: "prefers email" });
    expect(updated.created_at).toEqual(expect.any(String));
    await cs.customers.delete(id);
    expect(env.sandbox.size()).toBe(before);
    const gone = await cs.customers.get(id).catch((error: unknown) => error);
    expect(isNotFound(gone)).toBe(true);
    expect(gone).toBeInstanceOf(ApideckError);
    expect(gone).toMatchObject({ status: 404, typeName: "EntityNotFoundError" });
    expect((gone as ApideckError).message).toContain("Unknown Customer");
    expect(summary(env.exchanges)).toEqual([
      "POST 201",
      "GET 200",
      "PATCH 200",
      "GET 200",
      "DELETE 200",
      "GET 404",
    ]);
    expect(env.exchanges.filter((e) => e.violations)).toEqual([]);
    expect(env.exchanges.every((e) => e.requestId && e.requestId.length > 0)).toBe(true);
    expect(new Set(env.exchanges.map((e) => e.requestId)).size).toBe(env.exchanges.length);
  });

  it("iterate() visits each of 1,000 seeded customers exactly once, in the sandbox's order", async () => {
    env.exchanges.length = 0;
    const seen: (string | undefined)[] = [];
    for await (const customer of cs.customers.iterate({ limit: 200 })) seen.push(customer.id);
    const stored = [...env.sandbox.records()].map((c) => c.id);
    expect(seen).toEqual(stored);
    expect(new Set(seen).size).toBe(SEEDED);
    expect(env.exchanges).toHaveLength(5);
    expect(env.exchanges.filter((e) => e.violations)).toEqual([]);
  });

  it("pages hold 20 customers by default, and the last page's next cursor is null", async () => {
    const first = await cs.customers.list();
    expect(first.data).toHaveLength(20);
    expect(first.meta?.items_on_page).toBe(20);
    expect(first.meta?.cursors?.next).toEqual(expect.any(String));
    expect(first.links?.next).toContain(`cursor=${first.meta?.cursors?.next}`);
    let cursor = first.meta?.cursors?.next ?? undefined;
    let pages = 1;
    let last = first;
    while (cursor) {
      last = await cs.customers.list({ limit: 200, cursor });
      cursor = last.meta?.cursors?.next ?? undefined;
      pages++;
    }
    expect(pages).toBe(1 + Math.ceil((SEEDED - 20) / 200));
    expect(last.meta?.cursors?.next).toBeNull();
    expect(last.links?.next).toBeNull();
  });

  it("the same X-Unique-Transaction-ID creates once and answers the first create's id", async () => {
    const before = env.sandbox.size();
    const first = await cs.customers.create({ first_name: "Once" }, { idempotencyKey: "key-1" });
    const again = await cs.customers.create({ first_name: "Twice" }, { idempotencyKey: "key-1" });
    const other = await cs.customers.create({ first_name: "Other" }, { idempotencyKey: "key-2" });
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect(env.sandbox.size()).toBe(before + 2);
    expect((await cs.customers.get(first.id)).data.first_name).toBe("Once");
    expect(again.requestId).not.toBe(first.requestId);
  });

  it("fields keeps the listed fields only (and id)", async () => {
    const page = await cs.customers.list({ limit: 3, fields: "first_name,emails.email" });
    for (const customer of page.data) {
      expect(Object.keys(customer).sort()).toEqual(["emails", "first_name", "id"]);
      for (const email of customer.emails ?? []) expect(Object.keys(email)).toEqual(["email"]);
    }
  });
});

describe("deskero sandbox behind prism proxy --errors", () => {
  let env: Awaited<ReturnType<typeof proxied>>;
  let dk: DeskeroClient;
  beforeAll(async () => {
    env = await proxied("deskero");
    // Made-up credentials. The sandbox accepts any Basic token; Prism wants it to look like base64 user:password.
    dk = createDeskeroClient({
      clientId: "my-client",
      apiToken: btoa("made-up:credentials"),
      baseUrl: env.url,
      fetch: env.fetch,
      retry: false,
    });
  });

  it("token exchange, then create, get, search, update, get, delete, get gives not-found; every answer conforms", async () => {
    env.exchanges.length = 0;
    const before = env.sandbox.size();
    const { id } = await dk.customers.create({
      name: "Frank Elvgren",
      email: "frank@example.com",
      language: "en",
    });
    expect(env.sandbox.size()).toBe(before + 1);
    expect(await dk.customers.get(id)).toMatchObject({
      id,
      name: "Frank Elvgren",
      email: "frank@example.com",
    });
    expect((await dk.customers.search({ email: "frank@example.com" })).records.map((c) => c.id)).toEqual([
      id,
    ]);
    await dk.customers.update(id, { memo: "a great customer" });
    expect(await dk.customers.get(id)).toMatchObject({ id, name: "Frank Elvgren", memo: "a great customer" });
    await dk.customers.delete(id);
    expect(env.sandbox.size()).toBe(before);
    const gone = await dk.customers.get(id).catch((error: unknown) => error);
    expect(isNotFound(gone)).toBe(true);
    expect(summary(env.exchanges)).toEqual([
      "GET 200", // token
      "POST 201",
      "GET 200",
      "GET 200",
      "PUT 200",
      "GET 200",
      "DELETE 200",
      "GET 204",
    ]);
    expect(env.exchanges[0]?.path).toBe("/oauth/token");
    expect(env.exchanges.filter((e) => e.violations)).toEqual([]);
    expect(env.exchanges.every((e) => e.requestId)).toBe(true);
  });

  it("iterate() visits each of 1,000 seeded customers exactly once, 25 per page", async () => {
    env.exchanges.length = 0;
    const seen: (string | undefined)[] = [];
    for await (const customer of dk.customers.iterate()) seen.push(customer.id);
    const stored = [...env.sandbox.records()].map((c) => c.id);
    expect(seen).toEqual(stored);
    expect(new Set(seen).size).toBe(SEEDED);
    expect(env.exchanges).toHaveLength(SEEDED / 25);
    expect(env.exchanges.filter((e) => e.violations)).toEqual([]);
  });

  it("nextQuery is a full URL to the next page, null on the last; a search with no match is an empty page (204)", async () => {
    const first = await dk.customers.list();
    expect(first).toMatchObject({ totalRecords: SEEDED, recordsPerPage: 25, previousQuery: null });
    expect(new URL(first.nextQuery as string).searchParams.get("page")).toBe("2");
    const last = await dk.customers.list({ page: SEEDED / 25 });
    expect(last.records).toHaveLength(25);
    expect(last.nextQuery).toBeNull();
    expect(new URL(last.previousQuery as string).searchParams.get("page")).toBe(String(SEEDED / 25 - 1));
    env.exchanges.length = 0;
    const none = await dk.customers.search({ email: "nobody@nowhere.example" });
    expect(none.records).toEqual([]);
    expect(summary(env.exchanges)).toEqual(["GET 204"]);
  });

  it("a search by a seeded customer's email finds exactly that customer", async () => {
    const target = [...env.sandbox.records()][123] as { id: string; email: string };
    const found = await dk.customers.search({ email: target.email });
    expect(found.records.map((c) => c.id)).toEqual([target.id]);
    expect(found.totalRecords).toBe(1);
  });
});

describe("the proxy catches a sandbox answer that breaks the spec", () => {
  it("a customer id sent as a number fails the call, with the violation named", async () => {
    const sandbox = await startSandbox("apideck", {
      customers: 1,
      rewrite: (answer, request) => {
        if (request.method !== "GET" || answer.status !== 200 || !answer.body) return answer;
        const body = JSON.parse(answer.body);
        if (Array.isArray(body.data)) return answer;
        return { ...answer, body: JSON.stringify({ ...body, data: { ...body.data, id: 12345 } }) };
      },
    });
    running.push(sandbox);
    const prism = await startPrism(specPath("apideck"), {
      mode: "proxy",
      upstream: sandbox.url,
      errors: true,
    });
    running.push(prism);
    const bodies: string[] = [];
    const cs = createApideckCustomerSupport({
      ...SANDBOX_CREDENTIALS.apideck,
      baseUrl: prism.url,
      retry: false,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        bodies.push(await response.clone().text());
        return response;
      },
    });
    const [first] = (await cs.customers.list()).data;
    const error = await cs.customers.get(first?.id as string).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApideckError);
    expect((error as ApideckError).status).toBe(500);
    expect(bodies.at(-1)).toContain("data.id must be string");
  });
});

describe("startSandbox", () => {
  it("binds 127.0.0.1 on a free port by default, and stop() closes it", async () => {
    const sandbox: RunningSandbox = await startSandbox("deskero");
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await fetch(`${sandbox.url}/oauth/token?grant_type=client_credentials`, {
      headers: { authorization: "Basic x" },
    });
    expect(answer.status).toBe(200);
    await sandbox.stop();
    await expect(fetch(`${sandbox.url}/oauth/token`)).rejects.toThrow();
  });

  it("says clearly when the port is taken, and refuses a port out of range", async () => {
    const first = await startSandbox("apideck", { customers: 0 });
    running.push(first);
    const port = Number(new URL(first.url).port);
    await expect(startSandbox("apideck", { port })).rejects.toThrow(
      `port ${port} on 127.0.0.1 is already in use`,
    );
    await expect(startSandbox("apideck", { port: 70000 })).rejects.toThrow(
      "port must be an integer from 0 to 65535",
    );
  });
});
