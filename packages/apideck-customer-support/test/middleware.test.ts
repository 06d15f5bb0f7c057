import { sendJson } from "@cskit/http/testing";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionError } from "../src/index.js";
import { API_KEY, closeServers, page, serveClient, written } from "./fixtures.js";

// Every middleware form openapi-fetch documents, on the client's own openapi-fetch instance.
afterEach(closeServers);

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

describe("openapi-fetch middleware", () => {
  it("onRequest returning a new Request: its added header and the body reach the server", async () => {
    const { cs, requests } = await serveClient((req, res) =>
      sendJson(res, 200, req.method === "POST" ? written("c1", "add") : page(["1"], null)),
    );
    cs.client.use({
      onRequest({ request }) {
        const headers = new Headers(request.headers);
        headers.set("x-trace", "t-1");
        return new Request(request.url, { method: request.method, headers, body: request.body });
      },
    });
    const listed = await cs.customers.list();
    const created = await cs.customers.create({ first_name: "Ada" }, { idempotencyKey: "k-1" });
    expect(listed.data.map((c) => c.id)).toEqual(["1"]);
    expect(created.id).toBe("c1");
    expect(requests.map((r) => r.headers["x-trace"])).toEqual(["t-1", "t-1"]);
    expect(requests[1]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(requests[1]?.headers["x-unique-transaction-id"]).toBe("k-1");
    expect(JSON.parse(requests[1]?.body ?? "")).toEqual({ first_name: "Ada" });
  });

  it("onRequest returning the same request after changing its headers", async () => {
    const { cs, requests } = await serveClient((_, res) => sendJson(res, 200, page([], null)));
    cs.client.use({
      onRequest({ request }) {
        request.headers.set("x-trace", "t-2");
        return request;
      },
    });
    await cs.customers.list();
    expect(requests[0]?.headers["x-trace"]).toBe("t-2");
  });

  it("onRequest returning a Response: nothing is sent, the Response is the answer", async () => {
    const { cs, requests } = await serveClient((_, res) => sendJson(res, 500, {}));
    cs.client.use({ onRequest: () => json(page(["cached"], null)) });
    const listed = await cs.customers.list();
    expect(listed.data.map((c) => c.id)).toEqual(["cached"]);
    expect(requests).toHaveLength(0);
  });

  it("onResponse returning a new Response replaces the answer", async () => {
    const { cs } = await serveClient((_, res) => sendJson(res, 200, page(["1"], null)));
    cs.client.use({
      async onResponse({ response }) {
        const body = (await response.json()) as ReturnType<typeof page>;
        return json({ ...body, data: [...body.data, { id: "added" }] });
      },
    });
    const listed = await cs.customers.list();
    expect(listed.data.map((c) => c.id)).toEqual(["1", "added"]);
  });

  it("onError returning a Response recovers from a failed connection", async () => {
    const { cs, requests } = await serveClient((_, res) => void res.socket?.destroy(), { retry: false });
    const seen: unknown[] = [];
    cs.client.use({
      onError({ error }) {
        seen.push(error);
        return json(page(["fallback"], null));
      },
    });
    const listed = await cs.customers.list();
    expect(listed.data.map((c) => c.id)).toEqual(["fallback"]);
    expect(seen[0]).toBeInstanceOf(ConnectionError);
    expect(requests).toHaveLength(1);
  });

  it("onError returning an Error: that error is thrown", async () => {
    const { cs } = await serveClient((_, res) => void res.socket?.destroy(), { retry: false });
    cs.client.use({ onError: ({ error }) => new Error("wrapped", { cause: error }) });
    const failure = await cs.customers.list().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe("wrapped");
    expect((failure as Error).cause).toBeInstanceOf(ConnectionError);
  });
});
