// The client against a real node:http server on 127.0.0.1 that misbehaves on cue.
import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  ApideckError,
  ConnectionError,
  createApideckCustomerSupport,
  PaginationError,
  TimeoutError,
} from "../src/index.js";
import { API_KEY, page, written } from "./fixtures.js";

let server: TestServer | undefined;
afterEach(() => server?.close());

async function serve(handler: Parameters<typeof startTestServer>[0], extra = {}) {
  server = await startTestServer(handler);
  const cs = createApideckCustomerSupport({
    apiKey: API_KEY,
    appId: "app",
    consumerId: "consumer",
    baseUrl: server.url,
    retry: { maxAttempts: 3, baseDelayMs: 5 },
    ...extra,
  });
  return { cs, requests: server.requests };
}

describe("against a misbehaving server", () => {
  it("waits out a 429 with Retry-After and then succeeds: 2 attempts", async () => {
    const { cs, requests } = await serve((_, res, n) =>
      n === 1
        ? sendJson(res, 429, { status_code: 429 }, { "retry-after": "1" })
        : sendJson(res, 200, page(["1"], null)),
    );
    const result = await cs.customers.list();
    expect(result.data).toHaveLength(1);
    expect(requests).toHaveLength(2);
  });

  it("retries a 503 and returns the 200: 2 attempts", async () => {
    const { cs, requests } = await serve((_, res, n) =>
      n === 1 ? sendJson(res, 503, { status_code: 503 }) : sendJson(res, 200, page(["a", "b"], null)),
    );
    expect((await cs.customers.list()).data.map((c) => c.id)).toEqual(["a", "b"]);
    expect(requests).toHaveLength(2);
  });

  it("creates once when the connection drops after the server stored the record", async () => {
    const records = new Map<string, string>();
    const { cs, requests } = await serve((req, res, n) => {
      const key = String(req.headers["x-unique-transaction-id"]);
      if (!records.has(key)) records.set(key, `id-${records.size + 1}`);
      if (n === 1) {
        res.socket?.destroy(); // stored, but the answer is lost
        return;
      }
      sendJson(res, 201, written(records.get(key) as string, "add"));
    });
    const result = await cs.customers.create({ first_name: "Ada" });
    expect(requests).toHaveLength(2);
    expect(records.size).toBe(1);
    expect(result.id).toBe("id-1");
  });

  it("raises ConnectionError on a reset connection once attempts run out", async () => {
    const { cs, requests } = await serve((_, res) => {
      res.socket?.destroy();
    });
    await expect(cs.customers.list()).rejects.toBeInstanceOf(ConnectionError);
    expect(requests).toHaveLength(3);
  });

  it("raises TimeoutError when the answer is slower than timeoutMs, after 2 attempts", async () => {
    const attempts: string[] = [];
    const { cs } = await serve(
      async (_, res) => {
        await new Promise((resolve) => setTimeout(resolve, 3000));
        if (!res.destroyed) sendJson(res, 200, page([], null));
      },
      {
        timeoutMs: 200,
        retry: { maxAttempts: 2, baseDelayMs: 1 },
        debug: (line: string) => attempts.push(line),
      },
    );
    const error = await cs.customers.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    // Counted on the client: under load a timed-out attempt may not even reach the server.
    expect(attempts.filter((line) => / -> TimeoutError \d+ms$/.test(line))).toHaveLength(2);
  });

  it("raises ApideckError with an excerpt when the server answers HTML", async () => {
    const { cs } = await serve((_, res) => {
      res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Gateway error</body></html>");
    });
    const error = (await cs.customers.list().catch((e: unknown) => e)) as ApideckError;
    expect(error).toBeInstanceOf(ApideckError);
    expect(error.message).toContain("invalid JSON in a 200 answer: <html><body>Gateway error</body></html>");
  });

  it("throws PaginationError when the cursor repeats: 2 pages, 4 records", async () => {
    const { cs, requests } = await serve((_, res, n) =>
      sendJson(res, 200, page([`${n}-a`, `${n}-b`], "loop")),
    );
    const ids: string[] = [];
    const loop = async () => {
      for await (const c of cs.customers.iterate()) ids.push(c.id as string);
    };
    await expect(loop()).rejects.toBeInstanceOf(PaginationError);
    expect(ids).toEqual(["1-a", "1-b", "2-a", "2-b"]);
    expect(requests).toHaveLength(2);
  });
});
