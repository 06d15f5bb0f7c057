// The transport against real loopback servers that misbehave on cue, with the defaults a user gets.
import { getEventListeners } from "node:events";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionError, RedirectError, ResponseTooLargeError, TimeoutError } from "../src/errors.js";
import { PlainRequest } from "../src/plain-request.js";
import { Redactor } from "../src/redact.js";
import { type Handler, startTestServer, type TestServer } from "../src/testing.js";
import { type BaseFetch, createTransport, DEFAULTS, type TransportOptions } from "../src/transport.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(handler: Handler) {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}
const redactor = () => new Redactor(["sk_live_secret"]);
const get = (url: string, init: RequestInit = {}) => new PlainRequest(url, init);

// Every case runs twice: with the default sender (our own undici Agent on Node) and through fetch.
const viaFetch: BaseFetch = (input, init) => globalThis.fetch(input, init);
describe.each([
  ["undici Agent, the default", {}],
  ["an injected fetch", { fetch: viaFetch }],
] as const)("sent with %s", (_name, sender: Partial<TransportOptions>) => {
  // The sender is the one option set here: every other limit keeps its default.
  const make = (options: TransportOptions) => createTransport({ ...options, ...sender });

  describe("defaults, with no option passed", () => {
    it("retries a 503 and a 429 and returns the 200: 3 attempts by default", async () => {
      const server = await serve((_req, res, n) => {
        if (n === 1) return void res.writeHead(503).end();
        if (n === 2) return void res.writeHead(429, { "retry-after": "0" }).end();
        res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      });
      const response = await make({ redactor: redactor() })(get(`${server.url}/x`));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('{"ok":true}');
      expect(server.requests).toHaveLength(3);
    });

    it("stops after 3 attempts and hands back the last answer", async () => {
      const server = await serve((_req, res) => void res.writeHead(503, { "retry-after-ms": "1" }).end());
      const response = await make({ redactor: redactor() })(get(`${server.url}/x`));
      expect(response.status).toBe(503);
      expect(server.requests).toHaveLength(DEFAULTS.maxAttempts);
    });

    it("honours retry-after-ms", async () => {
      const lines: string[] = [];
      const server = await serve((_req, res, n) =>
        n === 1 ? void res.writeHead(429, { "retry-after-ms": "7" }).end() : void res.writeHead(204).end(),
      );
      await make({ redactor: redactor(), debug: (l) => lines.push(l) })(get(`${server.url}/x`));
      expect(lines.find((l) => l.includes("retry"))).toMatch(/retry in 7ms \(0\/3 attempts used\)/);
    });

    it("caps the body at 32 MiB: a 40 MB answer is a ResponseTooLargeError", {
      timeout: 120_000,
    }, async () => {
      const chunk = Buffer.alloc(1024 * 1024, 97);
      const server = await serve(async (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        for (let i = 0; i < 40 && !res.destroyed; i++) {
          if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
        }
        res.end();
      });
      const lines: string[] = []; // debug only observes: every limit keeps its default
      const send = make({ redactor: redactor(), debug: (line) => lines.push(line) });
      const error = await send(get(`${server.url}/x`)).catch((e) => e);
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(error.message).toContain(String(DEFAULTS.maxResponseBytes));
      // Not retried: the refusal is the last thing logged. (A machine too busy to read 32 MiB within
      // the default 30 s timeout may have timed out, and retried, an earlier attempt.)
      expect(lines.at(-1)).toMatch(/-> ResponseTooLargeError /);
      expect(lines.filter((line) => line.includes("-> ResponseTooLargeError"))).toHaveLength(1);
    });

    it("caps the decompressed size: a gzip bomb is refused", { timeout: 120_000 }, async () => {
      const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024), { level: 1 });
      expect(bomb.length).toBeLessThan(DEFAULTS.maxResponseBytes / 100);
      const server = await serve(
        (_req, res) =>
          void res
            .writeHead(200, { "content-encoding": "gzip", "content-type": "application/json" })
            .end(bomb),
      );
      const error = await make({ redactor: redactor() })(get(`${server.url}/x`)).catch((e) => e);
      expect(error).toBeInstanceOf(ResponseTooLargeError);
    });

    it("refuses a redirect to another origin, and sends nothing there", async () => {
      const elsewhere = await serve((_req, res) => void res.writeHead(200).end("{}"));
      const server = await serve(
        (_req, res) =>
          void res.writeHead(307, { location: `${elsewhere.url}/steal?key=sk_live_secret` }).end(),
      );
      const send = make({ redactor: redactor() });
      const error = await send(
        new PlainRequest(`${server.url}/customers`, { method: "POST", body: '{"name":"Ada"}' }),
      ).catch((e) => e);
      expect(error).toBeInstanceOf(RedirectError);
      expect(error.message).toMatch(
        /Refused a 307 redirect to http:\/\/127.0.0.1:\d+: the API never redirects/,
      );
      expect(error.message).not.toContain("sk_live_secret");
      expect(elsewhere.requests).toHaveLength(0);
    });

    it("retries a GET whose connection drops after the headers, as a ConnectionError", async () => {
      const server = await serve((_req, res, n) => {
        if (n === 1) {
          res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
          res.write('{"data":[');
          setTimeout(() => res.socket?.destroy(), 10);
          return;
        }
        res.writeHead(200, { "content-type": "application/json" }).end('{"data":[]}');
      });
      const response = await make({ redactor: redactor() })(get(`${server.url}/x`));
      expect(await response.text()).toBe('{"data":[]}');
      expect(server.requests).toHaveLength(2);
    });

    it("does not retry a plain POST whose answer was cut: the record may exist", async () => {
      const server = await serve((_req, res) => {
        res.writeHead(201, { "content-length": "100" });
        res.write('{"id"');
        setTimeout(() => res.socket?.destroy(), 10);
      });
      const send = make({ redactor: redactor() });
      const error = await send(new PlainRequest(`${server.url}/x`, { method: "POST", body: "{}" })).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(ConnectionError);
      expect(server.requests).toHaveLength(1);
    });
  });

  describe("hangs and leaks", () => {
    it("times out a body trickled one byte at a time: the timeout covers the whole answer", async () => {
      const server = await serve((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(" ")), 20);
        res.on("close", () => clearInterval(timer));
      });
      const send = make({ redactor: redactor(), timeoutMs: 300, retry: false });
      const error = await send(get(`${server.url}/x`)).catch((e) => e);
      expect(error).toBeInstanceOf(TimeoutError);
    });

    it("leaves no abort listener on the caller's signal, however many calls share it", async () => {
      const server = await serve((_req, res) => void res.writeHead(200).end("{}"));
      const controller = new AbortController();
      const send = make({ redactor: redactor() });
      for (let i = 0; i < 50; i++) await send(get(`${server.url}/x`, { signal: controller.signal }));
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    });
  });

  describe("the answer handed back", () => {
    it("is a real Response, already read, that can be read again, cloned and streamed", async () => {
      const server = await serve(
        (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end('{"a":1}'),
      );
      const response = await make({ redactor: redactor() })(get(`${server.url}/x`));
      expect(response).toBeInstanceOf(Response);
      expect(await response.json()).toEqual({ a: 1 });
      expect(await response.clone().text()).toBe('{"a":1}');
      expect(await new Response(response.body).text()).toBe('{"a":1}');
      expect(response.headers.get("content-type")).toBe("application/json");
    });
  });
});

describe("options are checked when the transport is made", () => {
  it.each([
    [{ timeoutMs: Number.POSITIVE_INFINITY }, /timeoutMs must be/],
    [{ timeoutMs: 2 ** 31 }, /timeoutMs must be/],
    [{ timeoutMs: Number.NaN }, /timeoutMs must be/],
    [{ timeoutMs: -1 }, /timeoutMs must be/],
    [{ maxResponseBytes: 0 }, /maxResponseBytes must be/],
    [{ retry: { maxAttempts: 0 } }, /retry.maxAttempts must be/],
    [{ retry: { maxAttempts: 2.5 } }, /retry.maxAttempts must be an integer/],
    [{ retry: { baseDelayMs: Number.NaN } }, /retry.baseDelayMs must be/],
    [{ retry: true }, /retry must be an object or false/],
    [{ fetch: 42 }, /fetch must be a function/],
    [{ debug: "yes" }, /debug must be a boolean or a function/],
  ])("rejects %o", (options, message) => {
    expect(() => createTransport({ redactor: redactor(), ...(options as object) })).toThrow(message);
  });
});
