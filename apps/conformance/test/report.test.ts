// The end-of-run report: a table per (api, operation) and check class, and where its JSON goes.
import { describe, expect, it } from "vitest";
import { type CheckResult, formatTable, reportFile, summarize } from "../src/report.js";

describe("report", () => {
  it("writes the JSON to apps/conformance/conformance-report.json by default", () => {
    expect(reportFile({})).toMatch(/apps\/conformance\/conformance-report\.json$/);
    expect(reportFile({ CSKIT_CONFORMANCE_REPORT: "/tmp/r.json" })).toBe("/tmp/r.json");
  });

  it("marks a check FAIL when one run failed, pass when all passed, - when none ran", () => {
    const results: CheckResult[] = [
      { api: "apideck", operationId: "customersOne", check: "ignored_auth", mode: "mock", passed: true },
      {
        api: "apideck",
        operationId: "customersOne",
        check: "ignored_auth",
        mode: "live",
        passed: false,
        detail: "got 200",
      },
      { api: "apideck", operationId: "customersOne", check: "use_after_free", mode: "sandbox", passed: true },
    ];
    const report = summarize(results, { apideck: ["customersOne", "customersAll"] });
    expect(report.table.apideck?.customersOne).toMatchObject({
      ignored_auth: "FAIL",
      use_after_free: "pass",
      positive_data_acceptance: "-",
    });
    expect(report.runs.apideck?.customersOne?.ignored_auth).toEqual({ count: 2, modes: ["mock", "live"] });
    expect(report.failures).toEqual(["apideck customersOne ignored_auth: got 200"]);
    const lines = formatTable(report).split("\n");
    expect(lines[0]).toMatch(
      /^api\s+operation\s+5xx\s+status\s+ctype\s+headers\s+schema\s+positive\s+negative/,
    );
    expect(lines[1]).toMatch(/^apideck\s+customersOne\s+-\s+-\s+-\s+-\s+-\s+-\s+-\s+-\s+FAIL\s+pass\s+-$/);
    expect(lines[2]).toMatch(/^apideck\s+customersAll(\s+-){11}$/);
  });
});
