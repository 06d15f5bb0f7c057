// Which sender the transport picks by default, and what node:http sends and decodes.
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { PlainRequest } from "../src/plain-request.js";
import { Redactor } from "../src/redact.js";
import { startTestServer, type TestServer } from "../src/testing.js";
import { createTransport } from "../src/transport.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const redactor = new Redactor(["sk_live_secret"]);

describe("the default sender", () => {
  it("is node:http: no fetch-only headers, compressed answers asked for", async () => {
    const server = await startTestServer((_req, res) => void res.writeHead(200).end("{}"));
    servers.push(server);
    await createTransport({ redactor })(new PlainRequest(`${server.url}/x`, { headers: { a: "1" } }));
    const [seen] = server.requests;
    expect(seen?.headers["sec-fetch-mode"]).toBeUndefined(); // fetch (undici) always sends it
    expect(seen?.headers["accept-encoding"]).toBe("gzip, deflate, br");
    expect(seen?.headers.a).toBe("1");
  });

  it("is fetch when the client is given one", async () => {
    const server = await startTestServer((_req, res) => void res.writeHead(200).end("{}"));
    servers.push(server);
    const calls: string[] = [];
    const fetch = (input: string | Request, init?: RequestInit) => {
      calls.push(String(input));
      return globalThis.fetch(input, init);
    };
    await createTransport({ redactor, fetch })(new PlainRequest(`${server.url}/x`));
    expect(calls).toEqual([`${server.url}/x`]);
    expect(server.requests[0]?.headers["sec-fetch-mode"]).toBe("cors");
  });

  it("is the global fetch when someone replaced it (a mock, a tracer)", async () => {
    const server = await startTestServer((_req, res) => void res.writeHead(200).end("{}"));
    servers.push(server);
    const original = globalThis.fetch;
    const calls: string[] = [];
    globalThis.fetch = (input, init) => {
      calls.push(String(input));
      return original(input, init);
    };
    try {
      await createTransport({ redactor })(new PlainRequest(`${server.url}/x`));
    } finally {
      globalThis.fetch = original;
    }
    expect(calls).toEqual([`${server.url}/x`]);
  });

  it("sends a UTF-8 body whole and reads every encoding fetch reads", async () => {
    const json = JSON.stringify({ name: "Zoë 😀 Ünal" });
    const encoded: Record<string, Buffer> = {
      gzip: gzipSync(json),
      deflate: deflateSync(json),
      br: brotliCompressSync(json),
      identity: Buffer.from(json),
    };
    const server = await startTestServer((req, res) => {
      const encoding = req.url.slice(1);
      res.writeHead(200, { "content-encoding": encoding }).end(encoded[encoding]);
    });
    servers.push(server);
    const send = createTransport({ redactor });
    for (const encoding of Object.keys(encoded)) {
      const answer = await send(
        new PlainRequest(`${server.url}/${encoding}`, { method: "POST", body: json }),
      );
      expect(await answer.json()).toEqual(JSON.parse(json));
    }
    expect(server.requests.map((r) => r.body)).toEqual(Object.keys(encoded).map(() => json));
  });
});
