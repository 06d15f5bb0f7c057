// `pnpm conformance -- --target api=url`, run for real against local sandboxes that, like a live
// API, refuse every credential but the configured ones (live mode checks credential values).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { listPrismProcesses } from "@cskit/prism";
import { afterAll, expect, it } from "vitest";
import { CREDENTIALS } from "../src/clients.js";
import { type SuiteSandbox, startSuiteSandbox } from "../src/sandboxes.js";

const run = promisify(execFile);
const RUNNER = fileURLToPath(new URL("../scripts/run.mjs", import.meta.url));
const sandboxes: SuiteSandbox[] = [];
afterAll(() => Promise.all(sandboxes.map((s) => s.stop())));

it("runs the live flow through prism proxy against both targets and leaves no proxy behind", async () => {
  const apideck = await startSuiteSandbox("apideck", { requireCredentials: CREDENTIALS });
  const deskero = await startSuiteSandbox("deskero", { requireCredentials: CREDENTIALS });
  sandboxes.push(apideck, deskero);
  const report = join(mkdtempSync(join(tmpdir(), "cskit-report-")), "report.json");
  const { stdout } = await run(
    process.execPath,
    [RUNNER, "--", "--target", `apideck=${apideck.url}`, "--target", `deskero=${deskero.url}`],
    {
      env: {
        PATH: process.env.PATH ?? "",
        APIDECK_API_KEY: CREDENTIALS.apideck.apiKey,
        APIDECK_APP_ID: CREDENTIALS.apideck.appId,
        APIDECK_CONSUMER_ID: CREDENTIALS.apideck.consumerId,
        DESKERO_API_TOKEN: CREDENTIALS.deskero.apiToken,
        DESKERO_CLIENT_ID: CREDENTIALS.deskero.clientId,
        CSKIT_CONFORMANCE_REPORT: report,
      },
    },
  );
  expect(stdout).toMatch(/apideck -> prism proxy http:\/\/127\.0\.0\.1:\d+ -> http:\/\/127\.0\.0\.1/);
  expect(stdout).toMatch(/Tests\s+.*2 passed/);
  // The flow through the proxy, then the raw request checks straight at the target.
  expect(apideck.requests.slice(0, 8).map((r) => r.method)).toEqual([
    "POST",
    "GET",
    "GET",
    "PATCH",
    "GET",
    "DELETE",
    "GET",
    "DELETE",
  ]);
  expect(apideck.requests.some((r) => !r.headers.authorization)).toBe(true);
  expect(deskero.requests[0]?.url).toBe("/oauth/token?grant_type=client_credentials");
  // The report names the live mode for the checks that ran.
  const json = JSON.parse(readFileSync(report, "utf8"));
  expect(json.runs.apideck.customersDelete.use_after_free.modes).toEqual(["live"]);
  expect(json.table.deskero.listCustomers.ignored_auth).toBe("pass");
  // Positive data live: reads only.
  expect(json.table.apideck.customersAll.positive_data_acceptance).toBe("pass");
  expect(json.table.apideck.customersAdd.positive_data_acceptance).toBe("-");
  expect(stdout).toMatch(/conformance report/);
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
