// Every (operation, status) pair in the specs must have a conformance case. Add one to a spec and
// this fails, naming the pair, until CALLS and EXPECTATIONS in src/cases.ts cover it.
import { describe, expect, it } from "vitest";
import { CALLS, EXPECTATIONS } from "../src/cases.js";
import { APIS, operations } from "../src/spec.js";

function missingPairs(calls = CALLS, expectations = EXPECTATIONS): string[] {
  return APIS.flatMap((api) =>
    operations(api).flatMap((op) =>
      op.statuses
        .filter((status) => !calls[api][op.operationId] || !expectations[api][status])
        .map((status) => `${api} ${op.operationId} ${status}`),
    ),
  );
}

describe("coverage", () => {
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
