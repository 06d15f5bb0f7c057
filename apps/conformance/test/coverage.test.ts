// The coverage gate. Every (operation, status) pair in the specs must have a conformance case: add
// one to a spec and this fails, naming the pair, until CALLS and EXPECTATIONS in src/cases.ts
// cover it. And every check class that applies to an operation must have a case that runs: the
// gate names each (api, operation, check class) that none covers.
import { afterAll, describe, expect, it } from "vitest";
import { CALLS, EXPECTATIONS } from "../src/cases.js";
import { applicable } from "../src/coverage.js";
import { POSITIVE } from "../src/positive.js";
import { type CheckResult, missingChecks } from "../src/report.js";
import { type SuiteSandbox, startSuiteSandbox } from "../src/sandboxes.js";
import { APIS, operations } from "../src/spec.js";
import { checkServer } from "../src/suite.js";

function missingPairs(calls = CALLS, expectations = EXPECTATIONS): string[] {
  return APIS.flatMap((api) =>
    operations(api).flatMap((op) =>
      op.statuses
        .filter((status) => !calls[api][op.operationId] || !expectations[api][status])
        .map((status) => `${api} ${op.operationId} ${status}`),
    ),
  );
}

describe("coverage of (operation, status) pairs", () => {
  it("covers every (operation, status) pair of both specs", () => {
    const pairs = APIS.flatMap((api) => operations(api).flatMap((op) => op.statuses));
    console.log(
      `conformance covers ${pairs.length} (operation, status) pairs; missing: ${missingPairs().length}`,
    );
    expect(pairs.length).toBe(76);
    expect(missingPairs()).toEqual([]);
  });

  it("names each pair that loses its case", () => {
    const { "204": _, ...withoutNoContent } = EXPECTATIONS.deskero;
    const { customersDelete: __, ...withoutDelete } = CALLS.apideck;
    const missing = missingPairs(
      { ...CALLS, apideck: withoutDelete },
      { ...EXPECTATIONS, deskero: withoutNoContent },
    );
    expect(missing).toEqual([
      ...["200", "400", "401", "402", "403", "404", "409", "422", "429", "default"].map(
        (s) => `apideck customersDelete ${s}`,
      ),
      "deskero listCustomers 204",
      "deskero getCustomer 204",
    ]);
  });
});

describe("coverage of check classes", () => {
  const running: SuiteSandbox[] = [];
  afterAll(() => Promise.all(running.map((r) => r.stop())));
  let results: CheckResult[] = [];

  it("every applicable (operation, check class) has a case that runs", async () => {
    for (const api of APIS) {
      const sandbox = await startSuiteSandbox(api);
      running.push(sandbox);
      const options = { mode: "sandbox", numRuns: 1, seed: 1, checkCredentialValues: false } as const;
      results.push(...(await checkServer(api, sandbox.url, options)));
    }
    expect(missingChecks(results, applicable())).toEqual([]);
    for (const api of APIS) expect(Object.keys(POSITIVE[api]).length).toBe(operations(api).length);
  });

  it("names each (api, operation, check class) that loses its case", () => {
    results = results.filter((r) => !(r.api === "deskero" && r.check === "use_after_free"));
    results = results.filter(
      (r) => !(r.operationId === "customersAll" && r.check === "negative_data_rejection"),
    );
    expect(missingChecks(results, applicable())).toEqual([
      "apideck customersAll negative_data_rejection",
      "deskero deleteCustomer use_after_free",
    ]);
  });
});
