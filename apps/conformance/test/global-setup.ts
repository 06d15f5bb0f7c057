// One Prism mock per spec for the whole run, with request validation as errors, and the run's
// check report: every test file records its check results, and the teardown prints the table and
// writes the JSON (CSKIT_CONFORMANCE_REPORT, default apps/conformance/conformance-report.json).
// CSKIT_APIDECK_MOCK_URL / CSKIT_DESKERO_MOCK_URL reuse mocks that are already running;
// in live mode (CSKIT_LIVE, set by scripts/run.mjs --target) no mock is started.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningPrism, specPath, startPrism, stopAll } from "@cskit/prism";
import type { TestProject } from "vitest/node";
import { applicable } from "../src/coverage.js";
import { formatTable, missingChecks, readResults, reportFile, summarize } from "../src/report.js";
import { APIS, operations } from "../src/spec.js";

declare module "vitest" {
  export interface ProvidedContext {
    apideckUrl: string;
    deskeroUrl: string;
    /** Where test files append their check results (src/report.ts `record`). */
    reportDir: string;
  }
}

function writeReport(dir: string) {
  const results = readResults(dir);
  if (results.length === 0) return;
  const ops = Object.fromEntries(APIS.map((api) => [api, operations(api).map((op) => op.operationId)]));
  const report = summarize(results, ops);
  const apis = APIS.filter((api) => results.some((r) => r.api === api));
  const missing = missingChecks(results, applicable(apis));
  const file = reportFile();
  const json = { generatedAt: new Date().toISOString(), ...report, missing };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  const gaps = missing.length ? `\nno case ran for: ${missing.join(", ")}` : "";
  process.stdout.write(
    `\nconformance report (${results.length} check results, JSON in ${file})\n${formatTable(report)}${gaps}\n`,
  );
}

export default async function setup(project: TestProject) {
  const started: RunningPrism[] = [];
  const reportDir = mkdtempSync(join(tmpdir(), "cskit-conformance-"));
  const onSignal = () => {
    void stopAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const urlOf = async (api: "apideck" | "deskero", variable: string) => {
    const given = process.env[variable];
    if (given) return given;
    if (process.env.CSKIT_LIVE) return ""; // live mode talks to its proxies, not to mocks
    const prism = await startPrism(specPath(api), { errors: true });
    started.push(prism);
    return prism.url;
  };
  try {
    const [apideckUrl, deskeroUrl] = await Promise.all([
      urlOf("apideck", "CSKIT_APIDECK_MOCK_URL"),
      urlOf("deskero", "CSKIT_DESKERO_MOCK_URL"),
    ]);
    project.provide("apideckUrl", apideckUrl);
    project.provide("deskeroUrl", deskeroUrl);
    project.provide("reportDir", reportDir);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return async () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await Promise.all(started.map((p) => p.stop()));
    try {
      writeReport(reportDir);
    } finally {
      rmSync(reportDir, { recursive: true, force: true });
    }
  };
}
