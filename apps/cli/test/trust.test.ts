// Issue 9: the spawned binary with its defaults (no --retries, no --timeout) against hostile servers and bad input.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as http from "@cskit/http";
import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";
import { readStatus } from "@cskit/migrate";
import { afterEach, describe, expect, it } from "vitest";
import { APIDECK_ENV, apideckList, deskeroList, runCli, spawnCli } from "./helpers.js";

/** Tests that need the library side of issue 9 (empty-page check, sl-violations) run once it has landed. */
const libraryHardened = "PaginationError" in http;

let server: TestServer | undefined;
afterEach(() => server?.close());

const ESC = "\u001b";
const apideck = (url: string) => ({ ...APIDECK_ENV, APIDECK_BASE_URL: url });
const customer = (id: string, extra: Record<string, unknown> = {}) => ({ id, first_name: "Ada", ...extra });

/** An Apideck whose pages never end: cursor n gives records n*10.. and points to n+1. */
async function endlessApideck() {
  server = await startTestServer((req, res) => {
    const n = Number(new URL(req.url, "http://x").searchParams.get("cursor") ?? 0);
    const data = Array.from({ length: 10 }, (_, i) => customer(String(n * 10 + i)));
    sendJson(res, 200, apideckList(data, String(n + 1)));
  });
  return server;
}

describe("a closed pipe", () => {
  it("`--all -o ndjson | head -1` ends quietly, without an EPIPE stack trace", async () => {
    const { url } = await endlessApideck();
    const child = spawnCli(["apideck", "customers", "list", "--all", "-o", "ndjson"], apideck(url));
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const first = await new Promise<string>((resolve) => {
      child.stdout.once("data", (chunk) => {
        resolve(String(chunk).split("\n")[0] as string);
        child.stdout.destroy(); // what `head -1` does after its line
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(JSON.parse(first)).toMatchObject({ id: "0" });
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});

describe("terminal and spreadsheet safety", () => {
  const hostile = customer("1", {
    first_name: `${ESC}]0;owned${ESC}\\Ada${ESC}[2J`,
    last_name: "\u009b31mL\r\nx",
    company_name: '=HYPERLINK("http://evil")',
  });

  it("a table shows no escape sequence from the server", async () => {
    server = await startTestServer((_, res) => sendJson(res, 200, apideckList([hostile], null)));
    const result = await runCli(["apideck", "customers", "list", "-o", "table"], {
      env: apideck(server.url),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).not.toContain("\u009b");
    expect(result.stdout).not.toContain("\r");
    expect(result.stdout).toContain("]0;owned\\Ada[2J 31mL x");
  });

  it("a csv cell cannot start a formula", async () => {
    server = await startTestServer((_, res) => sendJson(res, 200, apideckList([hostile], null)));
    const result = await runCli(
      ["apideck", "customers", "list", "-o", "csv", "--fields", "id,company_name"],
      {
        env: apideck(server.url),
      },
    );
    expect(result.stdout).toBe(`id,company_name\r\n1,"'=HYPERLINK(""http://evil"")"\r\n`);
  });

  it("a csv cell holding ; is quoted, and no piece after a ; or , starts a formula (semicolon locales)", async () => {
    const record = customer("1", { company_name: "x;=1+2", last_name: 'a,@SUM(A1);-2;"q"' });
    server = await startTestServer((_, res) => sendJson(res, 200, apideckList([record], null)));
    const result = await runCli(
      ["apideck", "customers", "list", "-o", "csv", "--fields", "id,company_name,last_name"],
      { env: apideck(server.url) },
    );
    expect(result.stdout).toBe(`id,company_name,last_name\r\n1,"x;'=1+2","a,'@SUM(A1);'-2;""q"""\r\n`);
  });

  it("get -o csv has the columns of list -o csv", async () => {
    server = await startTestServer((req, res) =>
      req.url.includes("?") || req.url.endsWith("/customers")
        ? sendJson(res, 200, apideckList([hostile], null))
        : sendJson(res, 200, {
            status_code: 200,
            status: "OK",
            service: "f",
            resource: "customers",
            operation: "one",
            data: hostile,
          }),
    );
    const list = await runCli(["apideck", "customers", "list", "-o", "csv"], { env: apideck(server.url) });
    const get = await runCli(["apideck", "customers", "get", "1", "-o", "csv"], { env: apideck(server.url) });
    expect(get.code).toBe(0);
    expect(get.stdout).toBe(list.stdout);
    expect(get.stdout.split("\r\n")[0]).toBe("id,name,email,phone,company,status,updated");
  });

  it("an error line loses escapes and line breaks, and a 5 MB message is cut to a few hundred characters", async () => {
    server = await startTestServer((_, res) =>
      sendJson(res, 400, {
        status_code: 400,
        type_name: "BadRequestError",
        message: `bad${ESC}[31m\nred ${"x".repeat(5_000_000)}`,
      }),
    );
    const result = await runCli(["apideck", "customers", "get", "1"], { env: apideck(server.url) });
    expect(result.code).toBe(1);
    const lines = result.stderr.split("\n");
    expect(lines).toHaveLength(2); // one line, then the final newline
    expect(lines[0]).toMatch(/^cskit: error: BadRequestError: bad\[31m red x+…/);
    expect(result.stderr).not.toContain(ESC);
    expect(result.stderr.length).toBeLessThan(600);
  });

  it("a 200,000-deep record prints as JSON without a stack overflow", async () => {
    const depth = 200_000;
    server = await startTestServer((_, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        `{"status_code":200,"status":"OK","service":"f","resource":"customers","operation":"one","data":{"id":"1","x":${"[".repeat(depth)}${"]".repeat(depth)}}}`,
      );
    });
    const result = await runCli(["apideck", "customers", "get", "1", "-o", "json"], {
      env: apideck(server.url),
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(2 * depth);
  });
});

describe("--all", () => {
  it("resumes from --cursor (apideck)", async () => {
    const { requests } = await endlessApideck();
    const result = await runCli(
      ["apideck", "customers", "list", "--all", "--cursor", "5", "--max-items", "15", "-o", "ndjson"],
      { env: apideck(server?.url as string) },
    );
    expect(result.code).toBe(0);
    const ids = result.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l).id);
    expect(ids[0]).toBe("50");
    expect(ids).toHaveLength(15);
    expect(requests.map((r) => new URL(r.url, "http://x").searchParams.get("cursor"))).toEqual(["5", "6"]);
  });

  it("resumes from --page (deskero)", async () => {
    server = await startTestServer((req, res) => {
      const page = Number(new URL(req.url, "http://x").searchParams.get("page"));
      sendJson(res, 200, deskeroList([{ id: `p${page}`, name: "F" }], page, page === 4));
    });
    const env = { DESKERO_ACCESS_TOKEN: "t", DESKERO_CLIENT_ID: "c", DESKERO_BASE_URL: server.url };
    const result = await runCli(["deskero", "customers", "list", "--all", "--page", "3", "-o", "ndjson"], {
      env,
    });
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).id),
    ).toEqual(["p3", "p4"]);
  });

  it("a cursor that comes back stops the loop with an error on stderr and exit 1, keeping valid output", async () => {
    server = await startTestServer((req, res) => {
      const cursor = new URL(req.url, "http://x").searchParams.get("cursor");
      sendJson(res, 200, apideckList([customer(cursor ?? "first")], "same"));
    });
    const result = await runCli(["apideck", "customers", "list", "--all"], { env: apideck(server.url) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cskit: error: PaginationError: .*\n$/);
    // What was read before the cut is still a valid JSON array.
    expect(JSON.parse(result.stdout)[0]).toMatchObject({ id: "first" });
  });

  it.runIf(libraryHardened)("empty pages with ever-new cursors stop with an error, not a hang", async () => {
    server = await startTestServer((req, res) => {
      const n = Number(new URL(req.url, "http://x").searchParams.get("cursor") ?? 0);
      sendJson(res, 200, apideckList([], String(n + 1)));
    });
    const result = await runCli(["apideck", "customers", "list", "--all"], { env: apideck(server.url) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cskit: error: PaginationError: /);
    expect(server.requests.length).toBeLessThan(100);
  });
});

describe("configuration", () => {
  it("reads .env with Node's parser: export, quotes, inline comments", async () => {
    server = await startTestServer((_, res) => sendJson(res, 200, apideckList([], null)));
    const dir = await mkdtemp(join(tmpdir(), "cskit-env-"));
    await writeFile(
      join(dir, ".env"),
      `export APIDECK_API_KEY="key#1" # the prod key\nAPIDECK_APP_ID=app-1 # comment\nAPIDECK_CONSUMER_ID='c 2'\nAPIDECK_BASE_URL=${server.url}\n`,
    );
    const result = await runCli(["apideck", "customers", "list"], { cwd: dir });
    expect(result.code).toBe(0);
    const headers = server.requests[0]?.headers;
    expect(headers?.authorization).toBe("Bearer key#1");
    expect(headers?.["x-apideck-app-id"]).toBe("app-1");
    expect(headers?.["x-apideck-consumer-id"]).toBe("c 2");
  });

  it("names every missing credential in one run", async () => {
    const result = await runCli(["apideck", "customers", "list"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "cskit: missing environment variables APIDECK_API_KEY, APIDECK_APP_ID, APIDECK_CONSUMER_ID (set them, or put them in .env)\n",
    });
    const deskero = await runCli(["deskero", "customers", "list"]);
    expect(deskero.stderr).toContain(
      "missing environment variables DESKERO_ACCESS_TOKEN or DESKERO_API_TOKEN, DESKERO_CLIENT_ID",
    );
  });

  it("refuses a base URL with a query or fragment, from the flag or from .env", async () => {
    const flag = await runCli(
      ["--base-url", "https://api.example.com/v2?x=1", "apideck", "customers", "list"],
      {
        env: APIDECK_ENV,
      },
    );
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe("cskit: --base-url: baseUrl must not have a query or fragment\n");
    for (const empty of ["https://api.example.com/api?", "https://api.example.com/api#"]) {
      const result = await runCli(["--base-url", empty, "apideck", "customers", "list"], {
        env: APIDECK_ENV,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("must not have a query or fragment");
    }
    const dir = await mkdtemp(join(tmpdir(), "cskit-env-"));
    await writeFile(join(dir, ".env"), 'DESKERO_BASE_URL="https://api.example.com/#frag"\n');
    const env = await runCli(["deskero", "customers", "list"], { cwd: dir, env: { DESKERO_API_TOKEN: "t" } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(
      /^cskit: DESKERO_BASE_URL in \.env: baseUrl must not have a query or fragment/,
    );
  });

  it("never quotes a base URL that fails to parse, and names no host before refusing one", async () => {
    const bad = await runCli(
      ["--base-url", "https://admin:s3cr3t@api example.com/", "apideck", "customers", "list"],
      {
        env: APIDECK_ENV,
      },
    );
    expect(bad).toMatchObject({ code: 2, stdout: "" });
    expect(bad.stderr).toBe("cskit: --base-url: baseUrl is not a valid URL\n");
    const plain = await runCli(["--base-url", "http://example.com", "apideck", "customers", "list"], {
      env: APIDECK_ENV,
    });
    expect(plain.code).toBe(2);
    expect(plain.stderr).not.toContain("sending credentials");
    expect(plain.stderr).toContain("must use https");
  });

  it("takes only APIDECK_* and DESKERO_* from .env: it cannot turn off TLS checks or load code", async () => {
    server = await startTestServer((_, res) => sendJson(res, 200, apideckList([], null)));
    const dir = await mkdtemp(join(tmpdir(), "cskit-env-"));
    await writeFile(join(dir, "evil.cjs"), "process.stdout.write('PWNED');\n");
    await writeFile(
      join(dir, ".env"),
      `NODE_TLS_REJECT_UNAUTHORIZED=0\nNODE_OPTIONS="--require ./evil.cjs"\nAPIDECK_BASE_URL=${server.url}\n`,
    );
    const result = await runCli(["apideck", "customers", "list", "--mock"], { cwd: dir, env: {} });
    expect(result.stdout).not.toContain("PWNED");
    expect(result.stderr).toMatch(/^cskit: \.env: ignored (NODE_OPTIONS|NODE_TLS_REJECT_UNAUTHORIZED), /);
    expect(result.stderr).toContain("(cskit reads only APIDECK_* and DESKERO_* from .env)");
    expect(result.code).toBe(0); // the mock (a child process, which NODE_OPTIONS would reach) ran clean
  });

  it("names the host that gets the credentials when the base URL is not the API's own", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cskit-env-"));
    await writeFile(join(dir, ".env"), "APIDECK_BASE_URL=https://cskit-test.invalid\n");
    const result = await runCli(["apideck", "customers", "list"], { cwd: dir, env: APIDECK_ENV });
    expect(result.code).toBe(1);
    const [notice, error] = result.stderr.split("\n");
    expect(notice).toBe("cskit: sending credentials to cskit-test.invalid (from APIDECK_BASE_URL in .env)");
    expect(error).toMatch(/^cskit: error: ConnectionError: /);
    expect(result.stderr).not.toContain(APIDECK_ENV.APIDECK_API_KEY);
  });

  it("a loopback base URL needs no credentials and prints no notice", async () => {
    server = await startTestServer((_, res) => sendJson(res, 200, apideckList([customer("1")], null)));
    const result = await runCli(["--base-url", server.url, "apideck", "customers", "list"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer mock");
  });

  it("a loopback server refusing the dummy credentials: the line names the variables not set, exit 2", async () => {
    const refuse = { status_code: 401, type_name: "UnauthorizedError", message: "Unauthorized" };
    server = await startTestServer((_, res) => sendJson(res, 401, refuse));
    const env = { APIDECK_BASE_URL: server.url, APIDECK_APP_ID: "app" };
    const result = await runCli(["apideck", "customers", "list"], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "cskit: the server refused (401) the dummy credentials cskit uses on a loopback base URL: " +
        "missing environment variables APIDECK_API_KEY, APIDECK_CONSUMER_ID (set them, or put them in .env)\n",
    );
    const deskero = await runCli(["deskero", "customers", "get", "1"], {
      env: { DESKERO_BASE_URL: server.url, DESKERO_CLIENT_ID: "c" },
    });
    expect(deskero.stderr).toContain(
      "missing environment variable DESKERO_ACCESS_TOKEN or DESKERO_API_TOKEN (set it",
    );
    // With every credential set, the server's own answer is shown.
    const real = await runCli(["apideck", "customers", "list"], { env: apideck(server.url) });
    expect(real.code).toBe(1);
    expect(real.stderr).toMatch(/^cskit: error: UnauthorizedError: Unauthorized \(status 401/);
  });
});

describe("errors a user can read", () => {
  it("a network error names its type and exits 1", async () => {
    const result = await runCli(["apideck", "customers", "list"], { env: apideck("http://127.0.0.1:9") });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cskit: error: ConnectionError: .+\n$/);
  });

  it("a missing file is one readable line", async () => {
    const result = await runCli(["apideck", "customers", "create", "--file", "nope.json"], {
      env: APIDECK_ENV,
    });
    expect(result).toEqual({ code: 2, stdout: "", stderr: "cskit: cannot read nope.json: no such file\n" });
  });

  it("a bad .ndjson line is named by one line number, and nothing is sent", async () => {
    server = await startTestServer((_, res) => sendJson(res, 500, {}));
    const dir = await mkdtemp(join(tmpdir(), "cskit-bulk-"));
    const file = join(dir, "c.ndjson");
    await writeFile(file, '{"first_name":"Ada"}\n\n{"first_name": Bob}\n');
    const result = await runCli(["apideck", "customers", "create", "--file", file], {
      env: apideck(server.url),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`cskit: ${file}: invalid JSON at line 3, column 16: unexpected "B"\n`);
    expect(server.requests).toHaveLength(0);
  });

  it("an empty .ndjson file says so and exits 2", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cskit-bulk-"));
    const file = join(dir, "empty.ndjson");
    await writeFile(file, "\n\n");
    const result = await runCli(["apideck", "customers", "create", "--file", file], { env: APIDECK_ENV });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `cskit: ${file}: no records (the file is empty)\n`,
    });
  });

  it.each([".", "..", " "])("refuses the id %j before any request", async (id) => {
    server = await startTestServer((_, res) => sendJson(res, 200, {}));
    const result = await runCli(["apideck", "customers", "delete", id], { env: apideck(server.url) });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`cskit: ${JSON.stringify(id)} is not a customer id\n`);
    expect(server.requests).toHaveLength(0);
  });
});

describe("export, then import", () => {
  it("records exported by list --all are created again without their read-only fields", async () => {
    const exported = [
      customer("1", { created_at: "2020-09-30T07:43:32.000Z", updated_by: "u", last_name: "L" }),
      customer("2", { updated_at: "2020-09-30T07:43:32.000Z" }),
    ];
    server = await startTestServer((req, res) => {
      // Apideck may replay a key: each created id is read back (GET /customers/{id}) before it is reported.
      const one = /\/customers\/([^/?]+)/.exec(req.url)?.[1];
      if (req.method === "GET" && one) return sendJson(res, 200, { status_code: 200, data: customer(one) });
      if (req.method === "GET") return sendJson(res, 200, apideckList(exported, null));
      sendJson(res, 201, {
        status_code: 201,
        status: "Created",
        service: "f",
        resource: "customers",
        operation: "add",
        data: { id: `new-${req.body.length}` },
      });
    });
    const dir = await mkdtemp(join(tmpdir(), "cskit-export-"));
    const file = join(dir, "customers.ndjson");
    const list = await runCli(["apideck", "customers", "list", "--all", "-o", "ndjson"], {
      env: apideck(server.url),
    });
    await writeFile(file, list.stdout);
    const create = await runCli(["apideck", "customers", "create", "--file", file, "-o", "table"], {
      env: apideck(server.url),
    });
    expect(create.stdout).toBe("created 2, failed 0, skipped 0 (already created)\n");
    expect(create.stderr).toBe(
      "cskit: not sent, read-only (the API sets them): created_at, id, updated_at, updated_by\n",
    );
    const posted = server.requests.filter((r) => r.method === "POST").map((r) => JSON.parse(r.body));
    expect(posted).toEqual([{ first_name: "Ada", last_name: "L" }, { first_name: "Ada" }]);
    expect(readStatus(`${file}.cskit.sqlite`).byStatus).toEqual({ done: 2 });
  });
});

describe("help", () => {
  it("`cskit help apideck customers list` shows that command's help", async () => {
    const result = await runCli(["help", "apideck", "customers", "list"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: cskit apideck customers list /);
    expect(result.stdout).toContain("--cursor");
  });

  it("bare `cskit` prints help on stderr and exits 2", async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^Usage: cskit /);
  });
});
