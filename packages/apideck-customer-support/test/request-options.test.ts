// Per-call request options (the last argument of every method) against a real server: each reaches
// the wire or takes effect for that call only, and the client's own setting holds for the next call.
import { sendJson } from "@cskit/http/testing";
import { afterEach, describe, expect, it } from "vitest";
import { AbortError, ApideckError, TimeoutError } from "../src/index.js";
import { closeServers, page, serveClient, written } from "./fixtures.js";

afterEach(closeServers);

const unavailable = { status_code: 503, type_name: "ServiceUnavailableError", message: "later" };
/** Never answers: only a timeout or an abort ends the call. */
const hang = () => new Promise<void>(() => {});

describe("request options", () => {
  it("retry: false and retry: { maxAttempts } apply to one call; the client's policy to the next", async () => {
    const { cs, requests } = await serveClient((_, res) => sendJson(res, 503, unavailable));
    await expect(cs.customers.list({ limit: 5 }, { retry: false })).rejects.toBeInstanceOf(ApideckError);
    expect(requests).toHaveLength(1);
    await expect(cs.customers.get("1", {}, { retry: { maxAttempts: 5 } })).rejects.toThrow(/later/);
    expect(requests).toHaveLength(6);
    await expect(cs.customers.list()).rejects.toBeInstanceOf(ApideckError);
    expect(requests).toHaveLength(9);
  });

  it("timeoutMs bounds one call; the client's timeoutMs the next", async () => {
    const { cs } = await serveClient(hang, { timeoutMs: 400, retry: false });
    await expect(cs.customers.list({}, { timeoutMs: 20 })).rejects.toThrow(
      new TimeoutError("No complete answer within 20 ms"),
    );
    await expect(cs.customers.delete("1")).rejects.toThrow(/within 400 ms/);
  });

  it("signal aborts the call in flight", async () => {
    const controller = new AbortController();
    const { cs } = await serveClient(() => {
      controller.abort();
      return hang();
    });
    const error = await cs.customers
      .update("1", { notes: "x" }, { signal: controller.signal })
      .catch((e) => e);
    expect(error).toBeInstanceOf(AbortError);
  });

  it("idempotencyKey, serviceId and raw reach the wire with the other options, the key the same on each retry", async () => {
    const { cs, requests } = await serveClient((_, res, n) =>
      n === 1 ? sendJson(res, 503, unavailable) : sendJson(res, 201, written("c1", "add")),
    );
    const created = await cs.customers.create(
      { first_name: "Ada" },
      { idempotencyKey: "k-1", timeoutMs: 5_000, serviceId: "zendesk", raw: true },
    );
    expect(created.id).toBe("c1");
    expect(requests.map((r) => r.headers["x-unique-transaction-id"])).toEqual(["k-1", "k-1"]);
    expect(requests[1]?.headers["x-apideck-service-id"]).toBe("zendesk");
    expect(requests[1]?.url).toContain("raw=true");
  });

  it("each page of iterate gets the options", async () => {
    const { cs, requests } = await serveClient((req, res) =>
      req.url.includes("cursor=2") ? sendJson(res, 503, unavailable) : sendJson(res, 200, page(["1"], "2")),
    );
    const read: string[] = [];
    const failure = await (async () => {
      for await (const c of cs.customers.iterate({ limit: 1 }, { retry: false, serviceId: "s" }))
        read.push(c.id ?? "");
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApideckError);
    expect(read).toEqual(["1"]);
    expect(requests).toHaveLength(2);
    expect(requests.map((r) => r.headers["x-apideck-service-id"])).toEqual(["s", "s"]);
  });

  it("refuses a bad per-call value with a TypeError, before any request", async () => {
    const { cs, requests } = await serveClient((_, res) => sendJson(res, 200, page([], null)));
    await expect(cs.customers.list({}, { timeoutMs: -1 })).rejects.toThrow(TypeError);
    await expect(cs.customers.list({}, { retry: { maxAttempts: 0 } })).rejects.toThrow(/retry.maxAttempts/);
    expect(requests).toHaveLength(0);
  });
});
