import { sendJson } from "@cskit/http/testing";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionError } from "../src/index.js";
import { ACCESS_TOKEN, API_TOKEN, closeServers, customer, serveClient } from "./fixtures.js";

// Every middleware form openapi-fetch documents, on the client's own openapi-fetch instance.
afterEach(closeServers);

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
const path = (url: string) => new URL(url, "http://x").pathname;

/** Copies a request into a real Request with one more header. */
function withTrace({ request }: { request: Request }) {
  const headers = new Headers(request.headers);
  headers.set("x-trace", "t-1");
  return new Request(request.url, { method: request.method, headers, body: request.body });
}

describe("openapi-fetch middleware", () => {
  it("onRequest returning a new Request: its added header and the body reach the server", async () => {
    const { dk, requests } = await serveClient((req, res) =>
      sendJson(res, 200, req.method === "POST" ? { id: "c1" } : customer("1")),
    );
    dk.client.use({ onRequest: withTrace });
    expect((await dk.customers.get("1")).id).toBe("1");
    expect((await dk.customers.create({ name: "Ada" })).id).toBe("c1");
    expect(requests.map((r) => r.headers["x-trace"])).toEqual(["t-1", "t-1"]);
    expect(requests[1]?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(JSON.parse(requests[1]?.body ?? "")).toEqual({ name: "Ada" });
  });

  it("onRequest returning a new Request keeps the fetched bearer token", async () => {
    const { dk, requests } = await serveClient(
      (req, res) =>
        path(req.url) === "/oauth/token"
          ? sendJson(res, 200, { access_token: "fresh-token-1", token_type: "bearer", expires_in: 3600 })
          : sendJson(res, 200, customer("1")),
      { accessToken: undefined, apiToken: API_TOKEN },
    );
    dk.client.use({ onRequest: withTrace });
    await dk.customers.get("1");
    const call = requests.find((r) => path(r.url) !== "/oauth/token");
    expect(call?.headers.authorization).toBe("Bearer fresh-token-1");
    expect(call?.headers["x-trace"]).toBe("t-1");
  });

  it("onRequest returning a Response: nothing is sent, the Response is the answer", async () => {
    const { dk, requests } = await serveClient((_, res) => sendJson(res, 500, {}));
    dk.client.use({ onRequest: () => json(customer("cached")) });
    expect((await dk.customers.get("1")).id).toBe("cached");
    expect(requests).toHaveLength(0);
  });

  it("onResponse returning a new Response replaces the answer", async () => {
    const { dk } = await serveClient((_, res) => sendJson(res, 200, customer("1")));
    dk.client.use({
      async onResponse({ response }) {
        const body = (await response.json()) as ReturnType<typeof customer>;
        return json({ ...body, name: "Changed" });
      },
    });
    expect((await dk.customers.get("1")).name).toBe("Changed");
  });

  it("onError returning a Response recovers from a failed connection", async () => {
    const { dk, requests } = await serveClient((_, res) => void res.socket?.destroy(), { retry: false });
    const seen: unknown[] = [];
    dk.client.use({
      onError({ error }) {
        seen.push(error);
        return json(customer("fallback"));
      },
    });
    expect((await dk.customers.get("1")).id).toBe("fallback");
    expect(seen[0]).toBeInstanceOf(ConnectionError);
    expect(requests).toHaveLength(1);
  });

  it("onError returning an Error: that error is thrown", async () => {
    const { dk } = await serveClient((_, res) => void res.socket?.destroy(), { retry: false });
    dk.client.use({ onError: ({ error }) => new Error("wrapped", { cause: error }) });
    const failure = await dk.customers.get("1").catch((e: unknown) => e);
    expect((failure as Error).message).toBe("wrapped");
    expect((failure as Error).cause).toBeInstanceOf(ConnectionError);
  });
});
