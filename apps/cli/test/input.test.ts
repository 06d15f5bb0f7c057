// What the user hands cskit (stdin, .env): decoded once as UTF-8, without a BOM, capped, and parsed safely.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";
import { afterEach, describe, expect, it } from "vitest";
import { APIDECK_ENV, runCli } from "./helpers.js";

let server: TestServer | undefined;
afterEach(() => server?.close());

const apideck = (url: string) => ({ ...APIDECK_ENV, APIDECK_BASE_URL: url });
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** An Apideck that answers every create with id "1". */
async function createServer() {
  server = await startTestServer((_, res) =>
    sendJson(res, 201, {
      status_code: 201,
      status: "Created",
      service: "fake",
      resource: "customers",
      operation: "add",
      data: { id: "1" },
    }),
  );
  return server;
}

describe("stdin", () => {
  it("a 120 KB record with accented text arrives whole (no U+FFFD at the 64 KiB boundaries of a pipe)", async () => {
    const { url, requests } = await createServer();
    // 2-byte characters at odd offsets: some chunk boundary of the pipe falls inside one.
    const notes = `x${"é".repeat(60_000)}`;
    const result = await runCli(["apideck", "customers", "create", "-"], {
      env: apideck(url),
      input: JSON.stringify({ first_name: "Zoë", notes }),
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const sent = JSON.parse(requests[0]?.body ?? "{}") as { notes?: string; first_name?: string };
    expect(sent.notes).toBe(notes);
    expect(sent.first_name).toBe("Zoë");
  });

  it("a UTF-8 BOM before the JSON is dropped", async () => {
    const { url, requests } = await createServer();
    const result = await runCli(["apideck", "customers", "create", "-"], {
      env: apideck(url),
      input: Buffer.concat([BOM, Buffer.from('{"first_name":"Ada"}')]),
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(requests[0]?.body ?? "{}")).toMatchObject({ first_name: "Ada" });
  });

  it("more than 32 MiB on stdin (`yes | cskit ... create -`) is one usage error, and nothing is sent", async () => {
    const { url, requests } = await createServer();
    const result = await runCli(["apideck", "customers", "create", "-"], {
      env: apideck(url),
      input: Buffer.alloc(33 * 1024 * 1024, "y\n"),
    });
    expect(result.stderr).toBe(
      "cskit: stdin: more than 32 MiB; one record is smaller (many records: --file records.ndjson)\n",
    );
    expect(result.code).toBe(2);
    expect(requests).toHaveLength(0);
  });

  it("a 20,000-deep record is a usage error naming the limit, not a RangeError", async () => {
    const { url, requests } = await createServer();
    const depth = 20_000;
    const result = await runCli(["apideck", "customers", "create", "-"], {
      env: apideck(url),
      input: `{"first_name":"Ada","custom_fields":${"[".repeat(depth)}${"]".repeat(depth)}}`,
    });
    expect(result.stderr).toMatch(/^cskit: stdin: JSON nested deeper than \d+ levels\n$/);
    expect(result.code).toBe(2);
    expect(requests).toHaveLength(0);
  });
});

describe(".env", () => {
  it("saved with a BOM, its first variable is read", async () => {
    const { url, requests } = await createServer();
    const dir = await mkdtemp(join(tmpdir(), "cskit-env-bom-"));
    await writeFile(
      join(dir, ".env"),
      Buffer.concat([
        BOM,
        Buffer.from(`APIDECK_API_KEY=k\nAPIDECK_APP_ID=a\nAPIDECK_CONSUMER_ID=c\nAPIDECK_BASE_URL=${url}\n`),
      ]),
    );
    const result = await runCli(["apideck", "customers", "create", "--data", '{"first_name":"Ada"}'], {
      cwd: dir,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(requests[0]?.headers.authorization).toBe("Bearer k");
  });
});
