// The helpdesk's per-call request options reach the provider's client, for that call only.
import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  ApideckError,
  createHelpdesk,
  DeskeroError,
  type HelpdeskOptions,
  TimeoutError,
} from "../src/index.js";

let server: TestServer | undefined;
afterEach(() => server?.close());

const retry = { maxAttempts: 3, baseDelayMs: 1 };
const options = (provider: "apideck" | "deskero", url: string): HelpdeskOptions =>
  provider === "apideck"
    ? { provider, apiKey: "k", appId: "a", consumerId: "c", baseUrl: url, retry, timeoutMs: 400 }
    : { provider, clientId: "c", accessToken: "t", baseUrl: url, retry, timeoutMs: 400 };
const hang = () => new Promise<void>(() => {});

describe.each(["apideck", "deskero"] as const)("%s", (provider) => {
  const ProviderError = provider === "apideck" ? ApideckError : DeskeroError;

  it("retry per call on get, create, update, delete, list, iterate; the client's policy otherwise", async () => {
    server = await startTestServer((_, res) => sendJson(res, 503, { status_code: 503 }));
    const hd = createHelpdesk(options(provider, server.url));
    const once = { retry: false } as const;
    await expect(hd.customers.get("x", once)).rejects.toBeInstanceOf(ProviderError);
    await expect(
      hd.customers.create({ first_name: "A" }, { ...once, idempotencyKey: "k" }),
    ).rejects.toBeInstanceOf(ProviderError);
    await expect(hd.customers.update("x", { notes: "n" }, once)).rejects.toBeInstanceOf(ProviderError);
    await expect(hd.customers.delete("x", once)).rejects.toBeInstanceOf(ProviderError);
    await expect(hd.customers.list(once)).rejects.toBeInstanceOf(ProviderError);
    await expect(hd.customers.iterate(once).next()).rejects.toBeInstanceOf(ProviderError);
    expect(server.requests).toHaveLength(6);
    await expect(hd.customers.findByEmail("a@b.c", { retry: { maxAttempts: 2 } })).rejects.toBeInstanceOf(
      ProviderError,
    );
    expect(server.requests).toHaveLength(8);
    await expect(hd.customers.get("x")).rejects.toBeInstanceOf(ProviderError);
    expect(server.requests).toHaveLength(11);
  });

  it("timeoutMs per call; the client's timeoutMs otherwise", async () => {
    server = await startTestServer(hang);
    const hd = createHelpdesk({ ...options(provider, server.url), retry: false });
    await expect(hd.customers.get("x", { timeoutMs: 20 })).rejects.toThrow(
      new TimeoutError("No complete answer within 20 ms"),
    );
    await expect(hd.customers.get("x")).rejects.toThrow(/within 400 ms/);
  });
});
