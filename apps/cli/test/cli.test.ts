// The built binary, spawned, against a loopback fake of each API.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";
import { readStatus } from "@cskit/migrate";
import { afterEach, describe, expect, it } from "vitest";
import { APIDECK_ENV, apideckList, runCli } from "./helpers.js";

let server: TestServer | undefined;
afterEach(() => server?.close());

/** A fake Apideck holding `total` customers, paged by cursor, storing creates by idempotency key. */
async function fakeApideck(total: number, options: { failCreate?: (body: string) => boolean } = {}) {
  const created = new Map<string, { id: string; body: string }>();
  server = await startTestServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (req.method === "GET" && url.pathname === "/customer-support/customers") {
      const limit = Number(url.searchParams.get("limit") ?? 20);
      const start = Number(url.searchParams.get("cursor") ?? 0);
      const ids = Array.from({ length: Math.max(0, Math.min(limit, total - start)) }, (_, i) =>
        String(start + i),
      );
      const next = start + limit < total ? String(start + limit) : null;
      return sendJson(
        res,
        200,
        apideckList(
          ids.map((id) => ({ id, first_name: "Ada", last_name: id, emails: [{ email: `${id}@x.test` }] })),
          next,
        ),
      );
    }
    // A created customer can be read back (bulk create confirms each id: Apideck may replay a key).
    const one = /^\/customer-support\/customers\/([^/]+)$/.exec(url.pathname)?.[1];
    const stored = [...created.values()].find((c) => c.id === one);
    if (req.method === "GET" && stored)
      return sendJson(res, 200, { status_code: 200, data: { id: stored.id, ...JSON.parse(stored.body) } });
    if (req.method === "POST") {
      if (options.failCreate?.(req.body)) {
        return sendJson(res, 422, {
          status_code: 422,
          type_name: "RequestValidationError",
          message: "Invalid Params",
        });
      }
      const key = String(req.headers["x-unique-transaction-id"]);
      if (!created.has(key)) created.set(key, { id: `new-${created.size + 1}`, body: req.body });
      const id = created.get(key)?.id;
      return sendJson(res, 201, {
        status_code: 201,
        status: "Created",
        service: "fake",
        resource: "customers",
        operation: "add",
        data: { id },
      });
    }
    sendJson(
      res,
      404,
      {
        status_code: 404,
        type_name: "EntityNotFoundError",
        message: "Unknown Customer",
        detail: "no such id",
      },
      { "request-id": "req-404" },
    );
  });
  return { url: server.url, created, requests: server.requests };
}

const apideck = (url: string) => ({ ...APIDECK_ENV, APIDECK_BASE_URL: url });

describe("cskit apideck", () => {
  it("lists a page as JSON when piped, with nothing on stderr", async () => {
    const { url } = await fakeApideck(3);
    const result = await runCli(["apideck", "customers", "list"], { env: apideck(url) });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(result.stdout).map((c: { id: string }) => c.id)).toEqual(["0", "1", "2"]);
  });

  it("streams --all over 12 pages as ndjson: 1150 records, each once", async () => {
    const { url, requests } = await fakeApideck(1150);
    const result = await runCli(["apideck", "customers", "list", "--all", "--limit", "100", "-o", "ndjson"], {
      env: apideck(url),
    });
    expect(result.code).toBe(0);
    const ids = result.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line).id);
    expect(ids).toHaveLength(1150);
    expect(new Set(ids).size).toBe(1150);
    expect(requests).toHaveLength(12);
    expect(result.stderr).toBe(""); // no progress line in a pipe
  });

  it("stops --all at --max-items and writes valid csv", async () => {
    const { url } = await fakeApideck(500);
    const result = await runCli(["apideck", "customers", "list", "--all", "--max-items", "30", "-o", "csv"], {
      env: apideck(url),
    });
    const lines = result.stdout.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,name,email,phone,company,status,updated");
    expect(lines).toHaveLength(31);
    expect(lines[1]).toBe("0,Ada 0,0@x.test,,,,");
  });

  it("prints an API error as one line with type, message and request id, and exits 1", async () => {
    const { url } = await fakeApideck(0);
    const result = await runCli(["apideck", "customers", "get", "nope"], { env: apideck(url) });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "cskit: error: EntityNotFoundError: Unknown Customer (status 404, request-id req-404)\n",
    );
  });

  it("names a missing credential in one line and exits 2", async () => {
    const result = await runCli(["apideck", "customers", "list"], {
      env: { APIDECK_APP_ID: "a", APIDECK_CONSUMER_ID: "c" },
    });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "cskit: missing environment variable APIDECK_API_KEY (set it, or put it in .env)\n",
    });
  });

  it("reads credentials from .env", async () => {
    const { url } = await fakeApideck(1);
    const dir = await mkdtemp(join(tmpdir(), "cskit-env-"));
    await writeFile(
      join(dir, ".env"),
      `# creds\nAPIDECK_API_KEY="k-from-dotenv"\nAPIDECK_APP_ID=a\nAPIDECK_CONSUMER_ID=c\n`,
    );
    const result = await runCli(["apideck", "customers", "list"], {
      env: { APIDECK_BASE_URL: url },
      cwd: dir,
    });
    expect(result.code).toBe(0);
    expect(server?.requests[0]?.headers.authorization).toBe("Bearer k-from-dotenv");
  });

  it("rejects malformed JSON with line and column, and sends nothing", async () => {
    const { url, requests } = await fakeApideck(0);
    const result = await runCli(["apideck", "customers", "create", "-"], {
      env: apideck(url),
      input: '{\n  "first_name": "Ada",\n  "status": active\n}',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('cskit: stdin: invalid JSON at line 3, column 13: unexpected "a"\n');
    expect(requests).toHaveLength(0);
  });

  it("exits 2 on a bad flag or value, without a stack trace", async () => {
    for (const args of [
      ["apideck", "customers", "list", "--limit", "0"],
      ["apideck", "customers", "list", "--nope"],
      ["-o", "xml", "apideck", "customers", "list"],
    ]) {
      const result = await runCli(args, { env: APIDECK_ENV });
      expect(result.code).toBe(2);
      expect(result.stderr.split("\n")[0]).toMatch(/^cskit: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("creates from stdin and prints the id", async () => {
    const { url, created } = await fakeApideck(0);
    const result = await runCli(["apideck", "customers", "create", "-", "--idempotency-key", "k1"], {
      env: apideck(url),
      input: '{"first_name":"Ada"}',
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id: "new-1" });
    expect([...created.keys()]).toEqual(["k1"]);
  });

  it("bulk create: a rerun after a failure creates nothing twice", async () => {
    let broken = true;
    const { url, created } = await fakeApideck(0, { failCreate: (body) => broken && body.includes("Bob") });
    const dir = await mkdtemp(join(tmpdir(), "cskit-bulk-"));
    const file = join(dir, "customers.ndjson");
    await writeFile(file, '{"first_name":"Ada"}\n{"first_name":"Bob"}\n\n{"first_name":"Cy"}\n');

    const first = await runCli(["apideck", "customers", "create", "--file", file, "-o", "json"], {
      env: apideck(url),
    });
    expect(first.code).toBe(1);
    const summary = JSON.parse(first.stdout);
    expect(summary.created.map((c: { line: number }) => c.line)).toEqual([1, 4]);
    expect(summary.failed).toEqual([
      { line: 2, error: "RequestValidationError: Invalid Params (status 422)" },
    ]);

    broken = false;
    const second = await runCli(["apideck", "customers", "create", "--file", file, "-o", "table"], {
      env: apideck(url),
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe("created 1, failed 0, skipped 2 (already created)\n");
    expect(created.size).toBe(3);
    expect(readStatus(`${file}.cskit.sqlite`).byStatus).toEqual({ done: 3 });
  });

  it("--debug logs requests to stderr without the API key", async () => {
    const { url } = await fakeApideck(1);
    const result = await runCli(["--debug", "apideck", "customers", "list"], { env: apideck(url) });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^debug: GET http:\/\/127\.0\.0\.1:\d+\/customer-support\/customers -> 200 \d+ms\n$/,
    );
    expect(result.stderr + result.stdout).not.toContain(APIDECK_ENV.APIDECK_API_KEY);
  });
});

describe("cskit deskero", () => {
  it("searches with --where and follows every page with --all", async () => {
    server = await startTestServer((req, res) => {
      const url = new URL(req.url, "http://x");
      const page = Number(url.searchParams.get("page") ?? 1);
      const base = `http://127.0.0.1/customer/list`;
      sendJson(res, 200, {
        customer: {
          totalRecords: 60,
          recordsPerPage: 25,
          previousQuery: null,
          nextQuery: page < 3 ? `${base}?page=${page + 1}` : null,
          records: Array.from({ length: page < 3 ? 25 : 10 }, (_, i) => ({
            id: `${page}-${i}`,
            name: "Frank",
          })),
        },
      });
    });
    const env = {
      DESKERO_ACCESS_TOKEN: "tok-secret",
      DESKERO_CLIENT_ID: "cid",
      DESKERO_BASE_URL: server.url,
    };
    const result = await runCli(
      ["deskero", "customers", "list", "--all", "--where", "name=Frank", "-o", "ndjson"],
      { env },
    );
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(60);
    expect(server.requests.map((r) => r.url)).toEqual([
      "/customer/list?page=1&name=Frank",
      "/customer/list?page=2&name=Frank",
      "/customer/list?page=3&name=Frank",
    ]);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer tok-secret");
  });

  it("reports a 204 on get as not found and exits 1", async () => {
    server = await startTestServer((_, res) => {
      res.writeHead(204).end();
    });
    const env = { DESKERO_ACCESS_TOKEN: "t", DESKERO_CLIENT_ID: "c", DESKERO_BASE_URL: server.url };
    const result = await runCli(["deskero", "customers", "get", "x1"], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "cskit: error: DeskeroError: Deskero getCustomer answered 204: no customer with id x1 (status 204)\n",
    );
  });

  it("names the missing Deskero token", async () => {
    const result = await runCli(["deskero", "customers", "list"], { env: { DESKERO_CLIENT_ID: "c" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing environment variable DESKERO_ACCESS_TOKEN or DESKERO_API_TOKEN");
  });

  it("reports a 500 as one line and exits 1", async () => {
    server = await startTestServer((_, res) => {
      res.writeHead(500, { "content-type": "text/html" }).end("<h1>Internal error</h1>");
    });
    const env = { DESKERO_ACCESS_TOKEN: "t", DESKERO_CLIENT_ID: "c", DESKERO_BASE_URL: server.url };
    const result = await runCli(["--retries", "0", "deskero", "customers", "delete", "x1"], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "cskit: error: DeskeroError: Deskero deleteCustomer answered 500: <h1>Internal error</h1> (status 500)\n",
    );
  });
});
