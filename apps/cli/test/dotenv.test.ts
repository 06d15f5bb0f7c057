// Issue 22: what a hostile or odd ./.env does to the spawned binary (a FIFO, a device, a huge file).
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";
import { afterEach, describe, expect, it } from "vitest";
import { APIDECK_ENV, apideckList, runCli } from "./helpers.js";

const dirs: string[] = [];
let server: TestServer | undefined;
afterEach(async () => {
  server?.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function folder() {
  const dir = await mkdtemp(join(tmpdir(), "cskit-dotenv-"));
  dirs.push(dir);
  return dir;
}

const list = ["apideck", "customers", "list"];

describe.skipIf(process.platform === "win32")(".env that is not a small regular file", () => {
  it("a FIFO is refused at once (exit 2, one line naming the file), not waited on", async () => {
    const dir = await folder();
    execFileSync("mkfifo", [join(dir, ".env")]);
    const result = await runCli(list, { cwd: dir, killAfterMs: 10_000 });
    expect(result.stderr).toBe(
      `cskit: ${join(dir, ".env")}: a FIFO (named pipe), not a regular file (.env must be a regular file of at most 1 MiB)\n`,
    );
    expect(result.code).toBe(2);
  });

  it("a link to /dev/zero is refused without reading it", async () => {
    const dir = await folder();
    await symlink("/dev/zero", join(dir, ".env"));
    const result = await runCli(list, { cwd: dir, killAfterMs: 10_000 });
    expect(result.stderr).toBe(
      `cskit: ${join(dir, ".env")}: a character device, not a regular file (.env must be a regular file of at most 1 MiB)\n`,
    );
    expect(result.code).toBe(2);
  });

  it("a link to /dev/null is refused too", async () => {
    const dir = await folder();
    await symlink("/dev/null", join(dir, ".env"));
    const result = await runCli(list, { cwd: dir });
    expect(result.stderr).toMatch(/^cskit: .*\.env: a character device, not a regular file .*\n$/);
    expect(result.code).toBe(2);
  });

  it("a folder named .env (a Python virtualenv, say) is no .env file: skipped", async () => {
    const dir = await folder();
    execFileSync("mkdir", [join(dir, ".env")]);
    const result = await runCli(["-o", "json", "deskero", "customers", "list", "--sandbox"], { cwd: dir });
    expect(result.stderr).toBe("cskit: more customers: add --page 2\n");
    expect(result.code).toBe(0);
  });

  it("a file over 1 MiB is refused; 1 MiB exactly is read", async () => {
    const dir = await folder();
    const line = "# padding\n";
    const fill = (bytes: number) =>
      line.repeat(Math.floor(bytes / line.length)) + "#".repeat(bytes % line.length);
    await writeFile(join(dir, ".env"), fill(1024 * 1024 + 1));
    const big = await runCli(list, { cwd: dir });
    expect(big.stderr).toBe(
      `cskit: ${join(dir, ".env")}: larger than 1 MiB (.env must be a regular file of at most 1 MiB)\n`,
    );
    expect(big.code).toBe(2);

    await writeFile(join(dir, ".env"), fill(1024 * 1024));
    const fits = await runCli(list, { cwd: dir });
    expect(fits.stderr).toMatch(/^cskit: missing environment variables APIDECK_API_KEY/);
    expect(fits.code).toBe(2);
  });
});

describe(".env values", () => {
  async function withEnv(text: string) {
    server = await startTestServer((_, res) => sendJson(res, 200, apideckList([], null)));
    const dir = await folder();
    await writeFile(join(dir, ".env"), `${text}APIDECK_BASE_URL=${server.url}\n`);
    return runCli(list, { cwd: dir });
  }

  it("an unquoted value cut at # gets one warning line naming the key, never the value", async () => {
    const result = await withEnv(
      "APIDECK_API_KEY=abc#def\nAPIDECK_APP_ID=app # a comment\nAPIDECK_CONSUMER_ID=c\n",
    );
    expect(result.stderr).toBe(
      'cskit: .env: the value of APIDECK_API_KEY is cut at "#" (an unquoted # starts a comment: quote the value, APIDECK_API_KEY="...")\n',
    );
    expect(result.code).toBe(0);
    expect(server?.requests[0]?.headers.authorization).toBe("Bearer abc");
  });

  it("lines ended by a lone CR are apart", async () => {
    const result = await withEnv("APIDECK_API_KEY=k\rAPIDECK_APP_ID=app\rAPIDECK_CONSUMER_ID=c\r");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(server?.requests[0]?.headers).toMatchObject({
      authorization: "Bearer k",
      "x-apideck-app-id": "app",
      "x-apideck-consumer-id": "c",
    });
  });

  it("a control character in a credential is named by its variable (from .env or not), exit 2", async () => {
    const fromFile = await withEnv("APIDECK_API_KEY=sk_1\u0007\nAPIDECK_APP_ID=app\nAPIDECK_CONSUMER_ID=c\n");
    expect(fromFile.stderr).toMatch(
      /^cskit: APIDECK_API_KEY in \.env: the value holds a line break, a control character.*\n$/,
    );
    expect(fromFile.code).toBe(2);
    const fromEnv = await runCli(list, { env: { ...APIDECK_ENV, APIDECK_APP_ID: "a\tb" } });
    expect(fromEnv.stderr).toMatch(
      /^cskit: APIDECK_APP_ID: the value holds a line break, a control character.*\n$/,
    );
    expect(fromEnv.code).toBe(2);
    expect(server?.requests).toHaveLength(0);
  });
});
