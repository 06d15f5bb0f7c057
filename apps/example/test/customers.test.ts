// The example runs as a user would run it: built, spawned, with only the environment it is given.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sendJson, startTestServer, type TestServer } from "@cskit/http/testing";
import { afterEach, describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../dist/customers.js", import.meta.url));
const run = (env: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? "", ...env } });

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("apps/example", () => {
  it("runs against Prism mocks of our specs with no environment at all", async () => {
    const { stdout } = await run();
    expect(stdout).toMatch(/^apideck customer \S+\n/);
    expect(stdout).toMatch(/\ndeskero created \S+\n$/);
  });

  it("calls the base URLs and credentials from its environment", async () => {
    const apideck = await startTestServer((req, res) => {
      if (req.url.startsWith("/customer-support/customers?"))
        return sendJson(res, 200, {
          status_code: 200,
          status: "OK",
          service: "s",
          resource: "customers",
          operation: "all",
          data: [{ id: "a-1" }],
          meta: { cursors: { next: null } },
        });
      sendJson(res, 404, { status_code: 404, type_name: "EntityNotFoundError", message: "Unknown" });
    });
    const deskero = await startTestServer((_, res) => sendJson(res, 200, { id: "d-1" }));
    servers.push(apideck, deskero);
    const { stdout } = await run({
      APIDECK_BASE_URL: apideck.url,
      APIDECK_API_KEY: "key-1",
      APIDECK_APP_ID: "app-1",
      APIDECK_CONSUMER_ID: "consumer-1",
      DESKERO_BASE_URL: deskero.url,
      DESKERO_CLIENT_ID: "client-1",
      DESKERO_ACCESS_TOKEN: "token-1",
    });
    expect(stdout).toBe("apideck customer a-1\ndeskero created d-1\n");
    expect(apideck.requests[0]?.headers).toMatchObject({
      authorization: "Bearer key-1",
      "x-apideck-app-id": "app-1",
    });
    expect(apideck.requests[1]?.url).toBe("/customer-support/customers/no-such-id");
    expect(deskero.requests[0]).toMatchObject({ method: "POST", url: "/customer/insert" });
    expect(deskero.requests[0]?.headers).toMatchObject({
      authorization: "Bearer token-1",
      clientid: "client-1",
    });
  });
});
