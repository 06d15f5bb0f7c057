// Per-call request options (the last argument of every method) against a real server: each takes
// effect for that call only, and the client's own setting holds for the next call.
import { getEventListeners } from "node:events";
import { sendJson } from "@cskit/http/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AbortError, DeskeroError } from "../src/index.js";
import { API_TOKEN, closeServers, customer, listPage, serveClient } from "./fixtures.js";

afterEach(closeServers);

/** Never answers: only a timeout or an abort ends the call. */
const hang = () => new Promise<void>(() => {});
const path = (url: string) => new URL(url, "http://x").pathname;

describe("request options", () => {
  it("retry: false and retry: { maxAttempts } apply to one call; the client's policy to the next", async () => {
    const { dk, requests } = await serveClient((_, res) => sendJson(res, 503, {}));
    await expect(
      dk.customers.get("527a0f95e4b0d3bd74d43929", { retry: { maxAttempts: 5 } }),
    ).rejects.toBeInstanceOf(DeskeroError);
    expect(requests).toHaveLength(5);
    await expect(dk.customers.list({ page: 2 }, { retry: false })).rejects.toBeInstanceOf(DeskeroError);
    expect(requests).toHaveLength(6);
    await expect(dk.customers.search({ name: "x" })).rejects.toBeInstanceOf(DeskeroError);
    expect(requests).toHaveLength(9);
  });

  it("timeoutMs bounds one call; the client's timeoutMs the next", async () => {
    const { dk } = await serveClient(hang, { timeoutMs: 400, retry: false });
    await expect(dk.customers.update("1", { memo: "x" }, { timeoutMs: 20 })).rejects.toThrow(/within 20 ms/);
    await expect(dk.customers.delete("1")).rejects.toThrow(/within 400 ms/);
  });

  it("signal aborts the call in flight, after the token exchange", async () => {
    const controller = new AbortController();
    const { dk, requests } = await serveClient(
      (req, res) => {
        if (path(req.url) !== "/oauth/token") {
          controller.abort();
          return hang();
        }
        sendJson(res, 200, { access_token: "fresh-token-1", token_type: "bearer", expires_in: 3600 });
      },
      { accessToken: undefined, apiToken: API_TOKEN },
    );
    const error = await dk.customers.create({ name: "Ada" }, { signal: controller.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(requests.map((r) => path(r.url))).toEqual(["/oauth/token", "/customer/insert"]);
  });

  it("each page of iterate gets the options", async () => {
    const { dk, requests, url } = await serveClient((req, res) =>
      new URL(req.url, "http://x").searchParams.get("page") === "1"
        ? sendJson(res, 200, listPage(url, 1, 30))
        : sendJson(res, 503, {}),
    );
    const failure = await (async () => {
      for await (const _ of dk.customers.iterate({}, { ahead: 0 }, { retry: false }));
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeskeroError);
    expect(requests).toHaveLength(2);
  });

  it("refuses a bad per-call value with a TypeError, before any request", async () => {
    const { dk, requests } = await serveClient((_, res) => sendJson(res, 200, customer("1")));
    await expect(dk.customers.get("1", { timeoutMs: Number.NaN })).rejects.toThrow(TypeError);
    expect(requests).toHaveLength(0);
  });
});

describe("many calls sharing one signal", () => {
  it("wait on one token exchange without a MaxListenersExceededWarning, and all abort together", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      const { dk, requests } = await serveClient(hang, { accessToken: undefined, apiToken: API_TOKEN });
      const calls = Array.from({ length: 50 }, () =>
        dk.customers.list({ page: 1 }, { signal: controller.signal }).then(
          () => "answered",
          (error: unknown) => error,
        ),
      );
      await vi.waitFor(() => expect(requests.map((r) => path(r.url))).toEqual(["/oauth/token"]), 5000);
      // Node 22+ sets no listener limit on an AbortSignal, so count them: one, however many calls.
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
      controller.abort();
      const outcomes = await Promise.all(calls);
      expect(
        outcomes.every((outcome) => outcome instanceof AbortError || outcome === controller.signal.reason),
      ).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.name)).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });
});
