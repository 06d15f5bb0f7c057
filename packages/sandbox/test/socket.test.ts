// The sandbox on a real socket, spoken to in raw HTTP (node:net): what a client cannot send through fetch.
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../src/index.js";

let sandbox: RunningSandbox | undefined;
afterEach(() => sandbox?.stop());

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends `head` (and `body`) as written on one connection, and reads the answer until the server closes it. */
function raw(port: number, head: string[], body: string | Buffer = ""): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const bytes = Buffer.concat(chunks);
      const split = bytes.indexOf("\r\n\r\n");
      const [statusLine, ...lines] = bytes.subarray(0, split).toString("latin1").split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      let rest = bytes.subarray(split + 4);
      if (headers["transfer-encoding"] === "chunked") {
        const parts: Buffer[] = [];
        for (;;) {
          const eol = rest.indexOf("\r\n");
          const size = Number.parseInt(rest.subarray(0, eol).toString("latin1"), 16);
          if (!size) break;
          parts.push(rest.subarray(eol + 2, eol + 2 + size));
          rest = rest.subarray(eol + 2 + size + 2);
        }
        rest = Buffer.concat(parts);
      }
      resolve({ status: Number(statusLine?.split(" ")[1]), headers, body: rest.toString("utf8") });
    });
    socket.end(Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`), Buffer.from(body)]));
  });
}

const DESKERO_AUTH = ["Authorization: Bearer anything", "clientId: c"];
const APIDECK_AUTH = ["Authorization: Bearer k", "x-apideck-app-id: a", "x-apideck-consumer-id: c"];
const portOf = (s: RunningSandbox) => Number(new URL(s.url).port);

describe("links to the next page", () => {
  it("deskero: an absolute target on another host gets nextQuery on the sandbox's own address", async () => {
    sandbox = await startSandbox("deskero");
    const answer = await raw(portOf(sandbox), [
      "GET http://evil.example:666/customer/list?page=1 HTTP/1.1",
      `Host: 127.0.0.1:${portOf(sandbox)}`,
      "Connection: close",
      ...DESKERO_AUTH,
    ]);
    expect(answer.status).toBe(200);
    const next = new URL(JSON.parse(answer.body).customer.nextQuery);
    expect(next.origin).toBe(sandbox.url);
    expect(next.searchParams.get("page")).toBe("2");
  });

  it("deskero: a Host header naming another server does not move nextQuery", async () => {
    sandbox = await startSandbox("deskero");
    const answer = await raw(portOf(sandbox), [
      "GET /customer/list?page=1 HTTP/1.1",
      "Host: evil.example:666",
      "Connection: close",
      ...DESKERO_AUTH,
    ]);
    expect(new URL(JSON.parse(answer.body).customer.nextQuery).origin).toBe(sandbox.url);
  });

  it("deskero: an HTTP/1.0 request without Host keeps the port", async () => {
    sandbox = await startSandbox("deskero");
    const answer = await raw(portOf(sandbox), ["GET /customer/list?page=1 HTTP/1.0", ...DESKERO_AUTH]);
    expect(answer.status).toBe(200);
    expect(new URL(JSON.parse(answer.body).customer.nextQuery).origin).toBe(sandbox.url);
  });

  it("apideck: links are on the sandbox's own address, whatever the target says", async () => {
    sandbox = await startSandbox("apideck");
    const answer = await raw(portOf(sandbox), [
      "GET http://evil.example:666/customer-support/customers?limit=5 HTTP/1.1",
      "Host: evil.example:666",
      "Connection: close",
      ...APIDECK_AUTH,
    ]);
    expect(answer.status).toBe(200);
    const { links } = JSON.parse(answer.body);
    expect(new URL(links.next).origin).toBe(sandbox.url);
    expect(new URL(links.current).origin).toBe(sandbox.url);
  });
});

describe("what it cannot serve", () => {
  it("refuses a 20,000-deep customFields with a 400 and a reason, and lists every page after it", async () => {
    sandbox = await startSandbox("deskero");
    const depth = 20_000;
    const body = `{"name":"Deep","email":"deep@x.test","customFields":{"a":${"[".repeat(depth)}${"]".repeat(depth)}}}`;
    const created = await raw(
      portOf(sandbox),
      [
        "POST /customer/insert HTTP/1.1",
        "Host: x",
        "Connection: close",
        "Content-Type: application/json",
        `Content-Length: ${Buffer.byteLength(body)}`,
        ...DESKERO_AUTH,
      ],
      body,
    );
    expect(created.status).toBe(400);
    expect(created.body).toContain("nests deeper than 64 levels");
    expect(created.headers["request-id"]).toBeTruthy();
    for (let page = 1; page <= 5; page++) {
      const listed = await raw(portOf(sandbox), [
        `GET /customer/list?page=${page} HTTP/1.1`,
        "Host: x",
        "Connection: close",
        ...DESKERO_AUTH,
      ]);
      expect(listed.status).toBe(page <= 4 ? 200 : 204);
    }
  });

  it("a body over 1 MiB gets a 413 with a JSON reason and a Request-Id", async () => {
    sandbox = await startSandbox("apideck");
    const body = Buffer.alloc(1024 * 1024 + 1, "a");
    const answer = await raw(
      portOf(sandbox),
      [
        "POST /customer-support/customers HTTP/1.1",
        "Host: x",
        "Content-Type: application/json",
        `Content-Length: ${body.length}`,
        ...APIDECK_AUTH,
      ],
      body,
    );
    expect(answer.status).toBe(413);
    expect(answer.headers["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(answer.body).error).toContain("larger than");
  });

  it("a request it fails to answer gets a 500 with a JSON reason and a Request-Id", async () => {
    sandbox = await startSandbox("apideck", {
      rewrite: () => {
        throw new RangeError("Maximum call stack size exceeded");
      },
    });
    const answer = await raw(portOf(sandbox), [
      "GET /customer-support/customers HTTP/1.1",
      "Host: x",
      "Connection: close",
      ...APIDECK_AUTH,
    ]);
    expect(answer.status).toBe(500);
    expect(answer.headers["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(answer.body).error).toBeTruthy();
  });
});
