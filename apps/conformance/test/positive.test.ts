// Positive data acceptance against the Prism mocks: generated requests go through the typed
// clients, and Prism's request validation (--errors) must accept every one.
import { describe, expect, inject, it } from "vitest";
import { createClients } from "../src/clients.js";
import { POSITIVE, runPositive } from "../src/positive.js";
import { createRecorder } from "../src/recorder.js";
import { failuresOf, record, responseResults } from "../src/report.js";
import { APIS, operations } from "../src/spec.js";

/** Fixed, so that a failure replays; bounded, so that the run stays short. */
export const SEED = 20_261_124;
const NUM_RUNS = 25;

describe("positive data acceptance (Prism mock)", () => {
  it.each(APIS)("%s: every operation has a generator", (api) => {
    expect(Object.keys(POSITIVE[api]).sort()).toEqual(
      operations(api)
        .map((op) => op.operationId)
        .sort(),
    );
  });

  it.each(APIS)("%s: generated requests through the typed client are accepted", async (api) => {
    const recorders = { apideck: createRecorder("apideck"), deskero: createRecorder("deskero") };
    const clients = createClients(
      { apideck: inject("apideckUrl"), deskero: inject("deskeroUrl") },
      recorders,
    );
    const results = await runPositive(api, clients, { mode: "mock", numRuns: NUM_RUNS, seed: SEED });
    const all = [...results, ...responseResults(api, recorders[api].exchanges, "mock")];
    record(inject("reportDir"), all);
    expect(failuresOf(all)).toEqual([]);
    expect(results).toHaveLength(operations(api).length);
  });
});
