// Which sender the transport picks (internal/send/pick.ts), and what both refuse before sending.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as https from "node:https";
import { createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { classifyError } from "../src/classify.js";
import { AbortError, ConnectionError, CskitError } from "../src/errors.js";
import { PlainRequest } from "../src/plain-request.js";
import { Redactor } from "../src/redact.js";
import { startTestServer, type TestServer } from "../src/testing.js";
import { type ClientOptions, createTransport } from "../src/transport.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const redactor = new Redactor(["sk_live_secret"]);

describe("the default sender", () => {
  it("is our own undici Agent: no fetch-only headers, compressed answers asked for", async () => {
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

/** Which sender carried one call: fetch always sends Sec-Fetch-Mode, our own undici Agent never. */
async function carriedBy(options: Partial<ClientOptions> = {}): Promise<"fetch" | "node"> {
  const server = await startTestServer((_req, res) => void res.writeHead(200).end("{}"));
  servers.push(server);
  await createTransport({ redactor, ...options })(new PlainRequest(`${server.url}/x`));
  return server.requests[0]?.headers["sec-fetch-mode"] ? "fetch" : "node";
}

const DISPATCHER = Symbol.for("undici.globalDispatcher.1");
const slots = globalThis as unknown as Record<symbol, object>;

describe("the pick", () => {
  it("is our own undici Agent while Node's own dispatchers are untouched", async () => {
    expect(await carriedBy()).toBe("node");
  });

  it("is fetch while a user's dispatcher is set (same class name as Node's), and our own Agent again once it is gone", async () => {
    const nodes = slots[DISPATCHER] as object;
    const send = createTransport({ redactor }); // made before: the pick is checked at each call
    const server = await startTestServer((_req, res) => void res.writeHead(200).end("{}"));
    servers.push(server);
    slots[DISPATCHER] = Object.create(nodes); // an Agent to the class-name test, not Node's
    try {
      expect(slots[DISPATCHER]?.constructor.name).toBe(nodes.constructor.name);
      await send(new PlainRequest(`${server.url}/x`));
      expect(await carriedBy()).toBe("fetch");
      expect(await carriedBy({ sender: "node" })).toBe("node");
    } finally {
      slots[DISPATCHER] = nodes;
    }
    await send(new PlainRequest(`${server.url}/x`));
    expect(server.requests.map((r) => Boolean(r.headers["sec-fetch-mode"]))).toEqual([true, false]);
  });

  it("is fetch with NODE_USE_ENV_PROXY (fetch goes through a proxy)", async () => {
    process.env.NODE_USE_ENV_PROXY = "1";
    try {
      expect(await carriedBy()).toBe("fetch");
    } finally {
      delete process.env.NODE_USE_ENV_PROXY;
    }
    expect(await carriedBy()).toBe("node");
  });

  it("is what the sender option says", async () => {
    expect(await carriedBy({ sender: "fetch" })).toBe("fetch");
    expect(await carriedBy({ sender: "node" })).toBe("node");
    expect(await carriedBy({ sender: "auto" })).toBe("node");
  });

  it("refuses a sender option that cannot work, when the client is made", () => {
    const make = (options: Partial<ClientOptions>) => () => createTransport({ redactor, ...options });
    expect(make({ sender: "curl" as "node" })).toThrow(/sender must be "auto", "fetch" or "node"/);
    expect(make({ sender: "node", fetch: globalThis.fetch })).toThrow(TypeError);
    (globalThis as { Deno?: object }).Deno = {}; // off Node
    try {
      expect(make({ sender: "node" })).toThrow(/sender "node" needs Node/);
      expect(make({ sender: "auto" })).not.toThrow();
    } finally {
      delete (globalThis as { Deno?: object }).Deno;
    }
  });
});

describe.each(["node", "fetch"] as const)("sent with %s", (sender) => {
  it("an already-aborted signal: an AbortError, and no connection opened", async () => {
    let connections = 0;
    const server = createTcpServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const signal = AbortSignal.abort();
      const send = createTransport({ redactor, sender });
      const error = await send(new PlainRequest(`http://127.0.0.1:${port}/x`, { signal })).catch((e) => e);
      expect(error).toBeInstanceOf(AbortError);
      await new Promise((r) => setTimeout(r, 50));
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it("a control character in a header value: refused before sending, naming the header, not the value", async () => {
    const server = await startTestServer((_req, res) => void res.writeHead(200).end("{}"));
    servers.push(server);
    const send = createTransport({ redactor, sender, idempotencyHeader: "x-unique-transaction-id" });
    const headers = { "x-unique-transaction-id": "a\x01b" };
    const error = await send(
      new PlainRequest(`${server.url}/x`, { method: "POST", headers, body: "{}" }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(CskitError);
    expect(classifyError(error)).toBe("fatal");
    expect(error.message).toContain("x-unique-transaction-id");
    expect(error.message).not.toContain("a\x01b");
    expect(server.requests).toHaveLength(0);
  });
});

describe("an https.globalAgent someone made insecure", () => {
  it("is not used: a self-signed server is refused and never sees the API key", {
    timeout: 30_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "cskit-tls-"));
    const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    const seen: string[] = [];
    const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      seen.push(String(req.headers.authorization));
      res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const options = https.globalAgent.options as { rejectUnauthorized?: boolean };
    options.rejectUnauthorized = false;
    try {
      // The global agent now accepts it: what node:http would do through it.
      const through = await fetchVia(https.globalAgent, port);
      expect(through).toBe(200);
      seen.length = 0;
      for (const sender of ["auto", "fetch"] as const) {
        const send = createTransport({ redactor, sender, retry: false });
        const request = new PlainRequest(`https://127.0.0.1:${port}/x`, {
          headers: { authorization: "Bearer sk_live_secret" },
        });
        const error = await send(request).catch((e) => e);
        expect(error).toBeInstanceOf(ConnectionError);
        expect(error.message).not.toContain("sk_live_secret");
      }
      expect(seen).toEqual([]);
    } finally {
      delete options.rejectUnauthorized;
      server.closeAllConnections();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function fetchVia(agent: https.Agent, port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    https
      .get(`https://127.0.0.1:${port}/`, { agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      })
      .on("error", reject);
  });
}
