// `pnpm conformance -- --target api=url`, run for real against local stateful fakes.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestServer } from "@cskit/http/testing";
import { listPrismProcesses } from "@cskit/prism";
import { afterAll, expect, it } from "vitest";
import { startApideckFake, startDeskeroFake } from "../src/fakes.js";

const run = promisify(execFile);
const RUNNER = fileURLToPath(new URL("../scripts/run.mjs", import.meta.url));
const fakes: TestServer[] = [];
afterAll(() => Promise.all(fakes.map((f) => f.close())));

it("runs the live flow through prism proxy against both targets and leaves no proxy behind", async () => {
  const apideck = await startApideckFake();
  const deskero = await startDeskeroFake();
  fakes.push(apideck, deskero);
  const { stdout } = await run(
    process.execPath,
    [RUNNER, "--", "--target", `apideck=${apideck.url}`, "--target", `deskero=${deskero.url}`],
    {
      env: {
        PATH: process.env.PATH ?? "",
        APIDECK_API_KEY: "live-key",
        APIDECK_APP_ID: "app",
        APIDECK_CONSUMER_ID: "consumer",
        DESKERO_API_TOKEN: btoa("client:secret"),
        DESKERO_CLIENT_ID: "client",
      },
    },
  );
  expect(stdout).toMatch(/apideck -> prism proxy http:\/\/127\.0\.0\.1:\d+ -> http:\/\/127\.0\.0\.1/);
  expect(stdout).toMatch(/Tests\s+.*2 passed/);
  expect(apideck.requests.map((r) => r.method)).toEqual(["POST", "GET", "PATCH", "GET", "DELETE", "GET"]);
  expect(deskero.requests[0]?.url).toBe("/oauth/token?grant_type=client_credentials");
  for (const upstream of [apideck.url, deskero.url]) {
    const left = listPrismProcesses()
      .filter((p) => p.args.includes(" proxy ") && p.args.includes(upstream))
      .map((p) => p.args)
      .join("\n");
    expect(left, `prism proxy to ${upstream} still running`).toBe("");
  }
}, 90_000); // a nested vitest run, slow on a loaded CI machine

it("refuses a malformed target with a usage line and exit 2", async () => {
  const failure = await run(process.execPath, [RUNNER, "--target", "zendesk=https://x"]).catch((e) => e);
  expect(failure.code).toBe(2);
  expect(failure.stderr).toContain(
    '--target must be apideck=<url> or deskero=<url>, got "zendesk=https://x"',
  );
});
